// Package errref builds errref, a reference of Spotify desktop error
// codes, from one YAML file per code into a static web site.
//
// # Input
//
// A site folder holds site.yaml and codes/. site.yaml names the site
// (title, tagline, description, base_url, repository, branch) and lists the
// vocabularies codes are checked against: categories (id, label,
// description, order), subsystems and platforms (id, label, description).
//
// codes/<slug>.yaml describes one code. The file name is the slug of the
// code (rules.Slug): its ASCII letters and digits, lower-cased, every other
// run of characters one dash. The fields, in canonical order, are the
// table of fields (the tags of Code, read by fields.go), which drives
// decoding, check, fmt, new, the API and the JSON Schema; the first line
// of every file names that schema for editors (SchemaModeline):
//
//	# yaml-language-server: $schema=../schema/code.schema.json
//	code: "accounts:4"          # required; exactly as the app shows it
//	title: No internet connection detected   # required; one line, ≤ 80 characters
//	severity: fatal             # required; fatal | error | warn | info
//	category: network           # required; a category id of site.yaml
//	subsystem: accounts         # optional; a subsystem id; defaults to the part before ':' when known
//	platforms: [windows]        # required; platform ids of site.yaml
//	handling: fix-setup         # required; retry | reauthenticate | slow-down | fix-data | fix-setup | update | account
//	message: "No internet connection detected."   # optional; verbatim, one line
//	alt_messages: []            # optional; other verbatim messages shown for the same code
//	aliases: ["error 4"]        # optional; other strings people type for the code
//	chain:                      # required; the cause chain, root first
//	  - step: netprofm          #   required; one line
//	    detail: Windows NLA     #   optional; inline Markdown
//	    state: critical         #   optional; neutral | fragile | critical | good
//	causes: [...]               # required, ≥ 1; inline Markdown each
//	resolution: [...]           # required, ≥ 1; ordered steps, inline Markdown each
//	note: |                     # optional; block Markdown (raw HTML is refused)
//	related: ["accesspoint:31"] # optional; codes that exist
//	sources:                    # required, ≥ 1; the public pages the facts come from
//	  - url: https://github.com/owner/repo/issues/1  # required; https, no tracking parameters, once per code
//	    title: Crash on start   #   required; one line
//	    supports: message, causes  # optional; which facts it backs
//	old_slugs: []               # optional; slugs the code had before a rename (kept as redirects)
//	added: 2026-11-22           # required; YYYY-MM-DD
//	reviewed: 2026-11-29        # required; YYYY-MM-DD, the last check against the sources; not before added
//
// # Stages
//
// ARCHITECTURE.md tells the same story for people changing the code: the
// invariants, the budgets, and how to add a field, a page, a rule or a
// search capability.
//
// Data moves one way, one stage per file, each with one entry point that
// takes the previous stage's value: Load (load.go) decodes strictly and
// keeps positions; Check (validate.go) collects every Problem; NewSite
// (site.go) orders codes and derives links; Index (index.go) hands the
// codes to package internal/search, which indexes them with bleve and
// exports search-index.json; Render (render.go) plans every output file
// (Plan) and makes them on every core, in memory (Make) or handing each
// to a sink as soon as it is made (MakeTo); Write (write.go) puts them on
// disk atomically, through a DirWriter that writes files as they come.
// LoadSite composes the first three, SearchIndex the index and its whole
// export, SearchFiles the index and the files of the layout the site
// serves (whole, or split for a large corpus), Build all but Write, and
// BuildTo everything, streaming to disk (errref build), so that the whole
// site is never held in memory; Live (live.go) runs them again after
// every change for errref serve, doing again only what the change needs.
// The command and the tests call these, never a copy of the pipeline. Rules that several stages share (code
// keys and order, slugs and the shape of a code, link classes, message
// grouping, labels) live in package internal/rules.
//
// # Output
//
// index.html; codes/<slug>/index.html for each code and for each old slug
// (a redirect), and codes/<slug>/card.png, the code's 1200×630 card (its
// og:image, drawn by internal/card), with card.png the site's card for
// every other page; category/<id>/, subsystem/<id>/, platform/<id>/,
// severity/<id>/ and handling/<id>/ listings, split into pages of
// ListingPageSize codes (<listing>/page/2/, …, linked to each other and
// listed in the sitemap), and browse/; 404.html, with slugs.json, the map
// from every slug a reader may type to its code that 404.html fetches;
// sitemap.xml, robots.txt, llms.txt, llms-full.txt, feed.xml;
// api/v1/codes.json and api/v1/codes/<slug>.json; schema/code.schema.json
// (the JSON Schema of a code file); search-index.json (and, for a large
// corpus, search/t<i>.json and search/d<i>.json: see package
// internal/search), search.js, app.js and the other static files. The same input always
// gives byte-identical output.
//
// The home page lists every code when the site has at most HomeAllCodes;
// a larger site's home page lists the HomeTopCodes most linked codes of
// each category and links to the category's listing, so that every page
// stays within the first-paint budget and every code is at most three
// clicks from the home page.
//
// A code page carries what forum helpers need (reply.go): an id on every
// section (h-fix), cause (cause-2) and step (fix-3), by position, with a
// link to itself, listed in the API record under "anchors"; "Copy as
// reply" and "Copy for chat" buttons whose text, built here, is the
// answer in Markdown and in plain text; and a JSON-LD block (a
// TechArticle with the code as identifier, and a BreadcrumbList).
//
// Every page's footer, the API (a license object in codes.json and in each
// code's own document), feed.xml (rights) and the llms files state
// ContentLicense.
package errref

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/errref/errref/internal/card"
)

