package openecs

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Money is an exact amount of CNY held as an integer number of micro-yuan
// (1 yuan = 1,000,000 units). Arithmetic is integer arithmetic, so it is exact;
// no float ever touches a balance, a price or a charge. Amounts that come and
// go (balances, charges, orders, prices times amounts, the sums of a billing
// point) are combined with Add, Sub, Mul and Neg, which refuse a result out
// of int64's range with ErrMoneyOverflow instead of wrapping around.
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

// MoneyIntegerDigits is the most integer digits ParseMoney accepts: any
// amount written is below 10^12 yuan, far inside Money's range.
const MoneyIntegerDigits = 12

// ErrMoneyDigits is returned by ParseMoney for an amount with more than
// MoneyIntegerDigits integer digits.
var ErrMoneyDigits = errors.New("money must have at most 12 integer digits (less than 1000000000000 CNY), e.g. \"100.00\"")

// ErrMoneyRange is returned by Money.UnmarshalJSON for an amount Money
// cannot hold.
var ErrMoneyRange = errors.New("money must be within ±9223372036854.775807 CNY")

// ErrMoneyOverflow is arithmetic on money whose result is out of Money's
// range (about ±9.22 × 10^12 CNY): a balance topped up past it, a price times
// an amount, a sum of charges. It is an API error (InvalidParameter, 400), so
// every transport answers it as a client mistake, never wrapping the value.
var ErrMoneyOverflow = &Error{Status: 400, Code: "InvalidParameter",
	Message: "The amount of money is out of range: the result would exceed 9223372036854.775807 CNY either way."}

// ParseMoney parses a decimal string such as "100", "-5.00" or "0.0875", as
// a person writes it: at most 12 integer digits and 6 fractional ones.
// Exponents, more digits and overflow are rejected rather than rounded, so a
// parsed amount is always exactly what was written.
func ParseMoney(s string) (Money, error) { return parseMoney(s, false) }

// parseMoney parses a decimal amount. Text a person writes (ParseMoney) has
// at most MoneyIntegerDigits integer digits; JSON (wide) may hold any
// amount Money can, for balances and totals past 10^12 yuan come back in
// answers.
func parseMoney(s string, wide bool) (Money, error) {
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
	if !wide && len(intPart) > MoneyIntegerDigits {
		return 0, ErrMoneyDigits
	}
	// The magnitude in micro-yuan, at most 2^63 (the most negative amount).
	whole, err := strconv.ParseUint(intPart, 10, 64)
	if err != nil || whole > (1<<63)/MoneyScale {
		return 0, ErrMoneyRange
	}
	frac += strings.Repeat("0", MoneyDecimals-len(frac))
	f, err := strconv.ParseUint(frac, 10, 64)
	if err != nil {
		return 0, ErrMoneyFormat
	}
	v := whole*MoneyScale + f
	switch {
	case neg && v <= 1<<63:
		return Money(-v), nil // two's complement: -(1<<63) is math.MinInt64
	case !neg && v < 1<<63:
		return Money(v), nil
	}
	return 0, ErrMoneyRange
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
	v := uint64(m) // the magnitude, math.MinInt64 included
	sign := ""
	if m < 0 {
		sign = "-"
		v = -v
	}
	whole, frac := v/MoneyScale, v%MoneyScale
	fs := fmt.Sprintf("%06d", frac)
	for len(fs) > 2 && fs[len(fs)-1] == '0' {
		fs = fs[:len(fs)-1]
	}
	return sign + strconv.FormatUint(whole, 10) + "." + fs
}

// Float returns m as a float64, for wire fields the API types as Float
// (TradePrice, SpotPriceLimit). Never use it for arithmetic.
func (m Money) Float() float64 { return float64(m) / MoneyScale }

// Add returns m + n, or ErrMoneyOverflow if the sum is out of range.
func (m Money) Add(n Money) (Money, error) {
	s := m + n
	if (n > 0 && s < m) || (n < 0 && s > m) {
		return 0, ErrMoneyOverflow
	}
	return s, nil
}

// Sub returns m - n, or ErrMoneyOverflow if the difference is out of range.
func (m Money) Sub(n Money) (Money, error) {
	d := m - n
	if (n > 0 && d > m) || (n < 0 && d < m) {
		return 0, ErrMoneyOverflow
	}
	return d, nil
}

// Neg returns -m, or ErrMoneyOverflow for the one amount whose opposite is
// out of range.
func (m Money) Neg() (Money, error) { return Money(0).Sub(m) }

// Mul returns m × n exactly, or ErrMoneyOverflow if the product is out of
// range.
func (m Money) Mul(n int64) (Money, error) {
	if m == 0 || n == 0 {
		return 0, nil
	}
	p := int64(m) * n
	if (int64(m) == -1 && n == math.MinInt64) || (n == -1 && int64(m) == math.MinInt64) || p/n != int64(m) {
		return 0, ErrMoneyOverflow
	}
	return Money(p), nil
}

// Sum adds amounts, or returns ErrMoneyOverflow if a partial sum is out of
// range.
func Sum(ms ...Money) (Money, error) {
	var total Money
	for _, m := range ms {
		var err error
		if total, err = total.Add(m); err != nil {
			return 0, err
		}
	}
	return total, nil
}

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
// written in plain decimal notation: any amount Money holds, so that what
// MarshalJSON writes always reads back.
func (m *Money) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) >= 2 && s[0] == '"' {
		u, err := strconv.Unquote(s)
		if err != nil {
			return ErrMoneyFormat
		}
		s = u
	}
	v, err := parseMoney(s, true)
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// Value implements driver.Valuer: money is stored as an integer.
func (m Money) Value() (driver.Value, error) { return int64(m), nil }
