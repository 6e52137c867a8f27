package terraform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// exampleAddr is the address a folder run as written (Options.Dir) names
// in its provider block: openecs serve's default.
const exampleAddr = "127.0.0.1:8686"

// copyExample copies the Terraform files of a folder that declares its own
// provider, changing only the address: every exampleAddr in a .tf file
// becomes addr. A file that names no exampleAddr is copied as it is; the
// folder must name it somewhere (else the copy would reach a real server).
// Terraform's own files (.terraform, state) and anything else are left
// out.
func copyExample(t *testing.T, from, to, addr string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatalf("reading %s: %v", from, err)
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	pointed := false
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".tf") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		if strings.Contains(text, exampleAddr) {
			pointed = true
			text = strings.ReplaceAll(text, exampleAddr, addr)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !pointed {
		t.Fatalf("no .tf file in %s names %s: the example would not reach the test's server", from, exampleAddr)
	}
}
