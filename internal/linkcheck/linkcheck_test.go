package linkcheck

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// fakeClock moves only when the checker sleeps or a test advances it, so
// back-offs and Retry-After waits cost no real time.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d > 0 {
		f.mu.Lock()
		f.now = f.now.Add(d)
		f.sleeps = append(f.sleeps, d)
		f.mu.Unlock()
	}
	return nil
}

func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

func (f *fakeClock) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// testOptions are fast settings with a fake clock and a fixed jitter of
// one half, so every back-off is exactly half its bound.
func testOptions(clock *fakeClock) Options {
	return Options{
		Timeout:   2 * time.Second,
		Deadline:  20 * time.Second,
		Clock:     clock,
		Rand:      func() float64 { return 0.5 },
		Transport: http.DefaultTransport.(*http.Transport).Clone(),
	}
}

// counter is an httptest server whose handler sees each request's method
// and path, numbered from 1 per path.
type counter struct {
	srv   *httptest.Server
	mu    sync.Mutex
	count map[string]int // "HEAD /a" → requests so far
	total atomic.Int64
}

func newServer(t *testing.T, h func(w http.ResponseWriter, r *http.Request, n int)) *counter {
	t.Helper()
	c := &counter{count: map[string]int{}}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.count[r.Method+" "+r.URL.Path]++
		n := c.count[r.Method+" "+r.URL.Path]
		c.mu.Unlock()
		c.total.Add(1)
		h(w, r, n)
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *counter) URL(p string) string { return c.srv.URL + p }

func (c *counter) N(methodPath string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.count[methodPath]
}

func checkOne(t *testing.T, opt Options, u string) (Result, *Report) {
	t.Helper()
	rep := Check(context.Background(), []string{u}, opt)
	if len(rep.Results) != 1 {
		t.Fatalf("%d results for one address", len(rep.Results))
	}
	return rep.Results[0], rep
}

func wantStatus(t *testing.T, r Result, s Status, detail string) {
	t.Helper()
	if r.Status != s || !strings.Contains(r.Detail, detail) {
		t.Errorf("%s: status %v (%q), want %v with %q", r.URL, r.Status, r.Detail, s, detail)
	}
}

func TestOKAndDead(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch r.URL.Path {
		case "/ok":
		case "/gone":
			w.WriteHeader(http.StatusGone)
		case "/error":
			w.WriteHeader(http.StatusInternalServerError)
		default:
			http.NotFound(w, r)
		}
	})
	clock := newFakeClock()
	rep := Check(context.Background(), []string{srv.URL("/ok"), srv.URL("/missing"), srv.URL("/gone"), srv.URL("/error")}, testOptions(clock))
	wantStatus(t, rep.Results[0], StatusOK, "")
	wantStatus(t, rep.Results[1], StatusDead, "404 Not Found")
	wantStatus(t, rep.Results[2], StatusDead, "410 Gone")
	wantStatus(t, rep.Results[3], StatusDead, "500 Internal Server Error")
	// A final answer is never retried: 404 stays 404.
	if rep.Retries != 0 || len(clock.Sleeps()) != 0 {
		t.Errorf("retries %d, sleeps %v; a 404 or 500 must not be retried", rep.Retries, clock.Sleeps())
	}
	if rep.Results[1].Attempts != 1 || rep.Results[1].Code != 404 {
		t.Errorf("404: %+v, want one attempt and code 404", rep.Results[1])
	}
}

func TestRetryAfterSeconds(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
		}
	})
	clock := newFakeClock()
	r, rep := checkOne(t, testOptions(clock), srv.URL("/limited"))
	wantStatus(t, r, StatusOK, "")
	if got := clock.Sleeps(); len(got) != 1 || got[0] != 7*time.Second {
		t.Errorf("slept %v, want exactly the 7s Retry-After asked for", got)
	}
	if r.Attempts != 2 || rep.Retries != 1 || rep.Retried != 1 {
		t.Errorf("attempts %d, retries %d, retried %d; want 2, 1, 1", r.Attempts, rep.Retries, rep.Retried)
	}
}

func TestRetryAfterDate(t *testing.T) {
	clock := newFakeClock()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			// The date form, relative to the checker's clock.
			w.Header().Set("Retry-After", clock.Now().Add(9*time.Second).Format(http.TimeFormat))
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	})
	r, _ := checkOne(t, testOptions(clock), srv.URL("/busy"))
	wantStatus(t, r, StatusOK, "")
	if got := clock.Sleeps(); len(got) != 1 || got[0] != 9*time.Second {
		t.Errorf("slept %v, want the 9s until the Retry-After date", got)
	}
}

func TestRetryAfterHoldsTheHost(t *testing.T) {
	clock := newFakeClock()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Path == "/a" && n == 1 {
			w.Header().Set("Retry-After", "5")
			w.WriteHeader(http.StatusTooManyRequests)
		}
	})
	opt := testOptions(clock)
	opt.PerHost = 1
	rep := Check(context.Background(), []string{srv.URL("/a"), srv.URL("/b")}, opt)
	for _, r := range rep.Results {
		wantStatus(t, r, StatusOK, "")
	}
	// /b comes after /a on the only worker of the host: it waits out the
	// hold /a's answer put on the host, then /a's retry finds it over.
	total := time.Duration(0)
	for _, d := range clock.Sleeps() {
		total += d
	}
	if total != 5*time.Second {
		t.Errorf("slept %v in all, want the 5s hold once", clock.Sleeps())
	}
}