// BuildOptions configure Build.
type BuildOptions struct {
	// BaseURL overrides site.yaml's base_url: the absolute address the
	// site is served at, e.g. https://owner.github.io/repo/.
	BaseURL string
	// LiveReload, Assets and Cards are passed to Render (see
	// RenderOptions).
	LiveReload bool
	Assets     fs.FS
	Cards      *card.Renderer
	// Sink, when set, receives every file as soon as it is made, from
	// several goroutines at once (see MakeTo), and Result.Files is nil.
	// BuildTo streams the site into a DirWriter this way, so that the
	// whole site is never held in memory.
	Sink func(path string, data []byte) error
}

// Result is a finished build.
type Result struct {
	Files    map[string][]byte // every output file, by slash path (nil with a Sink)
	Count    int               // how many files were made
	Site     *Site
	Problems Problems // warnings (a build with errors returns *BuildError)
}

// BuildError is returned when the input has errors: Problems lists them
// all, warnings included.
type BuildError struct{ Problems Problems }

func (e *BuildError) Error() string {
	n, _ := e.Problems.Count()
	return fmt.Sprintf("%d problems in the input:\n%s", n, e.Problems.Error())
}

// LoadSite runs the stages that read the input, Load, Check and NewSite,
// on a site folder. It returns the site and every problem, warnings too,
// sorted; when the input has errors there is no site and the error is a
// *BuildError. errref check, build, serve and search all start here.
func LoadSite(fsys fs.FS) (*Site, Problems, error) {
	return loadSite(fsys, nil, nil)
}

// loadSite is LoadSite with a Loader and a Checker that remember (Live);
// nil ones remember nothing.
func loadSite(fsys fs.FS, l *Loader, ch *Checker) (*Site, Problems, error) {
	in, probs := l.Load(fsys)
	probs = append(probs, ch.Check(in)...)
	probs.Sort()
	if probs.HasErrors() {
		return nil, probs, &BuildError{Problems: probs}
	}
	return NewSite(in), probs, nil
}

// setBaseURL gives the site the base URL of the options, if any, ending
// in "/".
func setBaseURL(site *Site, baseURL string) error {
	if baseURL != "" {
		if err := CheckBaseURL(baseURL); err != nil {
			return fmt.Errorf("base URL %w", err)
		}
		site.Config.BaseURL = baseURL
	}
	if !strings.HasSuffix(site.Config.BaseURL, "/") {
		site.Config.BaseURL += "/"
	}
	return nil
}

