package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/errref/errref"
	"github.com/errref/errref/internal/linkcheck"
)

func init() {
	commands["links"] = command{
		summary: "check every external link in codes/*.yaml and site.yaml; exit 1 if one is broken",
		run:     runLinks,
	}
}

// linkRules describes the rules errref links reports: its own LNK rules,
// and check's rules for files that cannot be read.
func linkRules(id string) (bool, string) {
	for _, r := range linkcheck.Rules {
		if r.ID == id {
			return r.Error, r.Summary
		}
	}
	return checkRules(id)
}

func runLinks(e *env, args []string) error {
	fs := newFlags(e, "links", "")
	dir := fs.String("dir", ".", "site `folder` holding site.yaml and codes/")
	format := fs.String("format", "text", "output `format`: text, json or github")
	timeout := fs.Duration("timeout", 10*time.Second, "time allowed for each request")
	deadline := fs.Duration("deadline", 2*time.Minute, "time allowed for the whole run; links not checked by then are reported as not checked")
	concurrency := fs.Int("concurrency", 8, "requests in flight at once")
	perHost := fs.Int("per-host", 2, "requests in flight to one host")
	attempts := fs.Int("attempts", 3, "tries per link when it fails with a temporary error, the first included")
	maxWait := fs.Duration("max-wait", 30*time.Second, "longest wait honoured, a back-off or the Retry-After a host asks for; a host that asks for more is not asked again in this run")
	cachePath := fs.String("cache", "", "`file` that remembers links that passed (default links.json in errref's folder of the user cache directory; \"off\" for none)")
	maxAge := fs.Duration("max-age", 24*time.Hour, "links that passed less than this long ago are not asked again; 0 asks again")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q; links takes no arguments (use -dir to name the site folder)", fs.Arg(0))
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"timeout", *timeout}, {"deadline", *deadline}, {"max-wait", *maxWait}} {
		if d.v <= 0 {
			return usagef("-%s must be a positive duration such as 10s or 2m, not %s", d.name, d.v)
		}
	}
	if *maxAge < 0 {
		return usagef("-max-age must be 0 or a positive duration such as 24h, not %s", *maxAge)
	}
	for _, n := range []struct {
		name string
		v    int
	}{{"concurrency", *concurrency}, {"per-host", *perHost}, {"attempts", *attempts}} {
		if n.v < 1 {
			return usagef("-%s must be at least 1, not %d", n.name, n.v)
		}
	}

	fsys := os.DirFS(*dir)
	in, loadProbs := errref.Load(fsys)
	var probs errref.Problems
	for _, p := range loadProbs {
		if p.IsError() {
			probs = append(probs, p)
		}
	}
	links := errref.ExternalLinks(fsys, in)
	var urls []string
	seen := map[string]bool{}
	for _, l := range links {
		if a := linkcheck.Address(l.URL); !seen[a] {
			seen[a] = true
			urls = append(urls, a)
		}
	}

	var cache *linkcheck.Cache
	if *cachePath != "off" {
		path := *cachePath
		if path == "" {
			var err error
			if path, err = linkcheck.DefaultCachePath(); err != nil {
				fmt.Fprintf(e.stderr, "errref links: no cache: %v; use -cache FILE to name one\n", err)
			}
		}
		if path != "" {
			var err error
			cache, err = linkcheck.OpenCache(path)
			if err != nil {
				fmt.Fprintf(e.stderr, "errref links: %v\n", err)
			}
		}
	}

	// Ctrl-C ends the run early, with a report of what was checked; a
	// second one, once the run has ended, stops the command at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep := linkcheck.Check(ctx, urls, linkcheck.Options{
		Timeout:     *timeout,
		Deadline:    *deadline,
		Concurrency: *concurrency,
		PerHost:     *perHost,
		Attempts:    *attempts,
		MaxDelay:    *maxWait,
		UserAgent:   userAgent(in),
		Cache:       cache,
		MaxAge:      *maxAge,
	})
	interrupted := ctx.Err() != nil
	stop()
	if cache != nil {
		if err := cache.Save(time.Now()); err != nil {
			fmt.Fprintf(e.stderr, "errref links: %v\n", err)
		}
	}

	byURL := map[string]linkcheck.Result{}
	for _, r := range rep.Results {
		byURL[r.URL] = r
	}
	if !rep.NetworkDown {
		for _, l := range links {
			r := byURL[linkcheck.Address(l.URL)]
			rule, ok := linkcheck.RuleFor(r.Status)
			if !ok {
				continue
			}
			probs = append(probs, errref.Problem{File: l.File, Line: l.Line, Col: l.Col, Rule: rule.ID, Field: l.Field,
				Msg: fmt.Sprintf("%s: %s; %s", l.URL, r.Detail, rule.Hint)})
		}
	}
	probs.Sort()
	probs = underDir(*dir, probs)

	summary := linksSummary(rep, len(links))
	var err error
	switch *format {
	case "text":
		for _, p := range probs {
			if _, err = fmt.Fprintln(e.stdout, p.String()); err != nil {
				return err
			}
		}
		if !rep.NetworkDown {
			fmt.Fprintln(e.stderr, summary)
		}
	case "json":
		// stdout is the JSON alone; the summary goes where text's does.
		if err = writeJSON(e.stdout, probs, linkRules, "broken_link"); err == nil && !rep.NetworkDown {
			fmt.Fprintln(e.stderr, summary)
		}
	case "github":
		if err = writeAnnotations(e.stdout, probs, linkRules); err != nil {
			return err
		}
		if rep.NetworkDown {
			fmt.Fprintf(e.stdout, "::error title=errref links::%s\n", escapeData(networkDown(rep)))
		}
		err = appendStepSummary(e, func(w io.Writer) error {
			return writeLinksSummary(w, rep, probs, summary)
		})
	}
	if err != nil {
		return err
	}
	if interrupted {
		return fmt.Errorf("%w: %s not checked (LNK007); run errref links again to check them",
			errInterrupted, count(rep.Count(linkcheck.StatusSkipped), "address was", "addresses were"))
	}
	if rep.NetworkDown {
		return fmt.Errorf("%s", networkDown(rep))
	}
	if hasErrors(probs, linkRules) {
		return errProblems
	}
	return nil
}