func TestRetryAfterTooLongGivesUp(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	clock := newFakeClock()
	r, _ := checkOne(t, testOptions(clock), srv.URL("/x"))
	wantStatus(t, r, StatusFlaky, "asked to wait 1h0m0s")
	if len(clock.Sleeps()) != 0 || srv.total.Load() != 1 {
		t.Errorf("slept %v after %d requests; an hour's Retry-After should end the attempts at once", clock.Sleeps(), srv.total.Load())
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"-3", 0},
		{"120", 2 * time.Minute},
		{" 5 ", 5 * time.Second},
		{"Tue, 01 Dec 2026 12:00:30 GMT", 30 * time.Second},
		{"Tuesday, 01-Dec-26 12:01:00 GMT", time.Minute}, // RFC 850
		{"Tue Dec  1 12:00:10 2026", 10 * time.Second},   // asctime
		{"Tue, 01 Dec 2026 11:00:00 GMT", 0},             // past
		{"soon", 0},
	} {
		if got := parseRetryAfter(tc.in, now); got != tc.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestFlapping503(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	})
	clock := newFakeClock()
	r, rep := checkOne(t, testOptions(clock), srv.URL("/flap"))
	wantStatus(t, r, StatusOK, "")
	// Full jitter with Rand = 0.5: half of 1s, then half of 2s.
	want := []time.Duration{500 * time.Millisecond, time.Second}
	if got := clock.Sleeps(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("back-off sleeps %v, want %v", got, want)
	}
	if r.Attempts != 3 || rep.Retries != 2 {
		t.Errorf("attempts %d, retries %d; want 3 and 2", r.Attempts, rep.Retries)
	}
}

func TestAlways503GivesUp(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.WriteHeader(http.StatusBadGateway)
	})
	clock := newFakeClock()
	r, _ := checkOne(t, testOptions(clock), srv.URL("/down"))
	wantStatus(t, r, StatusFlaky, "502 Bad Gateway (3 attempts)")
	if n := srv.N("HEAD /down"); n != 3 {
		t.Errorf("%d requests, want 3 attempts", n)
	}
}

func TestBackoffFullJitter(t *testing.T) {
	for _, tc := range []struct {
		rand float64
		n    int
		want time.Duration
	}{
		{0, 1, 0},
		{0.999, 1, 999 * time.Millisecond},
		{0.5, 3, 2 * time.Second},
		{0.999, 5, 15984 * time.Millisecond}, // bound 16s
		{0.5, 8, 5 * time.Second},            // bound capped at MaxDelay 10s
		{0.5, 80, 5 * time.Second},           // no overflow
	} {
		c := &checker{opt: Options{BaseDelay: time.Second, MaxDelay: 10 * time.Second, Rand: func() float64 { return tc.rand }}}
		if tc.n == 5 {
			c.opt.MaxDelay = time.Minute
		}
		if got := c.backoff(tc.n); got != tc.want {
			t.Errorf("backoff(%d) with rand %v = %v, want %v", tc.n, tc.rand, got, tc.want)
		}
	}
}

func TestSlowerThanTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	clock := newFakeClock()
	opt := testOptions(clock)
	opt.Timeout = 50 * time.Millisecond
	r, rep := checkOne(t, opt, srv.URL("/slow"))
	wantStatus(t, r, StatusFlaky, "no answer within 50ms (3 attempts)")
	if rep.NetworkDown {
		t.Error("a slow server is not a missing network")
	}
}

func TestRedirects(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch r.URL.Path {
		case "/a":
			http.Redirect(w, r, "/b", http.StatusFound)
		case "/b":
			http.Redirect(w, r, "/a", http.StatusMovedPermanently)
		case "/old":
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
		case "/old308":
			http.Redirect(w, r, "/new#frag", http.StatusPermanentRedirect)
		case "/temp":
			http.Redirect(w, r, "/new", http.StatusTemporaryRedirect)
		case "/perm-then-temp":
			http.Redirect(w, r, "/temp", http.StatusMovedPermanently)
		case "/to-missing":
			http.Redirect(w, r, "/missing", http.StatusMovedPermanently)
		case "/new":
		default:
			if strings.HasPrefix(r.URL.Path, "/hop/") {
				var i int
				fmt.Sscanf(r.URL.Path, "/hop/%d", &i)
				http.Redirect(w, r, fmt.Sprintf("/hop/%d", i+1), http.StatusFound)
				return
			}
			http.NotFound(w, r)
		}
	})
	clock := newFakeClock()
	opt := testOptions(clock)
	opt.MaxRedirects = 5
	urls := []string{srv.URL("/a"), srv.URL("/old"), srv.URL("/old308"), srv.URL("/temp"),
		srv.URL("/perm-then-temp"), srv.URL("/to-missing"), srv.URL("/hop/0")}
	rep := Check(context.Background(), urls, opt)
	wantStatus(t, rep.Results[0], StatusLoop, "in a loop: "+srv.URL("/a")+" → "+srv.URL("/b")+" → "+srv.URL("/a"))
	wantStatus(t, rep.Results[1], StatusMoved, srv.URL("/new"))
	if rep.Results[1].Location != srv.URL("/new") {
		t.Errorf("moved to %q, want %q", rep.Results[1].Location, srv.URL("/new"))
	}
	if rep.Results[2].Status != StatusMoved || rep.Results[2].Location != srv.URL("/new") {
		t.Errorf("308: %+v, want moved to /new without the fragment", rep.Results[2])
	}
	wantStatus(t, rep.Results[3], StatusOK, "")
	// Only the permanent hops count: /perm-then-temp should become /temp,
	// not the page a temporary redirect happens to lead to today.
	if r := rep.Results[4]; r.Status != StatusMoved || r.Location != srv.URL("/temp") {
		t.Errorf("permanent then temporary: %+v, want moved to /temp", r)
	}
	wantStatus(t, rep.Results[5], StatusDead, "404 Not Found (after redirects, at "+srv.URL("/missing")+")")
	wantStatus(t, rep.Results[6], StatusLoop, "more than 5 times")
	if n := srv.N("HEAD /hop/6"); n != 0 {
		t.Errorf("followed %d requests past the redirect limit", n)
	}
}

