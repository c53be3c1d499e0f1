package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/errref/errref"
)

func init() {
	commands["check"] = command{
		summary: "validate codes/*.yaml and site.yaml; exit 1 if any error is found",
		run:     runCheck,
	}
}

func runCheck(e *env, args []string) error {
	fs := newFlags(e, "check", "")
	dir := fs.String("dir", ".", "site `folder` holding site.yaml and codes/")
	format := fs.String("format", "text", "output `format`: text, json or github")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q; check takes no arguments (use -dir to name the site folder)", fs.Arg(0))
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	in, probs := loadAndCheck(*dir)
	probs, err := searchGuard(*dir, in, probs)
	if err != nil {
		return err
	}
	switch *format {
	case "text":
		err = writeText(e.stdout, e.stderr, in, probs)
	case "json":
		err = writeJSON(e.stdout, probs, checkRules, "invalid_content")
	case "github":
		err = writeGitHub(e, probs)
	}
	if err != nil {
		return err
	}
	if probs.HasErrors() {
		return errProblems
	}
	return nil
}

// checkFormat refuses a -format that check and links do not write.
func checkFormat(format string) error {
	switch format {
	case "text", "json", "github":
		return nil
	}
	msg := fmt.Sprintf("unknown -format %q; use text, json or github", format)
	if s := errref.Suggest(format, []string{"text", "json", "github"}); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return usagef("%s", msg)
}

// loadAndCheck runs the first two stages on a site folder.
func loadAndCheck(dir string) (*errref.Input, errref.Problems) {
	in, probs := errref.Load(os.DirFS(dir))
	probs = append(probs, errref.Check(in)...)
	probs.Sort()
	return in, underDir(dir, probs)
}

// searchGuard adds check's search advice (WARN006) when the input has no
// errors; a failure to build the index is an error of its own.
func searchGuard(dir string, in *errref.Input, probs errref.Problems) (errref.Problems, error) {
	if probs.HasErrors() {
		return probs, nil
	}
	guard, err := errref.SearchGuard(errref.NewSite(in))
	if err != nil {
		return nil, fmt.Errorf("search guard: %w", err)
	}
	probs = append(probs, underDir(dir, guard)...)
	probs.Sort()
	return probs, nil
}

// underDir makes the problems' file names relative to the current folder
// rather than to the site folder, so that editors and GitHub annotations
// find the files when -dir names another folder.
func underDir(dir string, probs errref.Problems) errref.Problems {
	if filepath.Clean(dir) == "." {
		return probs
	}
	out := make(errref.Problems, len(probs))
	for i, p := range probs {
		p.File = path.Join(filepath.ToSlash(filepath.Clean(dir)), p.File)
		out[i] = p
	}
	return out
}

