// Package linkcheck checks that web addresses still lead somewhere, the way
// a careful production client calls a service it does not control.
//
// # What one check does
//
// Check takes a list of http and https addresses and returns one Result
// for each. An address is asked for with HEAD; a server that refuses HEAD
// (405, 501), answers it with another error status, or drops the
// connection is asked again with GET, and its host is remembered as one
// that mishandles HEAD, so its other addresses go straight to GET.
// Redirects are followed by hand, up to Options.MaxRedirects hops; an
// address seen twice in one chain is a loop. A chain that starts with
// permanent redirects (301, 308) and ends on a page reports the address
// those permanent hops lead to, so the link can be updated; temporary
// redirects (302, 303, 307) are normal and pass.
//
// # Failures, retries and back-off
//
// Only transient failures are retried: a request that timed out, a
// connection reset, closed or otherwise broken before the answer (an
// HTTP/2 stream reset or GOAWAY, a response cut off in its headers: any
// failure on a connection that had been made, short of a timeout), and
// the statuses 408, 429, 502, 503 and 504. Everything else is a final answer: 404 stays 404
// however often it is asked. Between attempts the checker waits with
// exponential back-off and full jitter: before attempt n+1 it sleeps a
// random time in [0, min(MaxDelay, BaseDelay·2ⁿ⁻¹)), so many clients that
// failed together do not retry together. A 429 or 503 with Retry-After
// (seconds, or an HTTP date) is honoured instead: no request goes to that
// host before the time it asked for, and when it asks for more than
// MaxDelay, or for a time past the run's deadline, the checker gives up on
// the address rather than wait, and the host's addresses not yet asked
// are reported as not checked (StatusSkipped) without a request.
//
// A name that does not resolve, a refused connection, no route to the
// host and an invalid TLS certificate concern the whole host: they are not
// retried, and the host's other addresses get the same answer without a
// request. DNS failures are not retried because the resolver has already
// retried them.
//
// # Limits
//
// Options.Timeout bounds each request, Options.Deadline the whole run;
// when the deadline comes, addresses not yet answered are reported as not
// checked (StatusSkipped), never as broken. At most Concurrency requests
// are in flight, and at most PerHost to one host (host and port); a
// worker waiting out a back-off holds neither. A redirect to another host
// is a request to that host like any other: it waits for one of that
// host's slots, is refused while that host's breaker is open, and waits
// out (or gives up on) a Retry-After that host gave.
//
// Each host has a circuit breaker. After BreakerThreshold failures in a
// row with no success between them (timeouts, dropped connections, 5xx)
// that span two of its addresses when the host stopped answering, or
// three when it answers with errors, it opens: the host's remaining
// addresses are skipped at once instead of each timing out, so one dead
// site costs seconds, not minutes. One page that fails on every retry
// does not open it (Attempts bounds that page), and a 429 neither counts
// nor resets. After BreakerCooldown one trial request is let through;
// success closes the breaker, failure opens it again.
//
// # Network
//
// A proxy (HTTPS_PROXY and the like) that cannot be reached is the
// machine's problem, not the site's: the addresses behind it are reported
// as not checked (StatusSkipped), never as broken.
//
// When every host that was tried failed to resolve, had no route, sat
// behind a proxy that cannot be reached or could not be connected to
// within the timeout, and none answered at all, the machine is offline
// (or its resolver, its proxy, or a firewall that drops its packets is):
// Report.NetworkDown is set and every address is reported as not checked,
// never as dead.
//
// # Cache
//
// With a Cache, addresses that passed (StatusOK, StatusMoved) less than
// MaxAge ago are not asked again. Failures are never cached, so a rerun
// after a fix checks them afresh.
//
// The clock, the random source and the HTTP transport are Options, so
// tests run against httptest servers without waiting for real back-offs.
package linkcheck

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Status is the outcome for one address.
type Status int

const (
	StatusOK          Status = iota // a page, perhaps through temporary redirects
	StatusMoved                     // permanently redirected (LNK003)
	StatusDead                      // an error status that retrying does not change (LNK001)
	StatusUnreachable               // no such host, refused, no route, bad TLS (LNK002)
	StatusLoop                      // a redirect loop or too many hops (LNK004)
	StatusForbidden                 // 401 or 403: the server refused the checker (LNK005)
	StatusFlaky                     // a transient failure on every attempt (LNK006)
	StatusSkipped                   // not checked: breaker open, deadline, no network (LNK007)
)