func TestRefusedConnection(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	opt := testOptions(newFakeClock())
	opt.PerHost = 1 // with two workers both could ask before either answers
	rep := Check(context.Background(), []string{"http://" + addr + "/a", "http://" + addr + "/b"}, opt)
	wantStatus(t, rep.Results[0], StatusUnreachable, "refused the connection")
	// The host's other address shares the answer without a request.
	wantStatus(t, rep.Results[1], StatusUnreachable, "not asked again")
	if rep.Requests != 1 || rep.Retries != 0 {
		t.Errorf("%d requests, %d retries; a refused host is asked once", rep.Requests, rep.Retries)
	}
	if rep.NetworkDown {
		t.Error("a refused connection proves the network works")
	}
}

func TestBreakerTrips(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	for _, tc := range []struct {
		name     string
		handler  func(w http.ResponseWriter, r *http.Request, n int)
		detail   string
		requests int64 // before the breaker opens
		first    int   // addresses that ran all their attempts
	}{
		// A host that answers errors: p0 and p1 fail three times each,
		// p2 once, and the streak spans three addresses.
		{"errors", func(w http.ResponseWriter, r *http.Request, n int) { w.WriteHeader(http.StatusServiceUnavailable) },
			"503 Service Unavailable", 7, 2},
		// A host that stopped answering: p0 times out three times, p1
		// once, and the streak spans two addresses.
		{"silent", func(w http.ResponseWriter, r *http.Request, n int) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}, "no answer within 30ms", 4, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, tc.handler)
			ok := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {})
			opt := testOptions(newFakeClock())
			opt.Timeout = 30 * time.Millisecond
			opt.PerHost = 1
			opt.BreakerThreshold = 3
			opt.BreakerCooldown = time.Hour
			var urls []string
			for i := range 10 {
				urls = append(urls, srv.URL(fmt.Sprintf("/p%d", i)))
			}
			urls = append(urls, ok.URL("/fine"))
			rep := Check(context.Background(), urls, opt)
			for _, r := range rep.Results[:tc.first] {
				wantStatus(t, r, StatusFlaky, tc.detail+" (3 attempts)")
			}
			wantStatus(t, rep.Results[tc.first], StatusFlaky, tc.detail+" (1 attempt); stopped early: the host's circuit breaker opened")
			for _, r := range rep.Results[tc.first+1 : 10] {
				wantStatus(t, r, StatusSkipped, "circuit breaker is open")
			}
			wantStatus(t, rep.Results[10], StatusOK, "")
			// The other addresses of the dead host cost nothing.
			if n := srv.total.Load(); n != tc.requests {
				t.Errorf("the dead host got %d requests, want %d", n, tc.requests)
			}
		})
	}
}

// TestBreakerIgnoresOnePage: pages that fail and recover on a host whose
// other pages work, and 429s, leave the breaker closed.
func TestBreakerIgnoresOnePage(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/flap") && n <= 3:
			w.WriteHeader(http.StatusServiceUnavailable)
		case strings.HasPrefix(r.URL.Path, "/limit") && n == 1:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		}
	})
	opt := testOptions(newFakeClock())
	opt.PerHost = 1
	opt.Attempts = 4 // each flapping page fails three times in a row, then works
	opt.Deadline = 5 * time.Minute
	opt.BreakerCooldown = time.Hour
	var urls []string
	for i := range 5 {
		urls = append(urls, srv.URL(fmt.Sprint("/flap", i)), srv.URL(fmt.Sprint("/limit", i)), srv.URL(fmt.Sprint("/ok", i)))
	}
	rep := Check(context.Background(), urls, opt)
	if got := rep.Count(StatusOK); got != len(urls) {
		for _, r := range rep.Results {
			t.Log(r.URL, r.Status, r.Detail)
		}
		t.Errorf("%d of %d passed; the breaker should stay closed", got, len(urls))
	}
}

