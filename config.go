package errref

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/errref/errref/internal/rules"
)

// This file describes site.yaml, which every stage reads: the site's
// identity and its vocabularies.

// ConfigFile and CodesDir name the inputs inside the site root.
const (
	ConfigFile = "site.yaml"
	CodesDir   = "codes"
)

// Config is site.yaml: the site's identity and the vocabularies that code
// files are checked against.
type Config struct {
	Title       string     `yaml:"title"`
	Tagline     string     `yaml:"tagline"`
	Description string     `yaml:"description"`
	BaseURL     string     `yaml:"base_url"`
	Repository  string     `yaml:"repository"`
	Branch      string     `yaml:"branch"`
	Categories  []Category `yaml:"categories"`
	Subsystems  []Term     `yaml:"subsystems"`
	Platforms   []Term     `yaml:"platforms"`
}

// Category groups codes on the home page.
type Category struct {
	ID          string `yaml:"id"`
	Label       string `yaml:"label"`
	Description string `yaml:"description"`
	Order       int    `yaml:"order"`
}

// Term is one entry of a vocabulary: a subsystem or a platform.
type Term struct {
	ID          string `yaml:"id"`
	Label       string `yaml:"label"`
	Description string `yaml:"description"`
}

// Label names id of a vocabulary for people: site.yaml's label for a
// category, subsystem or platform, errref's own (rules.Label) for the
// others; an id without a label is its own label.
func (cfg *Config) Label(vocab, id string) string {
	var terms []Term
	switch vocab {
	case "category":
		for _, c := range cfg.Categories {
			if c.ID == id {
				return c.Label
			}
		}
		return id
	case "subsystem":
		terms = cfg.Subsystems
	case "platform":
		terms = cfg.Platforms
	default:
		return rules.Label(vocab, id)
	}
	for _, t := range terms {
		if t.ID == id {
			return t.Label
		}
	}
	return id
}

// CheckBaseURL reports what is wrong with a base URL, or nil: the site's
// address must be absolute http or https, with no query or fragment,
// since every link of the site is made by appending a path to it.
func CheckBaseURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case s == "":
		return errors.New("the base URL is empty")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fmt.Errorf("%q is not an absolute http(s) URL; write it in full, e.g. https://owner.github.io/repo/", s)
	case u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "#"):
		return fmt.Errorf("%q has a query or fragment; give the address without ?… or #…", s)
	}
	return nil
}

func categoryIDs(cfg *Config) []string {
	var ids []string
	for _, c := range cfg.Categories {
		ids = append(ids, c.ID)
	}
	return ids
}

func termIDs(ts []Term) []string {
	var ids []string
	for _, t := range ts {
		ids = append(ids, t.ID)
	}
	return ids
}
