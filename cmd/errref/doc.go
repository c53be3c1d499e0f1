/*
Errref builds, checks and previews errref, the reference of Spotify desktop
error codes. Every command works on the site folder given by -dir (default
the current folder), which holds site.yaml and codes/*.yaml.

Usage:

	errref <command> [flags] [arguments]

The commands are:

	build   [-o public] [-base-url URL]
		Render the site into the output folder. The folder is replaced
		only once the whole site has been rendered, so a failed build
		leaves the previous one as it was. -o is relative to -dir; build
		refuses a folder that holds the site or its sources, or one with
		files that are not an earlier build. -base-url overrides base_url
		in site.yaml, e.g. https://owner.github.io/repo/ for GitHub Pages.

	serve   [-addr localhost:8080]
		Build the site and serve it from memory. Changes to site.yaml,
		codes/, templates/ and static/ rebuild it and reload open pages.
		When an edit breaks the build, the last good build stays up and
		every page shows the problems until they are fixed. A rebuild
		decodes and checks only the code files that changed and makes
		again only the pages, cards and records whose content changed;
		what gathers the whole site (the search index, the feeds, the
		sitemap, codes.json) is made when first asked for, after the pages.

	check   [-format text|json|github]
		Validate only; when there is no error, also search for every
		code, alias and message as a reader types it and advise
		(WARN006) where another code comes first. text prints one line
		per problem,
		"file:line:col: RULE field: message"; json prints an array of
		{"error", "error_description", "error_details", "error_code"};
		github prints workflow commands that annotate a pull request and
		appends the full list to $GITHUB_STEP_SUMMARY.

	new     CODE
		Write codes/<slug>.yaml, a skeleton with every field and a
		comment on each. It never overwrites a file.

	fmt     [-check] [FILE.yaml ...]
		Rewrite code files in canonical key order and quoting, keeping
		comments. -check changes nothing and lists the files that differ.

	search  [-dir .] [-limit 10] [-json] [-category C] [-platform P]
	        [-severity S] [-handling H] QUERY
		Search the codes with the same index and ranking as the site's
		search box. Each filter takes values separated by commas; values
		of one filter are alternatives, different filters must all hold.
		-limit 0 shows every hit; -json prints slug, code, title,
		severity, score and match (why it matched: code, alias,
		phrase, words, prefix or typo) for each. A code-shaped string
		the site does not have ("auth:74") is named on standard error
		before the closest codes, with the new-code issue form to
		report it.

	links   [-format text|json|github] [-timeout 10s] [-deadline 2m]
	        [-concurrency 8] [-per-host 2] [-attempts 3] [-max-wait 30s]
	        [-cache FILE|off] [-max-age 24h]
		Check every external link: the url of each source and the links
		in Markdown fields of codes/*.yaml, and the addresses in
		site.yaml. Each address is asked for once (HEAD, then GET where
		the server mishandles HEAD), following redirects, each held to
		the limits of the host it goes to. Only temporary
		failures (timeouts, connection resets, 408, 429, 502, 503, 504)
		are retried, up to -attempts tries, with exponential back-off
		and full jitter, or after the wait a Retry-After header asks
		for. -max-wait is the longest wait honoured: a host whose
		Retry-After asks for more is not asked again in the run, and its
		links are reported as not checked (LNK007); raise it for a host
		that rate-limits many links, such as github.com. -timeout bounds each request and -deadline the whole run;
		at most -concurrency requests are in flight, -per-host to one
		host, and a host that fails three times in a row across several
		of its links (timeouts, dropped connections, 5xx) is not asked
		again for a minute (its circuit breaker opens). Dead pages
		(LNK001), unreachable hosts (LNK002) and redirect loops (LNK004)
		are errors; permanent redirects (LNK003) and links that could
		not be verified (LNK005-LNK007) are advice. Output follows
		check's formats; text and json end with a summary on stderr of
		what was checked, retried, skipped and broken (github writes it
		to the step summary). Links that passed less than -max-age ago
		are taken from the cache file (default links.json in errref's
		folder of the user cache directory, e.g.
		~/.cache/errref/links.json; -cache off for none). When no host can be resolved or reached, links says the
		network is unreachable and exits 1 without calling any link
		broken.

Exit status: 0 when all is well (warnings alone included), 1 when the
content has errors or the command failed, 2 when the command was called
wrongly, 130 when it was interrupted (Ctrl-C) before it was done, as a
shell reports a command that SIGINT ended; links still prints what it
had checked by then.

The rule IDs that check reports (ERR001…, WARN001…) and those of links
(LNK001…) are listed in CONTRIBUTING.md.
*/
package main