func TestBreakerHalfOpen(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b := breaker{threshold: 2, cooldown: time.Minute}
	answered, silent := true, false
	b.record("a", true, silent, now)
	if !b.allow(now) {
		t.Fatal("open after one failure; threshold is 2")
	}
	b.record("a", true, silent, now)
	b.record("a", true, silent, now)
	if !b.allow(now) {
		t.Fatal("open after failures of one address; a whole host must fail")
	}
	b.record("b", false, answered, now) // a success ends the streak
	b.record("b", true, answered, now)
	b.record("c", true, answered, now)
	if !b.allow(now) {
		t.Fatal("open after errors on two addresses; a host that answers needs three")
	}
	b.record("d", true, answered, now)
	if b.allow(now) {
		t.Fatal("still closed after errors on three addresses")
	}
	if b.allow(now.Add(59 * time.Second)) {
		t.Fatal("allowed a request during the cool-down")
	}
	if !b.allow(now.Add(time.Minute)) {
		t.Fatal("no trial after the cool-down")
	}
	if b.allow(now.Add(time.Minute)) {
		t.Fatal("a second request while the trial is in flight")
	}
	b.record("e", true, answered, now.Add(time.Minute)) // the trial failed: open again
	if b.allow(now.Add(90 * time.Second)) {
		t.Fatal("a failed trial should open the breaker for a new cool-down")
	}
	if !b.allow(now.Add(2 * time.Minute)) {
		t.Fatal("no second trial")
	}
	b.record("e", false, answered, now.Add(2*time.Minute))
	// Closed again, it lets every request through, not one at a time.
	for range 2 {
		if !b.allow(now.Add(2 * time.Minute)) {
			t.Fatal("a successful trial should close the breaker")
		}
	}
	// Silence (timeouts) on two addresses is enough.
	b.record("f", true, silent, now.Add(2*time.Minute))
	b.record("g", true, silent, now.Add(2*time.Minute))
	if b.allow(now.Add(2 * time.Minute)) {
		t.Fatal("still closed after timeouts on two addresses")
	}
}

func TestHeadFallsBackToGet(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.Method == http.MethodHead {
			switch r.URL.Path {
			case "/405", "/405b":
				w.WriteHeader(http.StatusMethodNotAllowed)
			case "/501":
				w.WriteHeader(http.StatusNotImplemented)
			case "/404":
				http.NotFound(w, r) // a server that mishandles HEAD
			case "/drop":
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					conn.Close()
				}
			}
		}
	})
	clock := newFakeClock()
	opt := testOptions(clock)
	opt.PerHost = 1
	rep := Check(context.Background(), []string{srv.URL("/405"), srv.URL("/405b")}, opt)
	for _, r := range rep.Results {
		wantStatus(t, r, StatusOK, "")
	}
	// The host is remembered: its second address goes straight to GET.
	if h, g := srv.N("HEAD /405b"), srv.N("GET /405b"); h != 0 || g != 1 {
		t.Errorf("second address: %d HEAD, %d GET; want GET only", h, g)
	}
	for _, p := range []string{"/501", "/404", "/drop"} {
		r, _ := checkOne(t, testOptions(clock), srv.URL(p))
		wantStatus(t, r, StatusOK, "")
		if srv.N("GET "+p) != 1 {
			t.Errorf("%s: no GET after HEAD failed", p)
		}
	}
}

// TestConnectionReset: a connection closed before any answer, on HEAD and
// on GET alike, is transient: the next attempt gets the page.
func TestConnectionReset(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
		}
	})
	clock := newFakeClock()
	r, rep := checkOne(t, testOptions(clock), srv.URL("/reset"))
	wantStatus(t, r, StatusOK, "")
	if r.Attempts != 2 || rep.Retries != 1 || len(clock.Sleeps()) != 1 {
		t.Errorf("attempts %d, retries %d, sleeps %v; want one retry after a back-off", r.Attempts, rep.Retries, clock.Sleeps())
	}
	if srv.N("HEAD /reset") != 2 || srv.N("GET /reset") != 1 {
		t.Errorf("HEAD %d, GET %d; want HEAD, GET (both dropped), then HEAD", srv.N("HEAD /reset"), srv.N("GET /reset"))
	}
}

func TestForbidden(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.WriteHeader(http.StatusForbidden)
	})
	r, _ := checkOne(t, testOptions(newFakeClock()), srv.URL("/private"))
	wantStatus(t, r, StatusForbidden, "403 Forbidden")
	if srv.N("GET /private") != 1 {
		t.Error("a 403 on HEAD should be confirmed with GET")
	}
}

func TestInvalidCertificate(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	defer srv.Close()
	// The default transport does not trust the test server's certificate.
	r, _ := checkOne(t, testOptions(newFakeClock()), srv.URL+"/x")
	wantStatus(t, r, StatusUnreachable, "TLS")
	// With the server's own client it passes: the transport is injected.
	opt := testOptions(newFakeClock())
	opt.Transport = srv.Client().Transport
	r, _ = checkOne(t, opt, srv.URL+"/x")
	wantStatus(t, r, StatusOK, "")
}

func TestCache(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch r.URL.Path {
		case "/old":
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
		case "/missing":
			http.NotFound(w, r)
		}
	})
	path := filepath.Join(t.TempDir(), "sub", "links.json")
	clock := newFakeClock()
	urls := []string{srv.URL("/ok"), srv.URL("/old"), srv.URL("/missing")}
	run := func() *Report {
		t.Helper()
		cache, err := OpenCache(path)
		if err != nil {
			t.Fatal(err)
		}
		opt := testOptions(clock)
		opt.Cache, opt.MaxAge = cache, 24*time.Hour
		rep := Check(context.Background(), urls, opt)
		if err := cache.Save(clock.Now()); err != nil {
			t.Fatal(err)
		}
		return rep
	}
	first := run()
	if first.FromCache != 0 || first.Results[0].Cached {
		t.Fatalf("first run used the cache: %+v", first)
	}

	clock.Advance(time.Hour)
	second := run()
	if second.FromCache != 2 || !second.Results[0].Cached || !second.Results[1].Cached {
		t.Errorf("within max age: %d from the cache, want the two that passed", second.FromCache)
	}
	if r := second.Results[1]; r.Status != StatusMoved || r.Location != srv.URL("/new") {
		t.Errorf("a cached move lost its target: %+v", r)
	}
	// Failures are never cached: a fix shows on the next run.
	if r := second.Results[2]; r.Cached || r.Status != StatusDead {
		t.Errorf("the dead link came from the cache: %+v", r)
	}
	if srv.N("HEAD /ok") != 1 || srv.N("HEAD /old") != 1 || srv.N("HEAD /missing") != 2 {
		t.Errorf("requests: /ok %d, /old %d, /missing %d; want 1, 1, 2: the cache answers the passes only",
			srv.N("HEAD /ok"), srv.N("HEAD /old"), srv.N("HEAD /missing"))
	}

	clock.Advance(24 * time.Hour)
	third := run()
	if third.FromCache != 0 || srv.N("HEAD /ok") != 2 {
		t.Errorf("after max age: %d from the cache, /ok asked %d times; want 0 and 2", third.FromCache, srv.N("HEAD /ok"))
	}
}

