package catalog

import (
	_ "embed"
	"sync"
)

//go:embed builtin.yaml
var builtinYAML []byte

var (
	builtinOnce sync.Once
	builtinCat  *Catalog
)

// Builtin returns the built-in catalogue.
func Builtin() *Catalog {
	builtinOnce.Do(func() {
		c, err := Parse(builtinYAML)
		if err != nil {
			panic("catalog: built-in catalogue is invalid: " + err.Error())
		}
		builtinCat = c
	})
	return builtinCat
}

// BuiltinYAML returns the built-in catalogue's YAML, a template for --catalog.
func BuiltinYAML() []byte { return builtinYAML }
