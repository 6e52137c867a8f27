package rpc

import (
	"net/url"
	"testing"
)

func TestFlattenJSON(t *testing.T) {
	got, err := flattenJSON([]byte(`{
		"S": "a b", "N": 12345678901234567890, "F": 1.50, "E": 1e3, "T": true, "Fa": false, "Null": null,
		"L": ["x", 2, [3, 4], {"K": "v"}], "O": {"A": {"B": "deep"}, "Empty": {}}, "EmptyList": []}`))
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{
		"S": {"a b"}, "N": {"12345678901234567890"}, "F": {"1.50"}, "E": {"1e3"}, "T": {"true"}, "Fa": {"false"},
		"L.1": {"x"}, "L.2": {"2"}, "L.3.1": {"3"}, "L.3.2": {"4"}, "L.4.K": {"v"}, "O.A.B": {"deep"},
	}
	if len(got) != len(want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	for k, v := range want {
		if g := got[k]; len(g) != 1 || g[0] != v[0] {
			t.Errorf("%s = %q, want %q", k, g, v)
		}
	}
	// The same name spelled twice gives two values, which the caller refuses.
	got, err = flattenJSON([]byte(`{"A.B": "1", "A": {"B": "2"}}`))
	if err != nil || len(got["A.B"]) != 2 {
		t.Errorf("got %v, %v", got, err)
	}
	for _, bad := range []string{``, `[]`, `"s"`, `1`, `null`, `{`, `{"a":1}x`, `{"a":1}{}`} {
		if _, err := flattenJSON([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