func TestCacheUnreadable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "links.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := OpenCache(path)
	if err == nil || !strings.Contains(err.Error(), "starting afresh") {
		t.Errorf("a corrupt cache should be reported, got %v", err)
	}
	if c == nil || len(c.entries) != 0 {
		t.Fatal("a corrupt cache should give an empty, usable cache")
	}
	c.store("https://example.org/", Result{Status: StatusOK, Code: 200}, time.Now())
	if err := c.Save(time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenCache(path); err != nil {
		t.Errorf("the rewritten cache does not read back: %v", err)
	}
}

// roundTripFunc is a transport made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func dnsFailure(r *http.Request) error {
	return &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: r.URL.Hostname(), IsNotFound: true}}
}

func TestNetworkUnreachable(t *testing.T) {
	var requests atomic.Int64
	opt := testOptions(newFakeClock())
	opt.PerHost = 1 // so the count below is exact
	opt.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		requests.Add(1)
		if strings.HasPrefix(r.URL.Host, "route") {
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ENETUNREACH)}
		}
		return nil, dnsFailure(r)
	})
	urls := []string{"https://a.example/1", "https://a.example/2", "https://b.example/", "https://route.example/x"}
	rep := Check(context.Background(), urls, opt)
	if !rep.NetworkDown || !strings.Contains(rep.NetworkDetail, "does not resolve") && !strings.Contains(rep.NetworkDetail, "no route") {
		t.Fatalf("NetworkDown %v (%q); want the network reported unreachable", rep.NetworkDown, rep.NetworkDetail)
	}
	for _, r := range rep.Results {
		wantStatus(t, r, StatusSkipped, "the network is unreachable")
	}
	// One request per host: the host's failure answers its other links.
	if n := requests.Load(); n != 3 {
		t.Errorf("%d requests, want one per host (3)", n)
	}
}

func TestOneHostNotFoundIsNotANetworkProblem(t *testing.T) {
	opt := testOptions(newFakeClock())
	opt.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Host == "gone.example" {
			return nil, dnsFailure(r)
		}
		return &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	})
	rep := Check(context.Background(), []string{"https://gone.example/a", "https://fine.example/b"}, opt)
	if rep.NetworkDown {
		t.Fatal("one host that does not resolve while another answers is a dead host, not a dead network")
	}
	wantStatus(t, rep.Results[0], StatusUnreachable, "gone.example does not resolve")
	wantStatus(t, rep.Results[1], StatusOK, "")
}

// TestNetworkUnreachableRealResolver asks the machine's own resolver for
// names under .invalid, which never resolve (RFC 2606): online or
// offline, every host fails to resolve, which is what an offline machine
// looks like.
func TestNetworkUnreachableRealResolver(t *testing.T) {
	opt := Options{Timeout: 5 * time.Second, Deadline: 30 * time.Second}
	rep := Check(context.Background(), []string{"https://errref-test.invalid/a", "https://other.errref-test.invalid/"}, opt)
	if !rep.NetworkDown {
		t.Errorf("names that cannot resolve on every host should read as no network; got %+v", rep.Results)
	}
}

func TestDeadline(t *testing.T) {
	release := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	opt := testOptions(newFakeClock())
	opt.Timeout = time.Minute
	opt.Deadline = 100 * time.Millisecond
	opt.PerHost = 1
	rep := Check(context.Background(), []string{srv.URL("/1"), srv.URL("/2")}, opt)
	for _, r := range rep.Results {
		wantStatus(t, r, StatusSkipped, "deadline")
	}
	if rep.NetworkDown {
		t.Error("a deadline is not a missing network")
	}
}

func TestDeadlineStopsRetries(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	clock := newFakeClock()
	opt := testOptions(clock)
	opt.Deadline = 10 * time.Second
	opt.BaseDelay = 30 * time.Second
	opt.MaxDelay = time.Minute
	opt.Rand = func() float64 { return 0.9 }
	r, _ := checkOne(t, opt, srv.URL("/x"))
	wantStatus(t, r, StatusFlaky, "before the run's deadline")
	if len(clock.Sleeps()) != 0 {
		t.Errorf("slept %v past the deadline", clock.Sleeps())
	}
}