var statusNames = []string{"ok", "moved", "dead", "unreachable", "loop", "forbidden", "flaky", "skipped"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Rule is how a status is reported: a stable rule ID, whether it is an
// error (exit status 1) or advice, what it means, how to fix it, and the
// same advice in a few words for the end of a message.
type Rule struct {
	ID      string
	Status  Status
	Error   bool
	Summary string
	Fix     string
	Hint    string
}

// Rules lists the rules of errref links in ID order. CONTRIBUTING.md's
// table of link rules repeats Summary word for word (a test compares them).
var Rules = []Rule{
	{"LNK001", StatusDead, true,
		"The page is gone: the server answered 404, 410 or another error status that retrying does not change.",
		"Find where the page went (search for its title) or an archived copy and link to that; if nothing else backs the fact, remove it with the link.",
		"find the page's new address or an archived copy"},
	{"LNK002", StatusUnreachable, true,
		"The host cannot be reached: its name does not resolve, it refuses connections, or its TLS certificate is not valid.",
		"Check the address for typos; if the site is gone for good, cite another public source for the same fact.",
		"check the address; if the site is gone, cite another source"},
	{"LNK003", StatusMoved, false,
		"The address is permanently redirected (301 or 308) to another one.",
		"Replace the link with the address the message gives.",
		"write the new address instead"},
	{"LNK004", StatusLoop, true,
		"The address redirects in a loop, or through too many hops to reach a page.",
		"Open it in a browser and link to the page it should reach.",
		"open it in a browser and link to the page it reaches"},
	{"LNK005", StatusForbidden, false,
		"The server refused the checker (401 or 403), so the link could not be verified.",
		"Open it in a browser: if it works there, the site blocks automated checks and nothing needs doing; if it needs a login, cite a public page instead.",
		"open it in a browser; if it works there, nothing needs doing"},
	{"LNK006", StatusFlaky, false,
		"The link failed with a temporary error (timeout, connection reset, 408, 429, 502, 503 or 504) on every attempt.",
		"Usually nothing: run errref links again later; if it keeps failing week after week, treat it as dead.",
		"usually temporary; run errref links again later"},
	{"LNK007", StatusSkipped, false,
		"The link was not checked: its host's circuit breaker was open after repeated failures, its host asked for a longer wait (Retry-After) than the checker makes, the proxy could not be reached, or the run ended first (its deadline, or Ctrl-C).",
		"Run errref links again later, or give it more time: -deadline for the whole run, -max-wait for a host that asks to wait (Retry-After).",
		"run errref links again later"},
}

// RuleFor returns the rule that reports s; ok is false for StatusOK.
func RuleFor(s Status) (r Rule, ok bool) {
	for _, r := range Rules {
		if r.Status == s {
			return r, true
		}
	}
	return Rule{}, false
}

// Result is the outcome for one address.
type Result struct {
	URL      string
	Status   Status
	Code     int    // the last HTTP status seen; 0 when none
	Location string // StatusMoved: the address to use instead
	Detail   string // what happened, in words: "the server answered 404 Not Found"
	Attempts int    // attempts made for this address (0: from the cache, or not tried)
	Cached   bool   // the result comes from the cache
}

// Report is the outcome of a run.
type Report struct {
	Results []Result // one per address given to Check, in the same order

	// NetworkDown is set when no host could be resolved, routed to or
	// connected to and none answered: the machine is offline, and nothing
	// was checked.
	NetworkDown   bool
	NetworkDetail string // the first such failure, as an example

	Hosts     int           // distinct hosts among the addresses
	Requests  int           // HTTP requests sent, HEAD, GET and redirect hops
	Retries   int           // attempts beyond the first
	Retried   int           // addresses that needed at least one retry
	FromCache int           // addresses answered from the cache
	Elapsed   time.Duration // by the Options' clock
}

// Count returns how many results have status s.
func (r *Report) Count(s Status) int {
	n := 0
	for _, res := range r.Results {
		if res.Status == s {
			n++
		}
	}
	return n
}

// Clock is the time source of a run, so tests can wait without waiting.
type Clock interface {
	Now() time.Time
	// Sleep waits for d, or returns ctx's error if it ends first.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Options configure a run. The zero value of each field means its default.
type Options struct {
	Timeout          time.Duration // per request; default 10s
	Deadline         time.Duration // for the whole run; default 2m
	Concurrency      int           // requests in flight; default 8
	PerHost          int           // requests in flight to one host; default 2
	Attempts         int           // tries per address, the first included; default 3
	BaseDelay        time.Duration // first back-off bound; default 1s
	MaxDelay         time.Duration // longest single wait, back-off or Retry-After; default 30s
	BreakerThreshold int           // failures in a row (over two or three addresses) that open a host's breaker; default 3
	BreakerCooldown  time.Duration // how long it stays open; default 1m
	MaxRedirects     int           // hops followed; default 10
	UserAgent        string        // default "errref-links"

	Transport http.RoundTripper // default: a clone of http.DefaultTransport
	Clock     Clock             // default: the real clock
	Rand      func() float64    // uniform in [0, 1), for jitter; default math/rand/v2

	Cache  *Cache        // nil: no cache
	MaxAge time.Duration // cached passes younger than this are reused; 0: none
}

func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	defInt := func(d *int, v int) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.Timeout, 10*time.Second)
	def(&o.Deadline, 2*time.Minute)
	def(&o.BaseDelay, time.Second)
	def(&o.MaxDelay, 30*time.Second)
	def(&o.BreakerCooldown, time.Minute)
	defInt(&o.Concurrency, 8)
	defInt(&o.PerHost, 2)
	defInt(&o.Attempts, 3)
	defInt(&o.BreakerThreshold, 3)
	defInt(&o.MaxRedirects, 10)
	if o.UserAgent == "" {
		o.UserAgent = "errref-links"
	}
	if o.Clock == nil {
		o.Clock = realClock{}
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
	if o.Transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxConnsPerHost = o.PerHost
		t.ResponseHeaderTimeout = o.Timeout
		t.TLSHandshakeTimeout = o.Timeout
		o.Transport = t
	}
	return o
}

