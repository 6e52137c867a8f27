package openecs

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

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

func TestParseMoneyNamesTheRuleBroken(t *testing.T) {
	for in, want := range map[string]error{
		"9999999999999":      ErrMoneyDigits, // 13 integer digits
		"-1000000000000.5":   ErrMoneyDigits,
		"1.0000001":          ErrMoneyFormat, // 7 fractional digits
		"12e3":               ErrMoneyFormat,
		"999999999999.99999": nil,
	} {
		_, err := ParseMoney(in)
		if err != want {
			t.Errorf("ParseMoney(%q) error = %v, want %v", in, err, want)
		}
	}
	if !strings.Contains(ErrMoneyDigits.Error(), "at most 12 integer digits") || strings.Contains(ErrMoneyDigits.Error(), "fractional") {
		t.Errorf("the digits error says %q", ErrMoneyDigits)
	}
}

func TestMoneyJSONHoldsTheWholeRange(t *testing.T) {
	for _, m := range []Money{math.MaxInt64, math.MinInt64, Yuan(8_999_999_999_991), -1, 0} {
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var back Money
		if err := json.Unmarshal(b, &back); err != nil || back != m {
			t.Errorf("%d → %s → %d, %v", int64(m), b, int64(back), err)
		}
	}
	if got := Money(math.MinInt64).String(); got != "-9223372036854.775808" {
		t.Errorf("the least Money prints as %q", got)
	}
	for _, in := range []string{`"9223372036854.775808"`, `"-9223372036854.775809"`, `"10000000000000"`, `"99999999999999999999"`} {
		var m Money
		if err := json.Unmarshal([]byte(in), &m); !errors.Is(err, ErrMoneyRange) {
			t.Errorf("unmarshal %s: %d, %v; want ErrMoneyRange", in, int64(m), err)
		}
	}
}

func TestMoneyCheckedArithmetic(t *testing.T) {
	const most, least = Money(math.MaxInt64), Money(math.MinInt64)
	ok := func(what string, got Money, err error, want Money) {
		t.Helper()
		if err != nil || got != want {
			t.Errorf("%s = %d, %v; want %d", what, int64(got), err, int64(want))
		}
	}
	over := func(what string, _ Money, err error) {
		t.Helper()
		if err != ErrMoneyOverflow {
			t.Errorf("%s: error %v, want ErrMoneyOverflow", what, err)
		}
	}
	m, err := most.Sub(1)
	ok("max - 1", m, err, most-1)
	m, err = m.Add(1)
	ok("max - 1 + 1", m, err, most)
	m, err = most.Add(1)
	over("max + 1", m, err)
	m, err = least.Sub(1)
	over("min - 1", m, err)
	m, err = least.Add(most)
	ok("min + max", m, err, -1)
	m, err = Money(0).Sub(least)
	over("0 - min", m, err)
	m, err = least.Neg()
	over("-min", m, err)
	m, err = most.Neg()
	ok("-max", m, err, least+1)
	m, err = Yuan(999_999_999_999).Mul(9)
	ok("999999999999 × 9", m, err, Yuan(8_999_999_999_991))
	m, err = Yuan(999_999_999_999).Mul(10)
	over("999999999999 × 10", m, err)
	m, err = Money(-1).Mul(math.MinInt64)
	over("-1 × min", m, err)
	m, err = least.Mul(-1)
	over("min × -1", m, err)
	m, err = least.Mul(1)
	ok("min × 1", m, err, least)
	m, err = Money(-3).Mul(-4)
	ok("-3 × -4", m, err, 12)
	m, err = Sum(Yuan(1), Yuan(2), -Yuan(3))
	ok("1 + 2 - 3", m, err, 0)
	m, err = Sum(most, 1, -2)
	over("a partial sum past max", m, err)
}
