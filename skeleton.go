package errref

import (
	"fmt"
	"strconv"
	"strings"
)

// Skeleton returns the text of a new code file for code, added and
// reviewed today (YYYY-MM-DD): the schema line, then every field of
// CodeFields in canonical order, empty where the contributor must write
// something, each with a comment saying what belongs there (its doc, and
// the allowed values: site.yaml's, when cfg is given). errref check
// reports what is still missing.
func Skeleton(code, today string, cfg *Config) []byte {
	return skeleton(CodeFields, code, today, cfg)
}

func skeleton(t Table, code, today string, cfg *Config) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", SchemaModeline)
	fmt.Fprintf(&b, "# %s — fill in every field, then run `errref check`. CONTRIBUTING.md explains each field.\n\n", strings.ReplaceAll(code, "\n", " "))
	for i := range t {
		f := &t[i]
		if f.Skeleton == "omit" {
			continue
		}
		prefix := ""
		if f.Skeleton == "comment" {
			prefix = "# "
		}
		switch f.Kind {
		case Text:
			val := `""`
			switch {
			case f.Name == "code":
				val = strconv.Quote(code)
			case f.Date:
				val = today
			}
			fmt.Fprintf(&b, "%s%s: %s # %s\n", prefix, f.Name, val, skeletonNote(f, cfg))
		case List:
			if f.Flow {
				fmt.Fprintf(&b, "%s%s: [] # %s\n", prefix, f.Name, skeletonNote(f, cfg))
			} else {
				fmt.Fprintf(&b, "%s%s: # %s\n%s  - \"\"\n", prefix, f.Name, skeletonNote(f, cfg), prefix)
			}
		case Records:
			fmt.Fprintf(&b, "%s%s: # %s\n", prefix, f.Name, skeletonNote(f, cfg))
			for j := range f.Fields {
				sub := &f.Fields[j]
				lead := "    "
				if j == 0 {
					lead = "  - "
				}
				val := `""`
				if sub.Example != "" {
					val = sub.Example
				}
				fmt.Fprintf(&b, "%s%s%s: %s # %s\n", prefix, lead, sub.Name, val, skeletonNote(sub, cfg))
			}
		}
	}
	return []byte(b.String())
}

// skeletonNote is the comment new writes after a field: what belongs
// there, and the values it may take.
func skeletonNote(f *Field, cfg *Config) string {
	note := f.Doc
	if f.Date {
		note += ", YYYY-MM-DD"
	}
	if vals := Vocabulary(f.Vocab, cfg); len(vals) > 0 {
		note += " (" + strings.Join(vals, " | ") + ")"
	}
	return note
}
