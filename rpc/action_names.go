package rpc

import (
	"slices"
)

// ActionNames lists the names of every action the server answers, in every API
// version, sorted and each once. The admin API checks fault rules against it.
func ActionNames() []string {
	var names []string
	for _, a := range actionTable() {
		names = append(names, a.name)
	}
	slices.Sort(names)
	return slices.Compact(names)
}
