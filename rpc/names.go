package rpc

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/openecs/openecs"
)

// Names, descriptions and host names, checked as the real service checks
// them (docs/protocol.md, "Names"). Each check reads the parameter, records
// the action's error if it is not valid, and returns it.

// instanceName reads InstanceName: 2–128 characters, letters (any script),
// digits, colons, underscores, periods and hyphens, starting with a letter.
// The error names the rule broken.
func instanceName(p *Params, param string) string {
	s := p.Str(param)
	if why := nameProblem(s); why != "" {
		p.Fail(openecs.ErrInvalidInstanceName.With("The specified parameter %q is not valid: %s.", param, why))
	}
	return s
}

// nameProblem says which rule of instance (and disk) names s breaks; "" if
// none, or if s is empty.
func nameProblem(s string) string {
	if s == "" {
		return ""
	}
	switch n := utf8.RuneCountInString(s); {
	case !utf8.ValidString(s) || hasControl(s):
		return "it must not contain control characters"
	case n < 2 || n > 128:
		return "it must be 2 to 128 characters long"
	case !unicode.IsLetter(firstRune(s)):
		return "it must start with a letter"
	case strings.ContainsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(":_.-", r)
	}):
		return "it may contain only letters, digits, colons (:), underscores (_), periods (.) and hyphens (-)"
	}
	return ""
}

// description reads Description: 2–256 characters, not starting with
// http:// or https://, without control characters (a line break is allowed).
func description(p *Params, param string) string {
	s := p.Str(param)
	if why := descriptionProblem(s); why != "" {
		p.Fail(openecs.ErrInvalidDescription.With("The specified parameter %q is not valid: %s.", param, why))
	}
	return s
}

// descriptionProblem says which rule of descriptions s breaks; "" if none,
// or if s is empty.
func descriptionProblem(s string) string {
	if s == "" {
		return ""
	}
	switch n := utf8.RuneCountInString(s); {
	case !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }):
		return "it must not contain control characters"
	case n < 2 || n > 256:
		return "it must be 2 to 256 characters long"
	case strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://"):
		return "it must not start with http:// or https://"
	}
	return ""
}

// hostName reads HostName with the rules every operating system shares:
// 2–64 characters, segments of letters, digits and hyphens separated by
// periods, no period or hyphen at either end, none doubled. The placeholder
// ${instance_id} stands for the instance id. Windows' stricter rules (2–15
// characters, no period, not only digits) are checked once the image is
// known (service.checkWindowsHostName).
func hostName(p *Params) string {
	s := p.Str("HostName")
	if s == "" {
		return ""
	}
	plain := strings.ReplaceAll(s, openecs.InstanceIDPlaceholder, "i-x")
	why := ""
	switch n := utf8.RuneCountInString(plain); {
	case !utf8.ValidString(s) || hasControl(s):
		why = "it must not contain control characters"
	case n < 2 || n > 64:
		why = "it must be 2 to 64 characters long"
	case strings.ContainsFunc(plain, func(r rune) bool {
		return !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))) && r != '-' && r != '.'
	}):
		why = "it may contain only letters, digits, hyphens (-) and periods (.)"
	case strings.HasPrefix(plain, ".") || strings.HasPrefix(plain, "-") || strings.HasSuffix(plain, ".") || strings.HasSuffix(plain, "-"):
		why = "it must not start or end with a period or a hyphen"
	case strings.Contains(plain, "..") || strings.Contains(plain, "--"):
		why = "it must not contain consecutive periods or hyphens"
	}
	if why != "" {
		p.Fail(openecs.ErrInvalidHostName.With("The specified parameter \"HostName\" is not valid: %s.", why))
	}
	return s
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}
