package rules

import (
	"reflect"
	"sort"
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
