package errref

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// stageOf places each file of the package in the flow (ARCHITECTURE.md):
// 0 for the shapes every stage shares (a code, site.yaml, the table of
// fields, problems), then the stages in order, each with the files that
// serve it. A file may use what its own stage, an earlier one or the
// shared files declare, never what a later stage declares.
var stageOf = map[string]int{
	"code.go": 0, "config.go": 0, "fields.go": 0, "problem.go": 0, "suggest.go": 0, "license.go": 0,
	"load.go":     1,
	"validate.go": 2, "sources.go": 2, "schema.go": 2, // schema.go: check's per-field rules, for editors
	"site.go":   3,
	"index.go":  4,
	"render.go": 5, "keys.go": 5, "feeds.go": 5, "cards.go": 5, "reply.go": 5, "markdown.go": 5, "assets.go": 5,
	"build.go": 6, "live.go": 6, "write.go": 6, "write_linux.go": 6, "write_darwin.go": 6, "write_other.go": 6, "lock_unix.go": 6, "lock_other.go": 6,
}

// beside are files that compose stages for one command (fmt, new, the
// search guard of check, links): they may use any stage, and no stage
// uses them.
var beside = map[string]bool{"format.go": true, "skeleton.go": true, "guard.go": true, "links.go": true}

// searchFrom is the first stage that may import internal/search: the
// index stage hands it the codes; earlier stages share code keys through
// internal/rules instead.
const searchFrom = 4

// TestStagesLookDown checks the package's files against stageOf: no file
// uses a declaration of a later stage or of a file beside the flow, and no
// stage before the index imports internal/search.
func TestStagesLookDown(t *testing.T) {
	fset, files := placedFiles(t)
	uses := upwardUses(fset, files)
	for _, from := range slices.Sorted(maps.Keys(uses)) {
		for _, to := range slices.Sorted(maps.Keys(uses[from])) {
			where := "a later stage"
			if beside[to] {
				where = "a file beside the flow"
			}
			names := slices.Sorted(maps.Keys(uses[from][to]))
			t.Errorf("%s uses %s of %s, %s: move what both need to a file they may both use", from, strings.Join(names, ", "), to, where)
		}
	}
}

// placedFiles parses the package's files (tests aside), checks that each
// has a place in the flow and imports search only if it may, and returns
// those built on this system: files for other systems are placed too,
// but type-checked only on theirs, where they do not declare the same
// names twice.
func placedFiles(t *testing.T) (*token.FileSet, []*ast.File) {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range append(slices.Collect(maps.Keys(stageOf)), slices.Collect(maps.Keys(beside))...) {
		if !slices.Contains(names, name) {
			t.Errorf("flow_test.go places %s, which does not exist", name)
		}
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name.Name != "errref" {
			continue
		}
		if _, ok := stageOf[name]; !ok && !beside[name] {
			t.Errorf("%s has no place in the flow; add it to stageOf or beside in flow_test.go", name)
			continue
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == "github.com/errref/errref/internal/search" && !beside[name] && stageOf[name] < searchFrom {
				t.Errorf("%s imports internal/search, which only the index stage and later use", name)
			}
		}
		if match, err := build.Default.MatchFile(".", name); err != nil {
			t.Fatal(err)
		} else if match {
			files = append(files, f)
		}
	}
	return fset, files
}

// upwardUses type-checks files without their imports, which is enough to
// resolve every use of the package's own declarations, and returns the
// uses that go up the flow: from a file, to the file that declares them,
// by name.
func upwardUses(fset *token.FileSet, files []*ast.File) map[string]map[string]map[string]bool {
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: emptyImporter{}, Error: func(error) {}}
	pkg, _ := conf.Check("github.com/errref/errref", fset, files, info)
	uses := map[string]map[string]map[string]bool{}
	for id, obj := range info.Uses {
		if obj.Pkg() != pkg || !obj.Pos().IsValid() {
			continue
		}
		if v, ok := obj.(*types.Var); ok && v.IsField() {
			continue // a field belongs to its type, which was used to reach it
		}
		if _, method := obj.(*types.Func); !method && obj.Parent() != pkg.Scope() {
			continue // a local name
		}
		from, to := fset.Position(id.Pos()).Filename, fset.Position(obj.Pos()).Filename
		if from == to || beside[from] || !beside[to] && stageOf[to] <= stageOf[from] {
			continue
		}
		if uses[from] == nil {
			uses[from] = map[string]map[string]bool{}
		}
		if uses[from][to] == nil {
			uses[from][to] = map[string]bool{}
		}
		uses[from][to][obj.Name()] = true
	}
	return uses
}

// emptyImporter gives every import as an empty package: the test looks
// only at the package's own declarations.
type emptyImporter struct{}

func (emptyImporter) Import(path string) (*types.Package, error) {
	p := types.NewPackage(path, filepath.Base(path))
	p.MarkComplete()
	return p, nil
}