// userAgent names errref and where to read about it, so a site owner who
// sees the checker in a log knows what it is.
func userAgent(in *errref.Input) string {
	if r := in.Config.Repository; r != "" {
		return "errref-links (+" + r + ")"
	}
	return "errref-links"
}

func networkDown(rep *linkcheck.Report) string {
	return fmt.Sprintf("the network is unreachable: no host could be resolved or reached (%s); none of the %s was checked, so none is reported broken; run errref links again on a machine with network",
		rep.NetworkDetail, count(len(rep.Results), "address", "addresses"))
}

// linksSummary is one paragraph on what the run did.
func linksSummary(rep *linkcheck.Report, links int) string {
	broken := rep.Count(linkcheck.StatusDead) + rep.Count(linkcheck.StatusUnreachable) + rep.Count(linkcheck.StatusLoop)
	unverified := rep.Count(linkcheck.StatusForbidden) + rep.Count(linkcheck.StatusFlaky)
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s on %s) in %s: %d fine, %d broken, %d moved, %d unverified, %d skipped",
		plural(links, "link"), count(len(rep.Results), "address", "addresses"), plural(rep.Hosts, "host"),
		rep.Elapsed.Round(time.Millisecond), rep.Count(linkcheck.StatusOK), broken,
		rep.Count(linkcheck.StatusMoved), unverified, rep.Count(linkcheck.StatusSkipped))
	fmt.Fprintf(&b, "; %d from the cache, %d retried (%s), %s sent", rep.FromCache, rep.Retried,
		count(rep.Retries, "retry", "retries"), plural(rep.Requests, "request"))
	return b.String()
}

// writeLinksSummary is the step summary: the paragraph, then a table.
func writeLinksSummary(w io.Writer, rep *linkcheck.Report, probs errref.Problems, summary string) error {
	var b strings.Builder
	b.WriteString("## errref links\n\n")
	if rep.NetworkDown {
		fmt.Fprintf(&b, "**%s.**\n\n", mdCell(networkDown(rep)))
	} else {
		fmt.Fprintf(&b, "%s.\n\n", mdCell(summary))
	}
	problemTable(&b, probs)
	_, err := io.WriteString(w, b.String())
	return err
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
