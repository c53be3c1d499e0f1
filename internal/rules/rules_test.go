package rules

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func TestCodeKey(t *testing.T) {
	for in, want := range map[string]string{
		"auth:1":                    "auth1",
		"AUTH 1":                    "auth1",
		"auth-1":                    "auth1",
		" (Error code: auth:1) ":    "errorcodeauth1",
		"com.spotify.installer −3":  "comspotifyinstaller3",
		"desktop_login_accounts:5":  "desktoploginaccounts5",
		"Ünïcödé:2":                 "ünïcödé2",
		"İ":                         "İ",
		"!!!":                       "",
		"accounts:53–55":            "accounts5355",
		"INVALID_CLIENT: Invalid x": "invalidclientinvalidx",
	} {
		if got := CodeKey(in); got != want {
			t.Errorf("CodeKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCodeKeys(t *testing.T) {
	for in, want := range map[string][]string{
		"auth:1":                   {"auth1"},
		"accounts:53–55":           {"accounts5355", "accounts53", "accounts54", "accounts55"},
		"accounts:53-55":           {"accounts5355", "accounts53", "accounts54", "accounts55"},
		"com.spotify.installer -3": {"comspotifyinstaller3"},
		"error 1–40":               {"error140"}, // wider than MaxRange: no members
		"x:5–3":                    {"x53"},
		"":                         {""},
		"error code 30":            {"errorcode30", "error30"},
		"Installer error code: 24": {"installererrorcode24", "installererror24"},
		"code 4":                   {"code4"},
		"ERROR_CODE 4":             {"errorcode4"},
		"error-code-53–55":         {"errorcode5355", "error5355", "errorcode53", "errorcode54", "errorcode55"},
	} {
		if got := CodeKeys(in); !reflect.DeepEqual(got, want) {
			t.Errorf("CodeKeys(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHasLetter(t *testing.T) {
	for in, want := range map[string]bool{"17": false, "auth1": true, "": false, "日本": true, "テ1": true} {
		if got := HasLetter(in); got != want {
			t.Errorf("HasLetter(%q) = %v", in, got)
		}
	}
}

func TestNaturalLess(t *testing.T) {
	codes := []string{"accounts:53–55", "Accounts:4", "accounts:103", "auth:1", "accounts:4", "accounts:", "auth:10", "auth:9"}
	sort.SliceStable(codes, func(i, j int) bool { return NaturalLess(codes[i], codes[j]) })
	want := []string{"accounts:", "Accounts:4", "accounts:4", "accounts:53–55", "accounts:103", "auth:1", "auth:9", "auth:10"}
	if !reflect.DeepEqual(codes, want) {
		t.Errorf("sorted %q, want %q", codes, want)
	}
}

func TestSlug(t *testing.T) {
	for code, want := range map[string]string{
		"accounts:4":                       "accounts-4",
		"accounts:53–55":                   "accounts-53-55",
		"EME_NO_SUPPORTED_KEYSYSTEM":       "eme-no-supported-keysystem",
		"com.spotify.installer -1":         "com-spotify-installer-1",
		"  Error 30 ":                      "error-30",
		"desktop_login_accounts:5":         "desktop-login-accounts-5",
		"Ünïcode: é":                       "n-code",
		"::":                               "",
		"HTTP 403 - RESTRICTION_VIOLATED ": "http-403-restriction-violated",
	} {
		if got := Slug(code); got != want {
			t.Errorf("Slug(%q) = %q, want %q", code, got, want)
		}
		if got := Slug(code); got != "" && !IsSlug(got) {
			t.Errorf("IsSlug(Slug(%q)) is false", code)
		}
	}
	for _, s := range []string{"", "-a", "a-", "a--b", "A", "a_b", "a b"} {
		if IsSlug(s) {
			t.Errorf("IsSlug(%q) = true", s)
		}
	}
}

func TestCodeShape(t *testing.T) {
	for _, ok := range []string{"accounts:4", "accounts:53–55", "EME_NO_SUPPORTED_KEYSYSTEM", "com.spotify.installer -3",
		"com.spotify.installer −3", "INVALID_CLIENT: Invalid redirect URI", "HTTP 429", "Error 30", "4", " auth:1 ", "auth:1\u200b"} {
		if p := CodeShape(ok); p != "" {
			t.Errorf("CodeShape(%q) = %q, want it accepted", ok, p)
		}
	}
	for bad, want := range map[string]string{
		"../../etc/passwd": `starts with '.'`,
		"etc/passwd":       `contains '/', which would make it a path`,
		`a\b`:              `contains '\\', which would make it a path`,
		"a..b":             `contains "..", which would make it a path`,
		"-1":               `starts with '-'`,
		":x":               `starts with ':'`,
		"x<script>":        `contains '<'`,
		"ошибка":           `starts with 'о'`,
		"auth:1?":          `contains '?'`,
	} {
		if got := CodeShape(bad); got != want {
			t.Errorf("CodeShape(%q) = %q, want %q", bad, got, want)
		}
	}
}

// TestCodeShapeHint checks that the hint check and new give names every
// separator CodeShape accepts.
func TestCodeShapeHint(t *testing.T) {
	for _, r := range CodeSeparators {
		want := fmt.Sprintf("'%c'", r)
		if r == ' ' {
			want = "a space"
		}
		if !strings.Contains(CodeShapeHint, want) {
			t.Errorf("CodeShapeHint does not name %s, which CodeShape accepts: %q", want, CodeShapeHint)
		}
	}
}

func TestResolveLink(t *testing.T) {
	for dest, want := range map[string]string{
		"https://example.com/a":       "https://example.com/a",
		" https://example.com/a ":     "https://example.com/a",
		"//example.com/a":             "https://example.com/a",
		"https://example.com/a&amp;b": "https://example.com/a&b",
		"https://example.com/\\(x\\)": "https://example.com/(x)",
		"../auth-1/#fix-2":            "../auth-1/#fix-2",
	} {
		if got := ResolveLink(dest); got != want {
			t.Errorf("ResolveLink(%q) = %q, want %q", dest, got, want)
		}
	}
}

func TestClassifyLink(t *testing.T) {
	for dest, want := range map[string]LinkClass{
		"https://example.com/":   LinkExternal,
		"HTTP://example.com/":    LinkExternal,
		"//example.com/":         LinkExternal,
		"mailto:a@example.com":   LinkMail,
		"../auth-1/":             LinkLocal,
		"#note":                  LinkLocal,
		"/a:b":                   LinkLocal,
		"javascript:alert(1)":    LinkRefused,
		" javascript:alert(1)":   LinkRefused,
		"java\tscript:alert(1)":  LinkRefused,
		"java&#10;script:x":      LinkRefused,
		"&#106;avascript:x":      LinkRefused,
		"vbscript:x":             LinkRefused,
		"data:text/html,x":       LinkRefused,
		"file:///etc/passwd":     LinkRefused,
		"spotify:track:1234abcd": LinkRefused,
	} {
		if got := ClassifyLink(dest); got != want {
			t.Errorf("ClassifyLink(%q) = %v, want %v", dest, got, want)
		}
	}
}

func TestSameMessage(t *testing.T) {
	got := SameMessage([][]string{
		{"No internet connection detected."},
		{"Something went wrong", "no internet   connection detected. (Error code: accesspoint:31)"},
		{},
		{"Something went wrong (Error code: x)"},
	})
	want := [][]int{{1}, {3, 0}, nil, {1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SameMessage = %v, want %v", got, want)
	}
}
