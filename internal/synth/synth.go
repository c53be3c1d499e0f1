// Package synth generates made-up sites of any size for benchmarks: the
// same n codes as an errref site folder (site.yaml and codes/*.yaml) and
// as a Hugo site (one Markdown file per code, a taxonomy per facet), so
// that both generators can be timed on the same content.
//
// The codes are deterministic for a given n and use the vocabularies of
// the site.yaml they are given: every field is filled, causes and steps
// carry inline Markdown, every fifth code has a note with a table and a
// code block, each code names the two before it as related, and groups of
// codes share a message so that "the same message" lists are not empty.
//
// The package does not import errref, so that errref's own tests can use it.
package synth

import (
	"bytes"
	"fmt"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/errref/errref/internal/rules"
)

// Vocab is what the generator reads of site.yaml.
type Vocab struct {
	Categories []Term `yaml:"categories"`
	Subsystems []Term `yaml:"subsystems"`
	Platforms  []Term `yaml:"platforms"`
}

// Term is one entry of a vocabulary.
type Term struct {
	ID          string `yaml:"id"`
	Label       string `yaml:"label"`
	Description string `yaml:"description"`
	Order       int    `yaml:"order"`
}

// ParseVocab reads the vocabularies of a site.yaml.
func ParseVocab(siteYAML []byte) (*Vocab, error) {
	var v Vocab
	if err := yaml.Unmarshal(siteYAML, &v); err != nil {
		return nil, fmt.Errorf("synth: site.yaml: %w", err)
	}
	if len(v.Categories) == 0 || len(v.Subsystems) == 0 || len(v.Platforms) == 0 {
		return nil, fmt.Errorf("synth: site.yaml needs categories, subsystems and platforms")
	}
	return &v, nil
}

// Severities and Handlings are errref's fixed vocabularies, in order.
var (
	Severities = []string{"fatal", "error", "warn", "info"}
	Handlings  = []string{"retry", "reauthenticate", "slow-down", "fix-data", "fix-setup", "update", "account"}
)

// Code is one generated code, with the fields of a code file in their
// canonical order.
type Code struct {
	Code       string   `yaml:"code"`
	Title      string   `yaml:"title"`
	Severity   string   `yaml:"severity"`
	Category   string   `yaml:"category"`
	Platforms  []string `yaml:"platforms,flow"`
	Handling   string   `yaml:"handling"`
	Message    string   `yaml:"message"`
	Aliases    []string `yaml:"aliases,flow"`
	Chain      []Step   `yaml:"chain"`
	Causes     []string `yaml:"causes"`
	Resolution []string `yaml:"resolution"`
	Note       string   `yaml:"note,omitempty"`
	Related    []string `yaml:"related,omitempty,flow"`
	Sources    []Source `yaml:"sources"`
	Added      string   `yaml:"added"`
	Reviewed   string   `yaml:"reviewed"`

	Slug      string `yaml:"-"`
	Subsystem string `yaml:"-"` // derived from the code's prefix
}

// Source is one entry of a code's sources.
type Source struct {
	URL      string `yaml:"url"`
	Title    string `yaml:"title"`
	Supports string `yaml:"supports,omitempty"`
}

// CommunityRef is the community reference that every code cites, at the
// commit the project cites it at.
const CommunityRef = "https://github.com/0iy/spotify-error-ref/blob/3eacc699df0aa74e895d566b87eafbc21835791e/llms-full.txt"

// Step is one link of a cause chain.
type Step struct {
	Step   string `yaml:"step"`
	Detail string `yaml:"detail,omitempty"`
	State  string `yaml:"state,omitempty"`
}

// Codes returns n generated codes, in the order they were made.
func Codes(v *Vocab, n int) []*Code {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	codes := make([]*Code, n)
	for i := range n {
		sub := v.Subsystems[i%len(v.Subsystems)].ID
		code := fmt.Sprintf("%s:%d", sub, 1000+i)
		c := &Code{
			Code:      code,
			Slug:      rules.Slug(code),
			Subsystem: sub,
			Title:     fmt.Sprintf("Synthetic failure %d in the %s service", i, sub),
			Severity:  Severities[i%len(Severities)],
			Category:  v.Categories[i%len(v.Categories)].ID,
			Platforms: []string{v.Platforms[i%len(v.Platforms)].ID},
			Handling:  Handlings[i%len(Handlings)],
			Message:   fmt.Sprintf("Something went wrong (%d). Please try again later.", i%500),
			Aliases:   []string{fmt.Sprintf("error %d", 1000+i)},
			Chain: []Step{
				{Step: "App start"},
				{Step: "Network stack", Detail: "proxy, VPN or `hosts` file", State: "fragile"},
				{Step: sub, State: "critical"},
				{Step: "Error shown"},
			},
			Causes: []string{
				"A firewall blocks `Spotify.exe` on port **4070**.",
				fmt.Sprintf("The %s service is down; see [the status page](https://status.example.com/%d).", sub, i),
				"The local cache under `%APPDATA%\\Spotify\\Data` is damaged.",
			},
			Resolution: []string{
				"Restart the app.",
				"Open **Settings → Advanced → Proxy** and choose *No proxy*.",
				"Run `ipconfig /flushdns` in an administrator prompt.",
				"Reinstall from spotify.com/download.",
			},
			Sources: []Source{
				{URL: CommunityRef, Title: "Spotify Desktop Error Reference (community, MIT)"},
				{URL: fmt.Sprintf("https://github.com/example/client/issues/%d", 1000+i), Title: fmt.Sprintf("Error %d after an update", 1000+i), Supports: "message, causes"},
			},
			Added:    start.AddDate(0, 0, i%300).Format(time.DateOnly),
			Reviewed: start.AddDate(0, 0, i%300+i%7).Format(time.DateOnly),
		}
		if i%5 == 0 {
			c.Note = "Seen after updates.\n\n| Step | Result |\n| --- | --- |\n| restart | fixed |\n\n```\nsc start netprofm\n```\n"
		}
		if i > 1 {
			c.Related = []string{codes[i-1].Code, codes[i-2].Code}
		}
		codes[i] = c
	}
	return codes
}

// YAML returns the code file of c.
func (c *Code) YAML() []byte {
	var b bytes.Buffer
	e := yaml.NewEncoder(&b)
	e.SetIndent(2)
	if err := e.Encode(c); err != nil {
		panic(err) // the types above always marshal
	}
	e.Close()
	return b.Bytes()
}

// Errref returns an errref site folder of n codes: the given site.yaml and
// codes/<slug>.yaml for each code, keyed by slash path.
func Errref(siteYAML []byte, n int) (map[string][]byte, error) {
	v, err := ParseVocab(siteYAML)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{"site.yaml": siteYAML}
	for _, c := range Codes(v, n) {
		files["codes/"+c.Slug+".yaml"] = c.YAML()
	}
	return files, nil
}
