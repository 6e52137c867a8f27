package adminapi

import (
	"encoding/json"
	"testing"
	"time"
)

func TestTimeOnTheWire(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	at := time.Date(2026, 11, 22, 18, 4, 5, 999_000_000, shanghai) // 10:04:05.999 UTC
	var v struct {
		Always Time `json:"always"`
		Unset  Time `json:"unset"`
		Absent Time `json:"absent,omitzero"`
		Set    Time `json:"set,omitzero"`
	}
	v.Always, v.Set = At(at), At(at)
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"always":"2026-11-22T10:04:05Z","unset":"","set":"2026-11-22T10:04:05Z"}`
	if string(b) != want {
		t.Fatalf("marshal = %s, want %s", b, want)
	}
	var back struct {
		Always, Unset, Null, Set Time
	}
	if err := json.Unmarshal([]byte(`{"always":"2026-11-22T10:04:05Z","unset":"","null":null,"set":"2026-11-22T18:04:05+08:00"}`), &back); err != nil {
		t.Fatal(err)
	}
	if !back.Always.Equal(at.Truncate(time.Second)) || !back.Unset.IsZero() || !back.Null.IsZero() || !back.Set.Equal(back.Always.Time) {
		t.Fatalf("unmarshal = %+v", back)
	}
	for _, bad := range []string{`"yesterday"`, `12`, `"2026-11-22"`} {
		var x Time
		if err := json.Unmarshal([]byte(bad), &x); err == nil {
			t.Errorf("unmarshal %s succeeded: %v", bad, x)
		}
	}
}