// checker is one run.
type checker struct {
	opt      Options
	client   *http.Client
	global   chan struct{}
	deadline time.Time // by opt.Clock

	mu       sync.Mutex
	requests int
	retries  int
	retried  int
	hosts    map[string]*host // by host:port, those of the addresses and of redirect targets
}

// host returns the run's record of the host with the given key, making
// it on first use: a redirect to another host goes through that host's
// gate as its own addresses do.
func (c *checker) host(key string) (h *host, isNew bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if h = c.hosts[key]; h != nil {
		return h, false
	}
	h = &host{key: key, sem: make(chan struct{}, c.opt.PerHost)}
	h.breaker = breaker{threshold: c.opt.BreakerThreshold, cooldown: c.opt.BreakerCooldown}
	c.hosts[key] = h
	return h, true
}

// host is what the run knows about one host:port.
type host struct {
	key  string
	sem  chan struct{}
	urls []string

	mu         sync.Mutex
	notBefore  time.Time // Retry-After: no request before this
	headBroken bool      // HEAD failed where GET worked
	down       *Result   // a failure that concerns every address of the host
	breaker    breaker
	answered   bool // some request got an HTTP response
	offline    int  // failures that also happen without a network
	failures   int  // other failures
	example    string
}

// Check checks every address and returns a report with one result per
// address, in order. Addresses that differ only in their #fragment are
// asked for once. It returns when every address has an answer or the
// deadline has passed, whichever comes first; ctx can end it sooner.
func Check(ctx context.Context, urls []string, opt Options) *Report {
	own := opt.Transport == nil
	opt = opt.withDefaults()
	if own {
		// The run's own transport: its idle connections (and the
		// goroutines that serve them) end with the run.
		defer opt.Transport.(*http.Transport).CloseIdleConnections()
	}
	start := opt.Clock.Now()
	c := newChecker(opt, start)
	ctx, cancel := context.WithTimeout(ctx, opt.Deadline)
	defer cancel()

	rep := &Report{Results: make([]Result, len(urls))}
	found := map[string]*Result{} // by address without fragment
	var order []*host
	for _, raw := range urls {
		key := Address(raw)
		if _, ok := found[key]; ok {
			continue
		}
		r := &Result{URL: key}
		found[key] = r
		u, err := url.Parse(key)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			r.Status, r.Detail = StatusUnreachable, "the address is not a valid http or https URL"
			continue
		}
		if e, ok := opt.Cache.lookup(key, start, opt.MaxAge); ok {
			*r = e.result(key)
			rep.FromCache++
			continue
		}
		h, isNew := c.host(hostKey(u))
		if isNew {
			order = append(order, h)
		}
		h.urls = append(h.urls, key)
	}
	rep.Hosts = len(order)

	var wg sync.WaitGroup
	for _, h := range order {
		queue := make(chan string, len(h.urls))
		for _, u := range h.urls {
			queue <- u
		}
		close(queue)
		for range min(opt.PerHost, len(h.urls)) {
			wg.Go(func() {
				for u := range queue {
					res := c.checkURL(ctx, h, u)
					*found[u] = res
				}
			})
		}
	}
	wg.Wait()

	// Offline: every host tried failed the way a machine without network
	// fails, and not one answered.
	tried := 0
	down := true
	for _, h := range order {
		if h.answered || h.failures > 0 {
			down = false
		}
		if h.offline > 0 {
			tried++
			if rep.NetworkDetail == "" {
				rep.NetworkDetail = strings.TrimPrefix(h.example, "not checked: ")
			}
		}
	}
	rep.NetworkDown = down && tried > 0
	if !rep.NetworkDown {
		rep.NetworkDetail = ""
	}
	for key, r := range found {
		if rep.NetworkDown && !r.Cached {
			*r = Result{URL: key, Status: StatusSkipped, Attempts: r.Attempts,
				Detail: "not checked: the network is unreachable"}
		}
		if !r.Cached && (r.Status == StatusOK || r.Status == StatusMoved) {
			opt.Cache.store(key, *r, opt.Clock.Now())
		}
	}
	for i, raw := range urls {
		r := *found[Address(raw)]
		r.URL = raw
		rep.Results[i] = r
	}
	rep.Requests, rep.Retries, rep.Retried = c.requests, c.retries, c.retried
	rep.Elapsed = opt.Clock.Now().Sub(start)
	return rep
}

