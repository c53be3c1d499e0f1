package errref

import (
	"encoding/binary"
	"encoding/json"
	"hash"
	"hash/fnv"
	"io/fs"
	"strconv"
	"strings"
)

// This file gives each planned output a key (Output.Key): a digest of
// everything its bytes depend on. errref serve keeps the outputs of its
// last build and makes again only those whose key changed (Live), so a
// key must change whenever the bytes may: TestKeysFollowEdits edits codes
// in every way that changes another page and checks that two plans that
// give an output the same key give it the same bytes.
//
// A key is made of parts that are digests themselves:
//   - global: the options, site.yaml and every template and static file;
//   - a code's version: the digest of the file it was decoded from;
//   - codeset: every code string and slug (Markdown names codes);
//   - structure: every code's place (order, slug, code, groups), which
//     the listings, the home page and the browse page show;
//   - all: global, structure and every code's version.
// A site with a code that was not decoded from a file (tests build some
// by hand) has no versions: every key is then "", which nothing matches.

type keyer struct {
	known                  bool // every code has a version
	global, codeset, shape string
	all                    string
}

func newKeyer(r *renderer) *keyer {
	k := &keyer{known: true}
	for _, c := range r.site.Codes {
		if c.version == 0 {
			k.known = false
			return k
		}
	}
	g := fnv.New64a()
	cfg, _ := json.Marshal(r.site.Config)
	writeParts(g, "global", r.opts.BaseURL, strconv.FormatBool(r.opts.LiveReload), string(cfg))
	for _, dir := range []string{"templates", "static"} {
		fs.WalkDir(r.assets, dir, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return nil
			}
			b, _ := fs.ReadFile(r.assets, p)
			writeParts(g, p, string(b))
			return nil
		})
	}
	k.global = digest(g)

	set, shape, all := fnv.New64a(), fnv.New64a(), fnv.New64a()
	for _, c := range r.site.Codes {
		writeParts(set, c.Code, c.Slug)
		writeParts(shape, c.Code, c.Slug, c.Category, r.site.SubsystemOf[c.Slug], strings.Join(c.Platforms, " "), c.Severity, c.Handling)
		var v [8]byte
		binary.LittleEndian.PutUint64(v[:], c.version)
		all.Write(v[:])
	}
	k.codeset, k.shape = digest(set), digest(shape)
	writeParts(all, k.global, k.shape)
	k.all = digest(all)
	return k
}

// codesVersion is a digest of every code's version, in order: what the
// search index is made from. It is "" when a code has no version.
func codesVersion(site *Site) string {
	h := fnv.New64a()
	for _, c := range site.Codes {
		if c.version == 0 {
			return ""
		}
		var v [8]byte
		binary.LittleEndian.PutUint64(v[:], c.version)
		h.Write(v[:])
	}
	return digest(h)
}

// key joins parts into a key, or "" when the site's codes have no
// versions.
func (k *keyer) key(parts ...string) string {
	if !k.known {
		return ""
	}
	h := fnv.New64a()
	writeParts(h, k.global)
	writeParts(h, parts...)
	return digest(h)
}

// codesPart is the slugs and versions of a list of codes, as one part.
func codesPart(cs []*Code) string {
	h := fnv.New64a()
	var v [8]byte
	for _, c := range cs {
		h.Write([]byte(c.Slug))
		binary.LittleEndian.PutUint64(v[:], c.version)
		h.Write(v[:])
	}
	return digest(h)
}

// slugsPart is the slugs of a list of codes, as one part: which codes
// it holds, not what they say.
func slugsPart(cs []*Code) string {
	h := fnv.New64a()
	for _, c := range cs {
		writeParts(h, c.Slug)
	}
	return digest(h)
}

func version(c *Code) string { return strconv.FormatUint(c.version, 36) }

// page is the key of an HTML page, from what its data shows.
func (k *keyer) page(r *renderer, path string, d *pageData) string {
	switch d.Kind {
	case "code":
		c := d.Code
		return k.key("code", path, k.codeset, version(c), codesPart(r.site.Related[c.Slug]), codesPart(r.site.SameMessage[c.Slug]))
	case "redirect":
		return k.key("redirect", path, version(d.Code))
	case "listing":
		return k.key("listing", path, k.shape, strconv.Itoa(d.Pager.Number), codesPart(d.Pager.Codes))
	case "home":
		parts := []string{"home", path, k.shape}
		for _, g := range d.Categories {
			parts = append(parts, codesPart(r.homeCodes(g)))
		}
		return k.key(parts...)
	case "browse":
		return k.key("browse", path, k.shape)
	case "notfound":
		return k.key("notfound", path)
	}
	return k.key("page", path, k.all)
}

func writeParts(h hash.Hash64, parts ...string) {
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
}

func digest(h hash.Hash64) string { return strconv.FormatUint(h.Sum64(), 36) }
