package errref_test

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/errref/errref"
	"github.com/errref/errref/internal/linkcheck"
	"github.com/rhysd/actionlint"
	"gopkg.in/yaml.v3"
)

var workflowFiles = []string{".github/workflows/ci.yml", ".github/workflows/pages.yml", ".github/workflows/links.yml"}

// browserReadFile reads a file of the repository or stops the test.
func browserReadFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.FromSlash(name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// lintWorkflow runs actionlint over one workflow and returns its findings
// as lines. Shellcheck and pyflakes stay off: neither is installed by
// .ci/run, and a check that depends on what a machine happens to have
// would pass on one machine and fail on another.
func lintWorkflow(t *testing.T, name string, src []byte) []string {
	t.Helper()
	var out bytes.Buffer
	l, err := actionlint.NewLinter(&out, &actionlint.LinterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.Lint(name, src, nil)
	if err != nil {
		t.Fatalf("actionlint on %s: %v", name, err)
	}
	var lines []string
	for _, e := range errs {
		lines = append(lines, e.Error())
	}
	return lines
}

func TestWorkflowsPassActionlint(t *testing.T) {
	for _, name := range workflowFiles {
		t.Run(filepath.Base(name), func(t *testing.T) {
			for _, e := range lintWorkflow(t, name, browserReadFile(t, name)) {
				t.Error(e)
			}
		})
	}
	// The linter is really wired up: a reference to an output that the
	// step does not have must be reported.
	t.Run("catches-mistakes", func(t *testing.T) {
		src := bytes.Replace(browserReadFile(t, ".github/workflows/pages.yml"),
			[]byte("steps.pages.outputs.base_url"), []byte("steps.pages.outputs.base_uri"), 1)
		if got := lintWorkflow(t, "broken.yml", src); len(got) == 0 {
			t.Error("actionlint found nothing wrong with a reference to a missing output")
		}
	})
}

// workflow is the part of a GitHub Actions workflow these tests read.
type workflow struct {
	On          yaml.Node         `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Concurrency struct {
		Group            string `yaml:"group"`
		CancelInProgress bool   `yaml:"cancel-in-progress"`
	} `yaml:"concurrency"`
	Jobs map[string]struct {
		Needs          any `yaml:"needs"`
		TimeoutMinutes int `yaml:"timeout-minutes"`
		Environment    struct {
			Name string `yaml:"name"`
		} `yaml:"environment"`
		Steps []struct {
			ID   string            `yaml:"id"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
			Env  map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func readWorkflow(t *testing.T, name string) *workflow {
	t.Helper()
	var w workflow
	if err := yaml.Unmarshal(browserReadFile(t, name), &w); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &w
}

// commands returns every shell command line the workflow runs, and the
// actions it uses with their inputs.
func (w *workflow) commands() (runs []string, uses map[string]map[string]string) {
	uses = map[string]map[string]string{}
	jobs := make([]string, 0, len(w.Jobs))
	for name := range w.Jobs {
		jobs = append(jobs, name)
	}
	slices.Sort(jobs)
	for _, name := range jobs {
		for _, s := range w.Jobs[name].Steps {
			for _, line := range strings.Split(s.Run, "\n") {
				if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
					runs = append(runs, line)
				}
			}
			if s.Uses != "" {
				action, _, _ := strings.Cut(s.Uses, "@")
				uses[action] = s.With
			}
		}
	}
	return runs, uses
}

// readmeCommands returns the command lines of the README's shell blocks,
// without their trailing comments.
func readmeCommands(t *testing.T) []string {
	t.Helper()
	var cmds []string
	in := false
	sc := bufio.NewScanner(bytes.NewReader(browserReadFile(t, "README.md")))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "```") {
			in = !in
			continue
		}
		if !in {
			continue
		}
		if i := strings.Index(line, " #"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line != "" && !strings.HasPrefix(line, "#") {
			cmds = append(cmds, line)
		}
	}
	return cmds
}

// runsCommand reports whether one of lines runs cmd: the same program and
// subcommand, with every argument of cmd among the line's arguments (a
// line may add flags such as -count=1).
func runsCommand(lines []string, cmd string) bool {
	want := strings.Fields(cmd)
	for _, line := range lines {
		got := strings.Fields(line)
		if len(got) < 2 || len(want) < 2 || got[0] != want[0] || got[1] != want[1] {
			continue
		}
		ok := true
		for _, a := range want[2:] {
			if !slices.Contains(got[2:], a) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func TestWorkflowsRunTheREADMECommands(t *testing.T) {
	readme := readmeCommands(t)
	var testCmd string
	for _, c := range readme {
		if strings.HasPrefix(c, "go test") {
			testCmd = c
		}
	}
	if testCmd == "" || !slices.Contains(readme, "go run ./cmd/errref serve") {
		t.Fatalf("README's shell blocks should hold `go run ./cmd/errref serve` and a `go test` command; found %q", readme)
	}

	ci, ciUses := readWorkflow(t, ".github/workflows/ci.yml").commands()
	ciRun := nonComments(string(browserReadFile(t, ".ci/run")))
	switch {
	case runsCommand(ci, testCmd):
	case slices.Contains(ci, "bash .ci/run"):
		if !runsCommand(ciRun, testCmd) {
			t.Errorf(".ci/run does not run the README's test command %q", testCmd)
		}
	default:
		t.Errorf("ci.yml runs neither the README's test command %q nor bash .ci/run", testCmd)
	}
	for _, c := range []string{
		"go run ./cmd/errref check -format github",
		"go run ./cmd/errref fmt -check",
		"go run ./cmd/errref build -o public",
	} {
		if !runsErrref(ci, c) {
			t.Errorf("ci.yml does not run %q", c)
		}
	}
	if with, ok := ciUses["actions/upload-artifact"]; !ok || strings.TrimSuffix(with["path"], "/") != "public" {
		t.Errorf("ci.yml should upload public/ with actions/upload-artifact; got %v", with)
	}
	if with := ciUses["actions/setup-go"]; with["go-version-file"] != "go.mod" {
		t.Errorf("ci.yml should take Go's version from go.mod; setup-go has %v", with)
	}

	pages, pagesUses := readWorkflow(t, ".github/workflows/pages.yml").commands()
	if !runsErrref(pages, "go run ./cmd/errref build -o public -base-url") {
		t.Errorf("pages.yml does not build into public/ with -base-url; it runs %q", pages)
	}
	if with, ok := pagesUses["actions/upload-pages-artifact"]; !ok || strings.TrimSuffix(with["path"], "/") != "public" {
		t.Errorf("pages.yml should upload public/ with actions/upload-pages-artifact; got %v", with)
	}
	for _, a := range []string{"actions/configure-pages", "actions/deploy-pages"} {
		if _, ok := pagesUses[a]; !ok {
			t.Errorf("pages.yml does not use %s", a)
		}
	}

	links, _ := readWorkflow(t, ".github/workflows/links.yml").commands()

	// Every errref command the workflows run is one the README documents.
	for _, line := range slices.Concat(ci, pages, links) {
		f := strings.Fields(line)
		if len(f) >= 4 && f[0] == "go" && f[1] == "run" && f[2] == "./cmd/errref" {
			found := false
			for _, c := range readme {
				if g := strings.Fields(c); len(g) >= 4 && g[2] == "./cmd/errref" && g[3] == f[3] {
					found = true
				}
			}
			if !found {
				t.Errorf("workflow runs %q, which the README does not show", line)
			}
		}
	}
}

// runsErrref is runsCommand for an errref command line, which also matches
// the line with the subcommand's arguments in another order.
func runsErrref(lines []string, cmd string) bool {
	want := strings.Fields(cmd)
	for _, line := range lines {
		got := strings.Fields(line)
		if len(got) < 4 || !slices.Equal(got[:4], want[:4]) {
			continue
		}
		ok := true
		for _, a := range want[4:] {
			if !slices.Contains(got[4:], a) {
				ok = false
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// nonComments returns a shell script's lines that are not comments.
func nonComments(script string) []string {
	var out []string
	for _, line := range strings.Split(script, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

func TestPagesWorkflowPermissions(t *testing.T) {
	w := readWorkflow(t, ".github/workflows/pages.yml")
	want := map[string]string{"contents": "read", "pages": "write", "id-token": "write"}
	if len(w.Permissions) != len(want) {
		t.Errorf("permissions = %v, want exactly %v", w.Permissions, want)
	}
	for k, v := range want {
		if w.Permissions[k] != v {
			t.Errorf("permissions[%s] = %q, want %q", k, w.Permissions[k], v)
		}
	}
	if w.Concurrency.Group != "pages" || w.Concurrency.CancelInProgress {
		t.Errorf("concurrency = %+v, want group pages without cancel-in-progress", w.Concurrency)
	}
	deployed := false
	for _, j := range w.Jobs {
		for _, s := range j.Steps {
			if strings.HasPrefix(s.Uses, "actions/deploy-pages@") {
				deployed = true
				if j.Environment.Name != "github-pages" {
					t.Errorf("the deploy job's environment is %q, want github-pages", j.Environment.Name)
				}
				if j.Needs == nil {
					t.Error("the deploy job does not wait for the build job (needs:)")
				}
			}
		}
	}
	if !deployed {
		t.Error("no job uses actions/deploy-pages")
	}
	// configure-pages gives the base URL without a trailing slash; the
	// build command must add one, or every link would lose a path segment.
	src := string(browserReadFile(t, ".github/workflows/pages.yml"))
	if !strings.Contains(src, "steps.pages.outputs.base_url") || !strings.Contains(src, `"${BASE_URL%/}/"`) {
		t.Error("pages.yml should pass configure-pages' base_url with exactly one trailing slash")
	}

	ci := readWorkflow(t, ".github/workflows/ci.yml")
	var events []string
	if err := ci.On.Decode(&events); err != nil {
		var m map[string]any
		if err := ci.On.Decode(&m); err != nil {
			t.Fatal(err)
		}
		for k := range m {
			events = append(events, k)
		}
	}
	for _, e := range []string{"pull_request", "push"} {
		if !slices.Contains(events, e) {
			t.Errorf("ci.yml does not run on %s (on: %v)", e, events)
		}
	}
}

// workflowEvents lists the events that start a workflow.
func workflowEvents(t *testing.T, w *workflow) []string {
	t.Helper()
	var events []string
	if err := w.On.Decode(&events); err == nil {
		return events
	}
	var single string
	if err := w.On.Decode(&single); err == nil {
		return []string{single}
	}
	var m map[string]any
	if err := w.On.Decode(&m); err != nil {
		t.Fatal(err)
	}
	for k := range m {
		events = append(events, k)
	}
	slices.Sort(events)
	return events
}

// TestLinksWorkflow: the link check runs weekly and on demand, reports to
// the step summary, and never runs where someone else's dead link could
// fail a pull request.
func TestLinksWorkflow(t *testing.T) {
	w := readWorkflow(t, ".github/workflows/links.yml")
	if got := workflowEvents(t, w); !slices.Equal(got, []string{"schedule", "workflow_dispatch"}) {
		t.Errorf("links.yml runs on %v, want exactly schedule and workflow_dispatch", got)
	}
	var on struct {
		Schedule []struct {
			Cron string `yaml:"cron"`
		} `yaml:"schedule"`
	}
	if err := w.On.Decode(&on); err != nil || len(on.Schedule) != 1 {
		t.Fatalf("links.yml should have one schedule: %v %+v", err, on)
	}
	// Weekly: a fixed minute, hour and day of the week, every month.
	if f := strings.Fields(on.Schedule[0].Cron); len(f) != 5 || strings.ContainsAny(f[0]+f[1]+f[4], "*/,-") || f[2] != "*" || f[3] != "*" {
		t.Errorf("cron %q is not once a week", on.Schedule[0].Cron)
	}
	if len(w.Permissions) != 1 || w.Permissions["contents"] != "read" {
		t.Errorf("links.yml permissions = %v, want only contents: read", w.Permissions)
	}
	runs, _ := w.commands()
	if !runsErrref(runs, "go run ./cmd/errref links -format github") {
		t.Errorf("links.yml should run errref links -format github (annotations and the step summary); it runs %q", runs)
	}
	// The waits fit the time: a host's Retry-After is honoured up to
	// -max-wait, which leaves at least half the run's -deadline for the
	// other hosts, and the deadline ends with time to spare (checkout,
	// compiling) before the job is cancelled, which would lose the report.
	for _, line := range runs {
		f := strings.Fields(line)
		if len(f) < 4 || f[2] != "./cmd/errref" || f[3] != "links" {
			continue
		}
		flags := map[string]time.Duration{}
		for i := 4; i+1 < len(f); i++ {
			if d, err := time.ParseDuration(f[i+1]); err == nil && strings.HasPrefix(f[i], "-") {
				flags[strings.TrimLeft(f[i], "-")] = d
			}
		}
		deadline, maxWait := flags["deadline"], flags["max-wait"]
		if deadline == 0 || maxWait == 0 {
			t.Errorf("links.yml runs %q; give it -deadline and -max-wait (the default 30s wait gives up on a host that rate-limits)", line)
			continue
		}
		if maxWait > deadline/2 {
			t.Errorf("links.yml: -max-wait %s leaves less than half of -deadline %s for the other hosts", maxWait, deadline)
		}
		for name, job := range w.Jobs {
			if timeout := time.Duration(job.TimeoutMinutes) * time.Minute; timeout < deadline+3*time.Minute {
				t.Errorf("links.yml job %s: timeout-minutes %d leaves less than 3 minutes past -deadline %s", name, job.TimeoutMinutes, deadline)
			}
		}
	}
	// The workflows that gate pull requests and deployments never check
	// links.
	for _, name := range []string{".github/workflows/ci.yml", ".github/workflows/pages.yml"} {
		other, _ := readWorkflow(t, name).commands()
		for _, line := range other {
			if f := strings.Fields(line); len(f) >= 4 && f[2] == "./cmd/errref" && f[3] == "links" {
				t.Errorf("%s runs %q; link checks belong to links.yml only", name, line)
			}
		}
	}
}

// TestCIScript runs .ci/run on a machine of stubs, as CI's fresh Debian
// machine would run it, and checks what it does rather than what it says:
// with no browser and no axe-core it installs Chromium with apt-get and
// axe-core 4 with npm, and only then runs the tests with CI=true and
// AXE_JS naming the installed axe-core; a failing go test fails the run.
// The stubs (go, apt-get, npm, node, id, sudo) log their arguments; the
// script's Chromium path is pointed at a file that does not exist.
func TestCIScript(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		if browserRequired() {
			t.Fatal("no bash to run .ci/run with; CI=true requires this test")
		}
		t.Skip("no bash")
	}
	src := string(browserReadFile(t, ".ci/run"))
	if fi, err := os.Stat(".ci/run"); err != nil || fi.Mode()&0o111 == 0 {
		t.Errorf(".ci/run should be executable (%v)", err)
	}
	for _, goTestFails := range []bool{false, true} {
		dir := t.TempDir()
		repo, stubs, home := filepath.Join(dir, "repo"), filepath.Join(dir, "bin"), filepath.Join(dir, "home")
		for _, d := range []string{filepath.Join(repo, ".ci"), stubs, home} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		script := strings.ReplaceAll(src, "/usr/bin/chromium", filepath.Join(dir, "no-chromium"))
		if err := os.WriteFile(filepath.Join(repo, ".ci", "run"), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		log := filepath.Join(dir, "log")
		goExit := "0"
		if goTestFails {
			goExit = "1"
		}
		for name, body := range map[string]string{
			"id":      `echo 0`,
			"sudo":    `echo "sudo $*" >>"$LOG"; "$@"`,
			"apt-get": `echo "apt-get $*" >>"$LOG"`,
			"node":    `echo 4.0.0`,
			"npm": `echo "npm $*" >>"$LOG"
prefix=""; while [ $# -gt 0 ]; do [ "$1" = --prefix ] && prefix="$2"; shift; done
mkdir -p "$prefix/node_modules/axe-core" && echo "/* axe */" >"$prefix/node_modules/axe-core/axe.min.js"`,
			"go": `if [ "$1" = version ]; then echo "go version stub"; exit 0; fi
echo "go $* CI=$CI AXE_JS=$AXE_JS axe-present=$([ -f "$AXE_JS" ] && echo yes || echo no)" >>"$LOG"
exit ` + goExit,
		} {
			if err := os.WriteFile(filepath.Join(stubs, name), []byte("#!/usr/bin/env bash\n"+body+"\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		cmd := exec.Command("bash", filepath.Join(repo, ".ci", "run"))
		cmd.Env = []string{"PATH=" + stubs + ":/usr/bin:/bin", "HOME=" + home, "LOG=" + log}
		cmd.Stdin = nil
		out, err := cmd.CombinedOutput()
		if goTestFails {
			if err == nil {
				t.Errorf(".ci/run exited 0 although go test failed:\n%s", out)
			}
			continue
		}
		if err != nil {
			t.Fatalf(".ci/run failed: %v\n%s", err, out)
		}
		data, _ := os.ReadFile(log)
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		step := func(prefix, what string) int {
			for i, l := range lines {
				if strings.HasPrefix(l, prefix) {
					return i
				}
			}
			t.Errorf(".ci/run did not %s; it ran:\n%s", what, data)
			return -1
		}
		chromium := step("apt-get install -y -q --no-install-recommends chromium", "install chromium with apt-get")
		axe := step("npm install --prefix "+filepath.Join(home, ".cache", "errref-npm"), "install axe-core with npm")
		if axe >= 0 && !strings.Contains(lines[axe], "axe-core@4") {
			t.Errorf("npm installs %q, want axe-core@4", lines[axe])
		}
		mini := step("npm install --prefix "+filepath.Join(home, ".cache", "errref-npm-minisearch"), "install minisearch with npm")
		if mini >= 0 && !strings.Contains(lines[mini], "minisearch@7") {
			t.Errorf("npm installs %q, want minisearch@7", lines[mini])
		}
		test := step("go test ", "run go test")
		if test >= 0 {
			want := "CI=true AXE_JS=" + filepath.Join(home, ".cache", "errref-npm", "node_modules", "axe-core", "axe.min.js") + " axe-present=yes"
			if !strings.Contains(lines[test], "./...") || !strings.Contains(lines[test], want) {
				t.Errorf("go test ran as %q; want ./... with %s", lines[test], want)
			}
			if test < chromium || test < axe || test < mini {
				t.Errorf("go test ran before the installs:\n%s", data)
			}
		}
	}
}

// issueForm is the part of a GitHub issue form these tests check.
type issueForm struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Title       string `yaml:"title"`
	Body        []struct {
		Type       string `yaml:"type"`
		ID         string `yaml:"id"`
		Attributes struct {
			Label   string    `yaml:"label"`
			Value   string    `yaml:"value"`
			Options yaml.Node `yaml:"options"`
		} `yaml:"attributes"`
		Validations struct {
			Required bool `yaml:"required"`
		} `yaml:"validations"`
	} `yaml:"body"`
}

// options returns a dropdown's options or a checkbox group's labels.
func formOptions(t *testing.T, typ string, n yaml.Node) []string {
	t.Helper()
	var out []string
	switch typ {
	case "dropdown":
		if err := n.Decode(&out); err != nil {
			t.Fatal(err)
		}
	case "checkboxes":
		var boxes []struct {
			Label string `yaml:"label"`
		}
		if err := n.Decode(&boxes); err != nil {
			t.Fatal(err)
		}
		for _, b := range boxes {
			out = append(out, b.Label)
		}
	}
	return out
}

func readSiteConfig(t *testing.T) errref.Config {
	t.Helper()
	var c errref.Config
	if err := yaml.Unmarshal(browserReadFile(t, "site.yaml"), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestIssueForms(t *testing.T) {
	site := readSiteConfig(t)
	var platformLabels []string
	for _, p := range site.Platforms {
		platformLabels = append(platformLabels, p.Label)
	}
	idRE := regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)
	types := []string{"markdown", "input", "textarea", "dropdown", "checkboxes"}

	for _, name := range []string{"new-error-code.yml", "correction.yml"} {
		t.Run(name, func(t *testing.T) {
			var f issueForm
			dec := yaml.NewDecoder(bytes.NewReader(browserReadFile(t, ".github/ISSUE_TEMPLATE/"+name)))
			if err := dec.Decode(&f); err != nil {
				t.Fatal(err)
			}
			if f.Name == "" || f.Description == "" || len(f.Body) == 0 {
				t.Fatalf("name, description and body are required; got name %q, description %q, %d body items", f.Name, f.Description, len(f.Body))
			}
			fields := map[string]int{}
			labels := map[string]bool{}
			for i, b := range f.Body {
				if !slices.Contains(types, b.Type) {
					t.Errorf("body[%d]: type %q is not one of %v", i, b.Type, types)
				}
				if b.Type == "markdown" {
					if b.Attributes.Value == "" {
						t.Errorf("body[%d]: markdown without a value", i)
					}
					continue
				}
				if !idRE.MatchString(b.ID) {
					t.Errorf("body[%d]: id %q is missing or not a plain identifier", i, b.ID)
				}
				if _, dup := fields[b.ID]; dup {
					t.Errorf("body[%d]: id %q is used twice", i, b.ID)
				}
				fields[b.ID] = i
				// GitHub refuses a form whose labels are empty or repeated.
				if b.Attributes.Label == "" || labels[b.Attributes.Label] {
					t.Errorf("body[%d] (%s): label %q is empty or used twice", i, b.ID, b.Attributes.Label)
				}
				labels[b.Attributes.Label] = true
				if (b.Type == "dropdown" || b.Type == "checkboxes") && len(formOptions(t, b.Type, b.Attributes.Options)) == 0 {
					t.Errorf("body[%d] (%s): no options", i, b.ID)
				}
			}
			item := func(id, typ string) int {
				i, ok := fields[id]
				if !ok || f.Body[i].Type != typ {
					t.Fatalf("no %s field with id %q", typ, id)
				}
				return i
			}
			// The code page's "Report a problem" link fills the field
			// with id "code" through ?code=...; new codes need it too.
			if i := item("code", "input"); !f.Body[i].Validations.Required {
				t.Error("the code field should be required")
			}
			if got := formOptions(t, "checkboxes", f.Body[item("platforms", "checkboxes")].Attributes.Options); !slices.Equal(got, platformLabels) {
				t.Errorf("platform checkboxes = %q, want site.yaml's platforms %q", got, platformLabels)
			}
			switch name {
			case "new-error-code.yml":
				if got := formOptions(t, "dropdown", f.Body[item("severity", "dropdown")].Attributes.Options); !slices.Equal(got, errref.Severities) {
					t.Errorf("severity options = %q, want %q", got, errref.Severities)
				}
				for _, id := range []string{"message", "resolution"} {
					if i := item(id, "textarea"); !f.Body[i].Validations.Required {
						t.Errorf("%s should be required", id)
					}
				}
			case "correction.yml":
				opts := formOptions(t, "dropdown", f.Body[item("field", "dropdown")].Attributes.Options)
				for _, o := range opts[:len(opts)-1] {
					if !slices.Contains(errref.CodeFields.Names(), o) {
						t.Errorf("field option %q is not a field of the schema (%v)", o, errref.CodeFields.Names())
					}
				}
			}
		})
	}

	t.Run("config.yml", func(t *testing.T) {
		var c struct {
			BlankIssuesEnabled *bool `yaml:"blank_issues_enabled"`
			ContactLinks       []struct {
				Name  string `yaml:"name"`
				URL   string `yaml:"url"`
				About string `yaml:"about"`
			} `yaml:"contact_links"`
		}
		if err := yaml.Unmarshal(browserReadFile(t, ".github/ISSUE_TEMPLATE/config.yml"), &c); err != nil {
			t.Fatal(err)
		}
		if c.BlankIssuesEnabled == nil || *c.BlankIssuesEnabled {
			t.Error("blank_issues_enabled should be false")
		}
		if len(c.ContactLinks) == 0 {
			t.Fatal("no contact link")
		}
		for _, l := range c.ContactLinks {
			if l.Name == "" || l.About == "" || l.URL == "" {
				t.Errorf("contact link %+v: name, url and about are required", l)
			}
		}
		if c.ContactLinks[0].URL != site.BaseURL {
			t.Errorf("the first contact link goes to %q, want the site, %q", c.ContactLinks[0].URL, site.BaseURL)
		}
	})
}

func TestContributingListsEveryRule(t *testing.T) {
	doc := string(browserReadFile(t, "CONTRIBUTING.md"))
	rows := map[string]string{}
	row := regexp.MustCompile(`^\|\s*` + "`?" + `((?:ERR|WARN|LNK)\d{3})` + "`?" + `\s*\|(.*)\|\s*$`)
	for _, line := range strings.Split(doc, "\n") {
		if m := row.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			if _, dup := rows[m[1]]; dup {
				t.Errorf("CONTRIBUTING.md lists %s twice", m[1])
			}
			rows[m[1]] = m[2]
		}
	}
	// check's rules and those of errref links, which -format json
	// describes the same way.
	all := slices.Clone(errref.Rules)
	var linkErrors []string
	for _, r := range linkcheck.Rules {
		all = append(all, errref.Rule{ID: r.ID, Summary: r.Summary})
		if r.Error {
			linkErrors = append(linkErrors, r.ID)
		}
	}
	for _, r := range all {
		cells, ok := rows[r.ID]
		if !ok {
			t.Errorf("CONTRIBUTING.md's rule table has no row for %s (%s)", r.ID, r.Summary)
			continue
		}
		// A row says what the rule means and how to fix it: two cells,
		// neither empty.
		parts := strings.Split(cells, "|")
		if len(parts) < 2 || strings.TrimSpace(parts[0]) == "" || strings.TrimSpace(parts[len(parts)-1]) == "" {
			t.Errorf("%s's row should have a meaning and a fix: %q", r.ID, cells)
		}
		// The meaning is the summary check -format json gives as
		// error_description, less the Markdown backticks.
		if got := strings.ReplaceAll(strings.TrimSpace(parts[0]), "`", ""); got != r.Summary {
			t.Errorf("%s: CONTRIBUTING.md says %q, errref.Rules says %q; make them agree", r.ID, got, r.Summary)
		}
		delete(rows, r.ID)
	}
	for id := range rows {
		t.Errorf("CONTRIBUTING.md lists %s, which is not in errref.Rules or linkcheck.Rules", id)
	}
	// Which link rules fail the run is said in words below the table.
	last := linkErrors[len(linkErrors)-1]
	want := strings.Join(linkErrors[:len(linkErrors)-1], ", ") + " and " + last + " are errors; the others are advice."
	if !strings.Contains(doc, want) {
		t.Errorf("CONTRIBUTING.md should say %q", want)
	}
	for _, cmd := range []string{"errref new", "errref check", "errref fmt", "errref serve", "errref links", "-format github"} {
		if !strings.Contains(doc, cmd) {
			t.Errorf("CONTRIBUTING.md does not mention %q", cmd)
		}
	}
}