func TestConcurrencyLimits(t *testing.T) {
	var mu sync.Mutex
	inFlight := map[string]int{}
	peak := map[string]int{}
	handler := func(name string) func(http.ResponseWriter, *http.Request, int) {
		return func(w http.ResponseWriter, r *http.Request, n int) {
			mu.Lock()
			inFlight[name]++
			inFlight["all"]++
			peak[name] = max(peak[name], inFlight[name])
			peak["all"] = max(peak["all"], inFlight["all"])
			mu.Unlock()
			time.Sleep(20 * time.Millisecond)
			mu.Lock()
			inFlight[name]--
			inFlight["all"]--
			mu.Unlock()
		}
	}
	a, b := newServer(t, handler("a")), newServer(t, handler("b"))
	var urls []string
	for i := range 6 {
		urls = append(urls, a.URL(fmt.Sprint("/", i)), b.URL(fmt.Sprint("/", i)))
	}
	opt := testOptions(newFakeClock())
	opt.Concurrency, opt.PerHost = 3, 2
	rep := Check(context.Background(), urls, opt)
	if got := rep.Count(StatusOK); got != len(urls) {
		t.Fatalf("%d of %d passed", got, len(urls))
	}
	if peak["a"] > 2 || peak["b"] > 2 || peak["all"] > 3 {
		t.Errorf("peak in flight: a %d, b %d, all %d; want at most 2 per host and 3 in all", peak["a"], peak["b"], peak["all"])
	}
}

func TestFragmentsAreOneRequest(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {})
	rep := Check(context.Background(), []string{srv.URL("/p#one"), srv.URL("/p#two"), srv.URL("/p")}, testOptions(newFakeClock()))
	if n := srv.total.Load(); n != 1 {
		t.Errorf("%d requests for one page under three fragments", n)
	}
	if rep.Results[0].URL != srv.URL("/p#one") || rep.Results[1].URL != srv.URL("/p#two") {
		t.Errorf("results lost the addresses as given: %q, %q", rep.Results[0].URL, rep.Results[1].URL)
	}
}

func TestNotAWebAddress(t *testing.T) {
	rep := Check(context.Background(), []string{"ftp://example.org/x", "https://"}, testOptions(newFakeClock()))
	for _, r := range rep.Results {
		wantStatus(t, r, StatusUnreachable, "not a valid http or https URL")
	}
}

func TestRules(t *testing.T) {
	seen := map[Status]bool{}
	for i, r := range Rules {
		if want := fmt.Sprintf("LNK%03d", i+1); r.ID != want {
			t.Errorf("rule %d is %s, want %s (IDs in order, none skipped)", i, r.ID, want)
		}
		if seen[r.Status] || r.Status == StatusOK {
			t.Errorf("%s: status %v is reported by another rule, or needs none", r.ID, r.Status)
		}
		seen[r.Status] = true
		if r.Summary == "" || r.Fix == "" || r.Hint == "" {
			t.Errorf("%s: summary, fix and hint are all required", r.ID)
		}
	}
	for s := StatusMoved; s <= StatusSkipped; s++ {
		if _, ok := RuleFor(s); !ok {
			t.Errorf("status %v has no rule", s)
		}
	}
	if _, ok := RuleFor(StatusOK); ok {
		t.Error("a working link has a rule")
	}
}

// TestRetryAfterTooLongHoldsTheHost: a host that asks for a longer wait
// than the checker gives still gets it: its other addresses are not
// asked before that time, so a rate-limited site is not hammered.
func TestRetryAfterTooLongHoldsTheHost(t *testing.T) {
	for _, tc := range []struct {
		name, after string
		deadline    time.Duration
	}{
		{"longer than MaxDelay", "3600", 20 * time.Second},
		{"past the deadline", "15", 10 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				w.Header().Set("Retry-After", tc.after)
				w.WriteHeader(http.StatusTooManyRequests)
			})
			clock := newFakeClock()
			opt := testOptions(clock)
			opt.PerHost = 1
			opt.Deadline = tc.deadline
			rep := Check(context.Background(), []string{srv.URL("/a"), srv.URL("/b"), srv.URL("/c")}, opt)
			if n := srv.total.Load(); n != 1 {
				t.Errorf("the host got %d requests after asking to wait %ss; want 1", n, tc.after)
			}
			wantStatus(t, rep.Results[0], StatusFlaky, "429")
			for _, r := range rep.Results[1:] {
				wantStatus(t, r, StatusSkipped, "not checked: the host asked to wait")
			}
			if len(clock.Sleeps()) != 0 {
				t.Errorf("slept %v; a wait the checker will not make should end the attempts at once", clock.Sleeps())
			}
		})
	}
}

// TestProxyUnreachable: when the proxy the machine is set to use cannot
// be reached, no site was asked, so no link is broken: with every host
// behind it the network reads as down, and a host reached through it
// alone is not checked.
func TestProxyUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadProxy := &url.URL{Scheme: "http", Host: ln.Addr().String()}
	ln.Close()
	ok := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {})

	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = http.ProxyURL(deadProxy)
	opt := testOptions(newFakeClock())
	opt.Transport = tr
	rep := Check(context.Background(), []string{"http://a.example/1", "http://a.example/2", "https://b.example/"}, opt)
	if !rep.NetworkDown || !strings.Contains(rep.NetworkDetail, "proxy") {
		t.Errorf("NetworkDown %v (%q); want the network reported unreachable through its proxy", rep.NetworkDown, rep.NetworkDetail)
	}
	for _, r := range rep.Results {
		wantStatus(t, r, StatusSkipped, "not checked")
	}

	// Only one host goes through the dead proxy; the other answers.
	tr = http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = func(r *http.Request) (*url.URL, error) {
		if r.URL.Hostname() == "a.example" {
			return deadProxy, nil
		}
		return nil, nil
	}
	opt.Transport = tr
	rep = Check(context.Background(), []string{"http://a.example/1", ok.URL("/fine")}, opt)
	if rep.NetworkDown {
		t.Error("a host that answers proves the network works")
	}
	wantStatus(t, rep.Results[0], StatusSkipped, "not checked: the proxy cannot be reached")
	wantStatus(t, rep.Results[1], StatusOK, "")
}

