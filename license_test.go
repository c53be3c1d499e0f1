package errref

import (
	"os"
	"strings"
	"testing"
)

// communityNotice is the copyright and permission notice of the community
// reference (github.com/0iy/spotify-error-ref, file LICENSE), which its MIT
// licence requires every copy of a substantial portion to keep.
const communityNotice = `Copyright (c) 2025 0iy

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.
`

func readRepoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("%v; the repository must hold %s", err, name)
	}
	return string(b)
}

// TestLicenseFiles checks the licence where a person reads it: LICENSE
// names both parts and agrees with ContentLicense, NOTICE keeps the
// community reference's notice word for word, and README and CONTRIBUTING
// point at them.
func TestLicenseFiles(t *testing.T) {
	lic := readRepoFile(t, "LICENSE")
	for _, want := range []string{
		ContentLicense.Name, ContentLicense.URL, "codes/",
		"MIT License", "Copyright (c) 2026 errref contributors",
		"The above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.",
		"NOTICE",
	} {
		if !strings.Contains(lic, want) {
			t.Errorf("LICENSE does not contain %q", want)
		}
	}
	notice := readRepoFile(t, "NOTICE")
	for _, want := range []string{communityNotice, "https://github.com/0iy/spotify-error-ref", "MIT License"} {
		if !strings.Contains(notice, want) {
			t.Errorf("NOTICE does not contain %q", want)
		}
	}
	readme := readRepoFile(t, "README.md")
	_, credits, ok := strings.Cut(readme, "## Licence and credits")
	if !ok {
		t.Fatal("README.md has no \"Licence and credits\" section")
	}
	for _, want := range []string{"0iy/spotify-error-ref", "NOTICE", "LICENSE", ContentLicense.Name, "MIT"} {
		if !strings.Contains(credits, want) {
			t.Errorf("README.md's credits do not mention %q", want)
		}
	}
	contrib := readRepoFile(t, "CONTRIBUTING.md")
	_, agree, ok := strings.Cut(contrib, "## Licence of contributions")
	if !ok {
		t.Fatal("CONTRIBUTING.md has no \"Licence of contributions\" section saying what a contributor agrees to")
	}
	agree, _, _ = strings.Cut(agree, "\n## ")
	for _, want := range []string{ContentLicense.Name, "MIT", "LICENSE", "your own words"} {
		if !strings.Contains(agree, want) {
			t.Errorf("CONTRIBUTING.md's licence section does not mention %q", want)
		}
	}
}
