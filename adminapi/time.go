package adminapi

import (
	"strconv"
	"time"
)

// Time is a moment on the admin API's wire: an RFC 3339 string in UTC to the
// second ("2026-11-22T10:00:00Z"). The zero Time is written as "" (or left
// out by `omitzero`), and "" and null read as the zero Time.
type Time struct{ time.Time }

// At returns t as a wire time.
func At(t time.Time) Time { return Time{t} }

// String is the wire form: RFC 3339 in UTC, "" for the zero time.
func (t Time) String() string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// MarshalJSON writes the wire form as a JSON string.
func (t Time) MarshalJSON() ([]byte, error) { return strconv.AppendQuote(nil, t.String()), nil }

// UnmarshalJSON reads an RFC 3339 string, "" or null.
func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = Time{}
		return nil
	}
	s, err := strconv.Unquote(string(b))
	if err != nil {
		return &time.ParseError{Layout: time.RFC3339, Value: string(b), Message: ": not a JSON string"}
	}
	if s == "" {
		*t = Time{}
		return nil
	}
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return err
	}
	*t = Time{v}
	return nil
}
