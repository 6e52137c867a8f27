package openecs

import "testing"

func TestParseMoney(t *testing.T) {
	good := map[string]Money{
		"100":       Yuan(100),
		"100.00":    Yuan(100),
		"-5.00":     -Yuan(5),
		"0.0875":    87_500,
		".5":        500_000,
		"+1.000001": 1_000_001,
		"0":         0,
	}
	for in, want := range good {
		got, err := ParseMoney(in)
		if err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-", ".", "1e3", "1.0000001", "abc", "1,5", "9999999999999", "1..2", " - 1"} {
		if _, err := ParseMoney(in); err == nil {
			t.Errorf("ParseMoney(%q) succeeded; want an error", in)
		}
	}
}

func TestMoneyString(t *testing.T) {
	cases := map[Money]string{
		Yuan(100):   "100.00",
		-Yuan(5):    "-5.00",
		87_500:      "0.0875",
		1_000_001:   "1.000001",
		-1:          "-0.000001",
		0:           "0.00",
		Yuan(1) / 2: "0.50",
	}
	for in, want := range cases {
		if got := in.String(); got != want {
			t.Errorf("Money(%d).String() = %q; want %q", int64(in), got, want)
		}
	}
}

func TestMoneyDivInt(t *testing.T) {
	cases := []struct {
		m    Money
		n    int64
		want Money
	}{
		{10, 4, 3},   // 2.5 rounds away from zero
		{-10, 4, -3}, // and symmetrically
		{9, 4, 2},
		{Yuan(1), 3, 333_333},
	}
	for _, c := range cases {
		if got := c.m.DivInt(c.n); got != c.want {
			t.Errorf("%d.DivInt(%d) = %d; want %d", c.m, c.n, got, c.want)
		}
	}
}

func TestMoneyJSON(t *testing.T) {
	var m Money
	if err := m.UnmarshalJSON([]byte(`"12.34"`)); err != nil || m != 12_340_000 {
		t.Fatalf("unmarshal string: %d %v", m, err)
	}
	if err := m.UnmarshalJSON([]byte(`7.5`)); err != nil || m != 7_500_000 {
		t.Fatalf("unmarshal number: %d %v", m, err)
	}
	b, _ := Money(12_340_000).MarshalJSON()
	if string(b) != `"12.34"` {
		t.Fatalf("marshal = %s", b)
	}
}