// writeText prints one line per problem, then a summary on stderr.
func writeText(stdout, stderr io.Writer, in *errref.Input, probs errref.Problems) error {
	for _, p := range probs {
		if _, err := fmt.Fprintln(stdout, p.String()); err != nil {
			return err
		}
	}
	errs, warns := probs.Count()
	switch {
	case errs > 0:
		fmt.Fprintf(stderr, "%s, %s in %s; fix the errors and run errref check again\n", plural(errs, "error"), plural(warns, "warning"), plural(len(in.Codes), "code"))
	case warns > 0:
		fmt.Fprintf(stderr, "%s checked: no errors, %s\n", plural(len(in.Codes), "code"), plural(warns, "warning"))
	default:
		fmt.Fprintf(stderr, "%s checked: no problems\n", plural(len(in.Codes), "code"))
	}
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// ruleInfo says how a rule is reported: whether it is an error (exit
// status 1) and the sentence -format json gives as error_description.
type ruleInfo func(rule string) (isError bool, summary string)

// checkRules describes the rules of errref check (errref.Rules).
func checkRules(id string) (bool, string) {
	return strings.HasPrefix(id, "ERR"), ruleSummary(id)
}

// hasErrors reports whether any problem is an error by info.
func hasErrors(probs errref.Problems, info ruleInfo) bool {
	for _, p := range probs {
		if isErr, _ := info(p.Rule); isErr {
			return true
		}
	}
	return false
}

// jsonProblem follows the error body convention of the API guides the
// project follows: error, error_description, error_details, error_code.
type jsonProblem struct {
	Error            string            `json:"error"`
	ErrorDescription string            `json:"error_description"`
	ErrorDetails     map[string]string `json:"error_details"`
	ErrorCode        string            `json:"error_code"`
}

// writeJSON prints the problems as an array; errorKind is the "error" of
// a problem that is an error ("advice" for the others).
func writeJSON(w io.Writer, probs errref.Problems, info ruleInfo, errorKind string) error {
	out := make([]jsonProblem, 0, len(probs))
	for _, p := range probs {
		isErr, summary := info(p.Rule)
		kind := errorKind
		if !isErr {
			kind = "advice"
		}
		detail := p.Msg
		if p.Field != "" {
			detail = p.Field + ": " + p.Msg
		}
		out = append(out, jsonProblem{
			Error:            kind,
			ErrorDescription: summary,
			ErrorDetails:     map[string]string{p.Location(): detail},
			ErrorCode:        p.Rule,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func ruleSummary(id string) string {
	for _, r := range errref.Rules {
		if r.ID == id {
			return r.Summary
		}
	}
	return ""
}

// writeGitHub prints workflow commands, which GitHub turns into
// annotations on the pull request's files. GitHub shows only the first ten
// annotations of a step, so the whole list also goes to the step summary.
func writeGitHub(e *env, probs errref.Problems) error {
	if err := writeAnnotations(e.stdout, probs, checkRules); err != nil {
		return err
	}
	return appendStepSummary(e, func(w io.Writer) error { return writeSummary(w, probs) })
}

// writeAnnotations prints one workflow command per problem.
func writeAnnotations(w io.Writer, probs errref.Problems, info ruleInfo) error {
	for _, p := range probs {
		level := "error"
		if isErr, _ := info(p.Rule); !isErr {
			level = "warning"
		}
		props := []string{"file=" + escapeProperty(p.File)}
		if p.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", p.Line))
		}
		if p.Col > 0 {
			props = append(props, fmt.Sprintf("col=%d", p.Col))
		}
		props = append(props, "title="+escapeProperty(p.Rule))
		msg := p.Msg
		if p.Field != "" {
			msg = p.Field + ": " + msg
		}
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", level, strings.Join(props, ","), escapeData(msg)); err != nil {
			return err
		}
	}
	return nil
}

// appendStepSummary appends what write writes to the file GitHub shows
// on the run's summary page, when there is one.
func appendStepSummary(e *env, write func(io.Writer) error) error {
	path := e.getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("writing the step summary: %w", err)
	}
	werr := write(f)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("writing the step summary: %w", werr)
	}
	return nil
}

func writeSummary(w io.Writer, probs errref.Problems) error {
	errs, warns := probs.Count()
	var b strings.Builder
	fmt.Fprintf(&b, "## errref check\n\n%s, %s\n\n", plural(errs, "error"), plural(warns, "warning"))
	problemTable(&b, probs)
	_, err := io.WriteString(w, b.String())
	return err
}

// problemTable writes the problems as a Markdown table.
func problemTable(b *strings.Builder, probs errref.Problems) {
	if len(probs) == 0 {
		return
	}
	b.WriteString("| Location | Rule | Field | Problem |\n| --- | --- | --- | --- |\n")
	for _, p := range probs {
		fmt.Fprintf(b, "| `%s` | %s | %s | %s |\n", p.Location(), p.Rule, mdCell(p.Field), mdCell(p.Msg))
	}
}

func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// escapeData and escapeProperty follow the workflow command escaping
// rules, so a message with a newline or a colon cannot end the command.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
