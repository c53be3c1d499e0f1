package rules

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// Slug derives the file and URL name of a code: ASCII letters and digits
// are kept (lower-cased), every other run of characters becomes one '-',
// and leading or trailing dashes are dropped. So "accounts:53–55" becomes
// "accounts-53-55" and "EME_NO_SUPPORTED_KEYSYSTEM" becomes
// "eme-no-supported-keysystem". The function never changes: published
// links depend on it.
func Slug(code string) string {
	var b strings.Builder
	dash := false
	for _, r := range code {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
	}
	return b.String()
}

// SlugPattern is the regular expression of a slug (IsSlug), in the
// syntax Go and JavaScript share, so the JSON Schema of a code file can
// publish it.
const SlugPattern = `^[a-z0-9]+(-[a-z0-9]+)*$`

var slugRE = regexp.MustCompile(SlugPattern)

// IsSlug reports whether s has the form Slug gives: lowercase ASCII
// letters and digits in runs joined by single dashes.
func IsSlug(s string) bool { return slugRE.MatchString(s) }

// CodeSeparators are the characters that may stand between the letters
// and digits of a code: the ones real codes use (accounts:4,
// EME_NO_SUPPORTED_KEYSYSTEM, com.spotify.installer -3, accounts:53–55).
// The dashes are those a numeric range may use (NumericRange).
const CodeSeparators = ":_.- –—−"

// CodeShapeHint says, for a contributor, what CodeShape accepts; check
// and new both end their refusal with it.
const CodeShapeHint = "ASCII letters and digits, joined by ':', '_', '.', '-', a space or the dash of a range ('–', '—', '−'), starting with a letter or a digit"

// CodeShape says what keeps code from having the shape of a code, or ""
// when it has it: ASCII letters, digits and CodeSeparators, starting with
// a letter or digit, and never "..". So a code cannot name a path
// ("../../etc/passwd", "a\b") or carry markup. White space around the
// code and invisible characters are not its concern (check reports them
// on their own).
func CodeShape(code string) string {
	code = strings.TrimSpace(code)
	for i, r := range code {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			// Invisible: reported as such.
		case i == 0:
			return fmt.Sprintf("starts with %q", r)
		case strings.ContainsRune(CodeSeparators, r):
		case r == '/' || r == '\\':
			return fmt.Sprintf("contains %q, which would make it a path", r)
		default:
			return fmt.Sprintf("contains %q", r)
		}
	}
	if strings.Contains(code, "..") {
		return `contains "..", which would make it a path`
	}
	return ""
}
