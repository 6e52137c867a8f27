package openecs

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Money is an exact amount of CNY held as an integer number of micro-yuan
// (1 yuan = 1,000,000 units). Arithmetic is integer arithmetic, so it is exact;
// no float ever touches a balance, a price or a charge.
type Money int64

// MoneyScale is the number of Money units in one yuan.
const MoneyScale = 1_000_000

// MoneyDecimals is the number of fractional digits Money can hold.
const MoneyDecimals = 6

// Yuan returns whole yuan as Money.
func Yuan(n int64) Money { return Money(n * MoneyScale) }

// ErrMoneyFormat is returned by ParseMoney for text that is not a plain decimal
// with at most six fractional digits.
var ErrMoneyFormat = errors.New("money must be a decimal number with at most 6 fractional digits, e.g. \"100.00\"")

// ParseMoney parses a decimal string such as "100", "-5.00" or "0.0875".
// Exponents, more than six fractional digits and overflow are rejected rather
// than rounded, so a parsed amount is always exactly what was written.
func ParseMoney(s string) (Money, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, ErrMoneyFormat
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && (!hasDot || frac == "") {
		return 0, ErrMoneyFormat
	}
	if len(frac) > MoneyDecimals {
		return 0, ErrMoneyFormat
	}
	for _, part := range []string{intPart, frac} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return 0, ErrMoneyFormat
			}
		}
	}
	if intPart == "" {
		intPart = "0"
	}
	if len(intPart) > 12 { // 10^12 yuan fits easily in int64 micro-units
		return 0, ErrMoneyFormat
	}
	whole, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil {
		return 0, ErrMoneyFormat
	}
	frac += strings.Repeat("0", MoneyDecimals-len(frac))
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, ErrMoneyFormat
	}
	v := whole*MoneyScale + f
	if neg {
		v = -v
	}
	return Money(v), nil
}

// MustMoney parses s and panics on error; for literals in tables and tests.
func MustMoney(s string) Money {
	m, err := ParseMoney(s)
	if err != nil {
		panic(fmt.Sprintf("openecs.MustMoney(%q): %v", s, err))
	}
	return m
}

// String formats m with at least two and at most six fractional digits,
// dropping trailing zeros beyond the second: 100 → "100.00", 0.0875 → "0.0875".
func (m Money) String() string {
	v := int64(m)
	sign := ""
	if v < 0 {
		sign = "-"
		v = -v
	}
	whole, frac := v/MoneyScale, v%MoneyScale
	fs := fmt.Sprintf("%06d", frac)
	for len(fs) > 2 && fs[len(fs)-1] == '0' {
		fs = fs[:len(fs)-1]
	}
	return sign + strconv.FormatInt(whole, 10) + "." + fs
}

// Float returns m as a float64, for wire fields the API types as Float
// (TradePrice, SpotPriceLimit). Never use it for arithmetic.
func (m Money) Float() float64 { return float64(m) / MoneyScale }

// MulInt multiplies m by n exactly.
func (m Money) MulInt(n int64) Money { return m * Money(n) }

// DivInt divides m by n, rounding half away from zero to the micro-yuan.
func (m Money) DivInt(n int64) Money {
	if n == 0 {
		panic("openecs: Money.DivInt by zero")
	}
	q, r := int64(m)/n, int64(m)%n
	if r < 0 {
		r = -r
	}
	if 2*r >= abs64(n) {
		if (int64(m) < 0) != (n < 0) {
			q--
		} else {
			q++
		}
	}
	return Money(q)
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// MarshalJSON writes money as a JSON string, as the admin API contract says.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(m.String())), nil }

// UnmarshalJSON accepts a JSON string ("1.50") or, leniently, a JSON number
// written in plain decimal notation.
func (m *Money) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) >= 2 && s[0] == '"' {
		u, err := strconv.Unquote(s)
		if err != nil {
			return ErrMoneyFormat
		}
		s = u
	}
	v, err := ParseMoney(s)
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// Value implements driver.Valuer: money is stored as an integer.
func (m Money) Value() (driver.Value, error) { return int64(m), nil }