// TestNoConnectionsLeftOpen: a run with its own transport closes its
// connections when it ends, so a caller that checks links now and then
// (a test, a server) is not left with idle connections and the two
// goroutines each holds until the server drops them.
func TestNoConnectionsLeftOpen(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {})
	before := runtime.NumGoroutine()
	rep := Check(context.Background(), []string{srv.URL("/a"), srv.URL("/b"), srv.URL("/c")}, Options{})
	if got := rep.Count(StatusOK); got != 3 {
		t.Fatalf("%d of 3 passed", got)
	}
	// Closed connections end their goroutines (the client's and the
	// server's) soon after, not at once.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines after the run, %d before: its connections are still open", runtime.NumGoroutine(), before)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestInterrupted: a run its caller ends (Ctrl-C in errref links) says so
// for the addresses it did not finish, rather than blaming the deadline.
func TestInterrupted(t *testing.T) {
	arrived := make(chan struct{}, 1)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		select {
		case arrived <- struct{}{}:
		default:
		}
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()
	opt := testOptions(newFakeClock())
	opt.PerHost = 1
	opt.Timeout = time.Minute
	rep := Check(ctx, []string{srv.URL("/1"), srv.URL("/2")}, opt)
	for _, r := range rep.Results {
		wantStatus(t, r, StatusSkipped, "not checked: the run was interrupted")
	}
}

// rawServer accepts connections on a local port (TLS with ALPN h2 when
// tlsConf is set) and hands each to serve; it returns the base address.
func rawServer(t *testing.T, tlsConf *tls.Config, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	scheme := "http"
	if tlsConf != nil {
		ln, scheme = tls.NewListener(ln, tlsConf), "https"
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				serve(c)
			}()
		}
	}()
	return scheme + "://" + ln.Addr().String()
}

// h2Frame writes one HTTP/2 frame (RFC 9113, section 4.1).
func h2Frame(w io.Writer, typ byte, stream uint32, payload []byte) {
	n := len(payload)
	hdr := []byte{byte(n >> 16), byte(n >> 8), byte(n), typ, 0,
		byte(stream >> 24), byte(stream >> 16), byte(stream >> 8), byte(stream)}
	w.Write(append(hdr, payload...))
}

// goAway plays an HTTP/2 server that reads the client's first request,
// then sends GOAWAY naming that request as processed (last stream 1,
// INTERNAL_ERROR) and closes the connection: the request is lost.
func goAway(c net.Conn) {
	preface := make([]byte, len("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"))
	if _, err := io.ReadFull(c, preface); err != nil {
		return
	}
	for {
		hdr := make([]byte, 9)
		if _, err := io.ReadFull(c, hdr); err != nil {
			return
		}
		n := int(hdr[0])<<16 | int(hdr[1])<<8 | int(hdr[2])
		if _, err := io.ReadFull(c, make([]byte, n)); err != nil {
			return
		}
		if hdr[3] == 0x1 { // HEADERS: the request
			break
		}
	}
	h2Frame(c, 0x4, 0, nil)                              // SETTINGS
	h2Frame(c, 0x7, 0, []byte{0, 0, 0, 1, 0, 0, 0, 0x2}) // GOAWAY, last stream 1, INTERNAL_ERROR
}

// TestBrokenConnections: a connection that breaks after it was made, in
// the ways HTTP/2 and cut-off responses break it, is a transient failure
// like a reset: retried, then reported as flaky (LNK006), never as an
// unreachable host (LNK002).
func TestBrokenConnections(t *testing.T) {
	h2 := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/recovers" || r.Method == http.MethodHead {
			panic(http.ErrAbortHandler) // HTTP/2: RST_STREAM, INTERNAL_ERROR
		}
	}))
	h2.Config.ErrorLog = log.New(io.Discard, "", 0)
	h2.EnableHTTP2 = true
	h2.StartTLS()
	defer h2.Close()
	trusting := h2.Client().Transport.(*http.Transport)

	goAwaySrv := rawServer(t, &tls.Config{Certificates: h2.TLS.Certificates, NextProtos: []string{"h2"}}, goAway)
	cutSrv := rawServer(t, nil, func(c net.Conn) {
		bufio.NewReader(c).ReadString('\n')
		// Cut off inside a header name, which Go reports as a malformed
		// header rather than an unexpected EOF.
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Ty")
	})
	for _, tc := range []struct {
		name, url, detail string
		status            Status
		attempts          int
	}{
		{"stream reset", h2.URL + "/reset", "stream error", StatusFlaky, 3},
		{"GOAWAY", goAwaySrv + "/gone-away", "GOAWAY", StatusFlaky, 3},
		{"cut-off headers", cutSrv + "/cut", "the connection was reset or closed before an answer", StatusFlaky, 3},
		// HEAD is reset, GET answers: a server that mishandles HEAD.
		{"HEAD reset", h2.URL + "/recovers", "", StatusOK, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			opt := testOptions(clock)
			opt.Transport = trusting.Clone()
			r, rep := checkOne(t, opt, tc.url)
			wantStatus(t, r, tc.status, tc.detail)
			if r.Attempts != tc.attempts {
				t.Errorf("%d attempts, want %d", r.Attempts, tc.attempts)
			}
			if rep.NetworkDown {
				t.Error("a server that broke a connection proves the network works")
			}
		})
	}
}