// newChecker starts a run at start, with opt's defaults already applied.
func newChecker(opt Options, start time.Time) *checker {
	return &checker{
		opt:      opt,
		hosts:    map[string]*host{},
		global:   make(chan struct{}, opt.Concurrency),
		deadline: start.Add(opt.Deadline),
		client: &http.Client{
			Transport: opt.Transport,
			// Redirects are followed by hand, to tell permanent from
			// temporary ones and to stop loops.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// Address is the address as requested: without its #fragment, which the
// server never sees. Links that differ only in their fragments are one
// address.
func Address(raw string) string {
	s, _, _ := strings.Cut(strings.TrimSpace(raw), "#")
	return s
}

// hostKey names a host with its port, as connections and limits see it.
func hostKey(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	return strings.ToLower(u.Hostname()) + ":" + port
}

// checkURL runs the attempts for one address.
func (c *checker) checkURL(ctx context.Context, h *host, u string) Result {
	var last outcome
	for attempt := 1; ; attempt++ {
		if r := h.downResult(u); r != nil {
			return *r
		}
		switch g := c.enter(ctx, h); g.refused {
		case refusedBreaker:
			if attempt > 1 {
				return c.gaveUp(u, last, attempt-1, "stopped early: the host's circuit breaker opened after repeated failures")
			}
			return Result{URL: u, Status: StatusSkipped, Detail: "not checked: " + g.why}
		case refusedWait:
			return c.notChecked(u, last, attempt-1, g.why)
		case refusedStopped:
			return c.notChecked(u, last, attempt-1, stopped(ctx))
		}
		out := c.probe(ctx, h, u)
		if ctx.Err() != nil && out.Status != StatusOK && out.Status != StatusMoved {
			return c.notChecked(u, last, attempt-1, stopped(ctx))
		}
		out.Result.URL, out.Result.Attempts = u, attempt
		last = out
		if !out.transient {
			if out.hostWide {
				h.setDown(out.Result)
			}
			return out.Result
		}
		if attempt >= c.opt.Attempts {
			return c.gaveUp(u, last, attempt, "")
		}
		delay := c.backoff(attempt)
		if out.retryAfter > 0 {
			// probe has put the hold on the host that asked for it, which
			// stands even when this address gives up: the host's other
			// addresses must not ask before it ends.
			if out.retryAfter > c.opt.MaxDelay {
				return c.gaveUp(u, last, attempt, fmt.Sprintf("the server asked to wait %s, longer than the checker waits (%s)", out.retryAfter, c.opt.MaxDelay))
			}
			delay = 0 // the host's hold is the wait
		}
		if c.opt.Clock.Now().Add(max(delay, out.retryAfter)).After(c.deadline) {
			return c.gaveUp(u, last, attempt, "no time for another attempt before the run's deadline")
		}
		c.mu.Lock()
		c.retries++
		if attempt == 1 {
			c.retried++
		}
		c.mu.Unlock()
		if c.opt.Clock.Sleep(ctx, delay) != nil {
			return c.notChecked(u, last, attempt, stopped(ctx))
		}
	}
}

// stopped says why the run ended before an address was done: its
// deadline, or its caller (Ctrl-C in errref links).
func stopped(ctx context.Context) string {
	if errors.Is(ctx.Err(), context.Canceled) {
		return "the run was interrupted"
	}
	return "the run's deadline came first"
}

// backoff is the full-jitter wait before attempt n+1: uniform in
// [0, min(MaxDelay, BaseDelay·2ⁿ⁻¹)).
func (c *checker) backoff(n int) time.Duration {
	ceil := c.opt.MaxDelay
	if n-1 < 32 {
		if d := c.opt.BaseDelay << (n - 1); d > 0 && d < ceil {
			ceil = d
		}
	}
	return time.Duration(c.opt.Rand() * float64(ceil))
}

// gaveUp reports an address whose every attempt failed transiently.
func (c *checker) gaveUp(u string, last outcome, attempts int, why string) Result {
	r := last.Result
	r.URL, r.Status, r.Attempts = u, StatusFlaky, attempts
	r.Detail = fmt.Sprintf("%s (%s)", last.Detail, plural(attempts, "attempt"))
	if why != "" {
		r.Detail += "; " + why
	}
	return r
}

// notChecked reports an address the run had no time for. One that has
// failed before keeps its failure, marked as unfinished.
func (c *checker) notChecked(u string, last outcome, attempts int, why string) Result {
	if attempts > 0 {
		return c.gaveUp(u, last, attempts, why)
	}
	return Result{URL: u, Status: StatusSkipped, Detail: "not checked: " + why}
}

// refusal is why a request may not go to a host now.
type refusal int

const (
	admitted       refusal = iota
	refusedBreaker         // its circuit breaker is open
	refusedWait            // it asked for a wait the checker will not make
	refusedStopped         // the run ended while waiting
)

// gate is the answer of enter: admitted, or refused and why, in words.
type gate struct {
	refused refusal
	why     string
}

// enter passes the gate of host h for one request: its circuit breaker,
// then its Retry-After hold, waited out when the checker may, then a
// slot of h and one of the run. Every request goes through it, a
// redirect to another host included. Admitted, the caller holds both
// slots (releaseSlots frees them) and must record the request's outcome
// on h; refused, it holds nothing.
func (c *checker) enter(ctx context.Context, h *host) gate {
	for {
		now := c.opt.Clock.Now()
		if !h.allow(now) {
			return gate{refusedBreaker, fmt.Sprintf("%s failed on several links in a row, so its circuit breaker is open", h.key)}
		}
		if wait := h.wait(now); wait > 0 {
			var g gate
			switch {
			case wait > c.opt.MaxDelay:
				g = gate{refusedWait, fmt.Sprintf("the host asked to wait %s, longer than the checker waits (%s)", wait.Round(time.Second), c.opt.MaxDelay)}
			case now.Add(wait).After(c.deadline):
				g = gate{refusedWait, "the host asked to wait past the run's deadline"}
			case c.opt.Clock.Sleep(ctx, wait) != nil:
				g = gate{refused: refusedStopped}
			}
			if g.refused != admitted {
				h.release()
				return g
			}
		}
		if !c.acquire(ctx, h) {
			h.release()
			return gate{refused: refusedStopped}
		}
		if h.wait(c.opt.Clock.Now()) <= 0 {
			return gate{}
		}
		// The host asked for a wait while this request waited for its
		// slot: start again, and honour it.
		c.releaseSlots(h)
		h.release()
	}
}

// acquire takes a slot of the host, then one of the run, so that a worker
// waiting for a busy host holds nothing others could use.
func (c *checker) acquire(ctx context.Context, h *host) bool {
	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		return false
	}
	select {
	case c.global <- struct{}{}:
		return true
	case <-ctx.Done():
		<-h.sem
		return false
	}
}

func (c *checker) releaseSlots(h *host) {
	<-c.global
	<-h.sem
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