// SearchIndex runs the index stage and exports its result whole: the
// bytes of search-index.json in the whole layout, which search.NewSearcher
// reads (the site serves it so unless the corpus is large: SearchFiles).
func SearchIndex(site *Site) ([]byte, error) {
	ix, err := Index(site)
	if err != nil {
		return nil, fmt.Errorf("building the search index: %w", err)
	}
	defer ix.Close()
	index, err := ix.JSON()
	if err != nil {
		return nil, fmt.Errorf("exporting the search index: %w", err)
	}
	return index, nil
}

// SearchFiles runs the index stage and exports its result as the site
// serves it: search-index.json, with the parts of the split layout when
// the corpus is large (see search.Index.Files).
func SearchFiles(site *Site) (map[string][]byte, error) {
	ix, err := Index(site)
	if err != nil {
		return nil, fmt.Errorf("building the search index: %w", err)
	}
	defer ix.Close()
	files, err := ix.Files()
	if err != nil {
		return nil, fmt.Errorf("exporting the search index: %w", err)
	}
	return files, nil
}

// Build runs every stage on a site folder (LoadSite, SearchFiles, Render)
// and returns the files to write. It writes nothing; pass Result.Files to
// Write.
func Build(fsys fs.FS, opts BuildOptions) (*Result, error) {
	site, probs, err := LoadSite(fsys)
	if err != nil {
		return nil, err
	}
	if err := setBaseURL(site, opts.BaseURL); err != nil {
		return nil, err
	}
	// Positions serve only to report problems, which are known by now;
	// at 10,000 codes they hold tens of megabytes that the index needs.
	for _, c := range site.Codes {
		c.Pos, c.reported = nil, nil
	}
	// The index is built before the pages rather than beside them: both
	// at once would need the memory of both (at 10,000 codes, more than
	// the build may use) for little time saved.
	search, err := SearchFiles(site)
	if err != nil {
		return nil, err
	}
	index := search["search-index.json"]
	delete(search, "search-index.json")
	outs, err := Plan(site, RenderOptions{
		BaseURL:     site.Config.BaseURL,
		SearchIndex: index,
		SearchParts: search,
		LiveReload:  opts.LiveReload,
		Assets:      opts.Assets,
		Cards:       opts.Cards,
	})
	if err != nil {
		return nil, fmt.Errorf("rendering: %w", err)
	}
	res := &Result{Count: len(outs), Site: site, Problems: probs}
	if opts.Sink != nil {
		err = MakeTo(outs, opts.Sink)
	} else {
		res.Files, err = Make(outs)
	}
	if err != nil {
		return nil, fmt.Errorf("rendering: %w", err)
	}
	return res, nil
}

// BuildMemoryLimit is the soft memory limit (runtime/debug.SetMemoryLimit)
// under which errref build runs when GOMEMLIMIT sets none. Near it the
// collector works harder rather than let garbage double the heap; the
// budget is 500 MB at 10,000 codes, of which building the search index
// alone takes about 350 MB.
const BuildMemoryLimit = 420 << 20

// BuildTo builds the site and writes it into the folder dir as it is
// made, through a DirWriter: dir is replaced as a whole once every file is
// written, and left as it was on any failure. opts.Sink must be nil.
func BuildTo(dir string, fsys fs.FS, opts BuildOptions) (*Result, error) {
	if opts.Sink != nil {
		return nil, errors.New("BuildTo: the options already have a sink")
	}
	w, err := NewDirWriter(dir)
	if err != nil {
		return nil, err
	}
	opts.Sink = w.Add
	res, err := Build(fsys, opts)
	if err != nil {
		w.Abort()
		return nil, err
	}
	if err := w.Commit(); err != nil {
		return nil, err
	}
	return res, nil
}