// TestNoConnectionAnywhere: names resolve but no connection is ever made
// (a firewall that drops every packet): the network is reported
// unreachable, not every link as flaky or not checked. A host that
// answers among them proves the network works, and the others are then
// only slow sites.
func TestNoConnectionAnywhere(t *testing.T) {
	ok := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {})
	okAddr := ok.srv.Listener.Addr().String()
	// Dialling blocks until the request's timeout, as a connect does
	// when no packet comes back; only the test server gets through.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr == okAddr {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}
		<-ctx.Done()
		return nil, &net.OpError{Op: "dial", Net: network, Err: ctx.Err()}
	}
	opt := testOptions(newFakeClock())
	opt.Transport = tr
	opt.Timeout = 20 * time.Millisecond
	dropped := []string{"https://a.example/1", "https://a.example/2", "https://b.example/", "http://c.example/x"}

	rep := Check(context.Background(), dropped, opt)
	if !rep.NetworkDown || !strings.Contains(rep.NetworkDetail, "no connection to") {
		for _, r := range rep.Results {
			t.Log(r.URL, r.Status, r.Detail)
		}
		t.Fatalf("NetworkDown %v (%q); want the network reported unreachable", rep.NetworkDown, rep.NetworkDetail)
	}
	for _, r := range rep.Results {
		wantStatus(t, r, StatusSkipped, "the network is unreachable")
	}

	rep = Check(context.Background(), append(dropped, ok.URL("/fine")), opt)
	if rep.NetworkDown {
		t.Fatal("a host that answers proves the network works")
	}
	wantStatus(t, rep.Results[2], StatusFlaky, "no connection to b.example within 20ms")
	wantStatus(t, rep.Results[4], StatusOK, "")
}

// TestRedirectsPassTheTargetsGate: a redirect to another host is a
// request to that host, held to its limits as the host's own addresses
// are: its concurrency slots, its Retry-After and its circuit breaker.
func TestRedirectsPassTheTargetsGate(t *testing.T) {
	t.Run("slots", func(t *testing.T) {
		var mu sync.Mutex
		inFlight, peak := 0, 0
		b := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
			mu.Lock()
			inFlight++
			peak = max(peak, inFlight)
			mu.Unlock()
			time.Sleep(30 * time.Millisecond)
			mu.Lock()
			inFlight--
			mu.Unlock()
		})
		a := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
			http.Redirect(w, r, b.URL(r.URL.Path), http.StatusFound)
		})
		var urls []string
		for i := range 4 {
			urls = append(urls, a.URL(fmt.Sprint("/to", i)), b.URL(fmt.Sprint("/own", i)))
		}
		opt := testOptions(newFakeClock())
		opt.Concurrency, opt.PerHost = 8, 2
		rep := Check(context.Background(), urls, opt)
		if got := rep.Count(StatusOK); got != len(urls) {
			t.Fatalf("%d of %d passed", got, len(urls))
		}
		if peak > 2 {
			t.Errorf("%d requests in flight to one host at once, with redirects to it; want at most PerHost (2)", peak)
		}
	})

	t.Run("Retry-After", func(t *testing.T) {
		// b rate-limits every request for an hour; the first request to
		// reach it, from a's redirect or b's own address, sets the hold.
		b := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
		})
		a := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
			if r.URL.Path == "/to-b" {
				http.Redirect(w, r, b.URL("/limited"), http.StatusFound)
			}
		})
		opt := testOptions(newFakeClock())
		opt.PerHost = 1
		rep := Check(context.Background(), []string{a.URL("/to-b"), b.URL("/own"), a.URL("/fine")}, opt)
		if n := b.total.Load(); n != 1 {
			t.Errorf("the rate-limited host got %d requests; want 1, then none while it asked to wait", n)
		}
		// The hold is b's, not a's: a's other page is asked at once.
		wantStatus(t, rep.Results[2], StatusOK, "")
		for _, r := range rep.Results[:2] {
			if r.Status != StatusFlaky && r.Status != StatusSkipped || !strings.Contains(r.Detail, "wait") {
				t.Errorf("%s: %v (%q), want not verified because the host asked to wait", r.URL, r.Status, r.Detail)
			}
		}
	})

	t.Run("breaker", func(t *testing.T) {
		b := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
			w.WriteHeader(http.StatusServiceUnavailable)
		})
		a := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
			http.Redirect(w, r, b.URL("/p9"), http.StatusFound)
		})
		opt := testOptions(newFakeClock()).withDefaults()
		opt.BreakerCooldown = time.Hour
		c := newChecker(opt, opt.Clock.Now())
		hostOf := func(s *counter) *host {
			u, err := url.Parse(s.URL("/"))
			if err != nil {
				t.Fatal(err)
			}
			h, _ := c.host(hostKey(u))
			return h
		}
		// b's own pages have opened its breaker: three of them failed.
		bHost := hostOf(b)
		for i := range 3 {
			bHost.record(withAnswer(outcome{Result: Result{URL: b.URL(fmt.Sprint("/p", i)), Status: StatusFlaky, Code: 503}, failure: true}), opt.Clock.Now())
		}
		r := c.checkURL(context.Background(), hostOf(a), a.URL("/to-b"))
		wantStatus(t, r, StatusSkipped, "it redirects to "+b.URL("/p9")+", where ")
		wantStatus(t, r, StatusSkipped, "circuit breaker is open")
		if n := b.total.Load(); n != 0 {
			t.Errorf("the host whose breaker is open got %d requests through a redirect", n)
		}
	})
}
