package linkcheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// outcome is what one attempt found out.
type outcome struct {
	Result
	transient  bool          // worth another attempt
	failure    bool          // counts against the host's breaker
	hostWide   bool          // the same answer holds for every address of the host
	offline    bool          // a failure a machine without network would also see
	answered   bool          // some HTTP response came back
	retryAfter time.Duration // the server's Retry-After, when it gave one
}

func final(s Status, code int, detail string) outcome {
	return outcome{Result: Result{Status: s, Code: code, Detail: detail}}
}

// probe makes one attempt at u, on host h whose gate the caller has
// passed: HEAD (or GET), following redirects. A redirect to another host
// passes that host's gate (its breaker, its Retry-After hold, its slots)
// before the request goes out, as the host's own addresses do. Each host
// of the chain records its part: one that redirected elsewhere answered,
// and the last one records the outcome, its Retry-After included. probe
// returns holding no slot.
func (c *checker) probe(ctx context.Context, h *host, u string) outcome {
	at, atURL := h, u // the host whose gate the next request is through, and what was first asked of it
	hop := 0
	// finish records o on the host that gave it and frees that host's
	// slots. Another host's failure says nothing about u's host, so the
	// outcome returned for u no longer claims it.
	finish := func(o outcome) outcome {
		// Recorded before the slots are freed, so that a request waiting
		// for one finds the host's Retry-After hold.
		if ctx.Err() != nil && o.Status != StatusOK && o.Status != StatusMoved {
			at.release() // the run ended: nothing was learned about the host
		} else {
			rec, now := o, c.opt.Clock.Now()
			rec.URL = atURL
			at.record(rec, now)
			if o.retryAfter > 0 {
				at.holdUntil(now.Add(o.retryAfter))
			}
		}
		c.releaseSlots(at)
		if hop > 0 {
			o.hostWide, o.offline = false, false
		}
		return o
	}
	cur, curHost := u, h
	seen := map[string]bool{u: true}
	chain := []string{u}
	moved := "" // where the leading permanent redirects lead
	permanent := true
	for ; ; hop++ {
		if curHost != at {
			// at answered, with a redirect: a success for its breaker.
			at.record(withAnswer(outcome{Result: Result{URL: atURL}}), c.opt.Clock.Now())
			c.releaseSlots(at)
			switch g := c.enter(ctx, curHost); g.refused {
			case refusedBreaker, refusedWait:
				return final(StatusSkipped, 0, fmt.Sprintf("not checked: it redirects to %s, where %s", cur, g.why))
			case refusedStopped:
				return final(StatusSkipped, 0, "not checked: "+stopped(ctx))
			}
			at, atURL = curHost, cur
		}
		resp, err := c.fetch(ctx, h, cur, hop == 0)
		if err != nil {
			out := c.classifyErr(ctx, err, cur)
			if hop > 0 {
				out.Detail = fmt.Sprintf("it redirects to %s, where %s", cur, out.Detail)
			}
			return finish(out)
		}
		code := resp.StatusCode
		loc := resp.Header.Get("Location")
		retryAfter := parseRetryAfter(resp.Header.Get("Retry-After"), c.opt.Clock.Now())
		status := resp.Status
		resp.Body.Close()

		if isRedirect(code) {
			if loc == "" {
				return finish(withAnswer(final(StatusDead, code, fmt.Sprintf("the server answered %s without saying where to go", status))))
			}
			next, err := url.Parse(cur)
			if err == nil {
				next, err = next.Parse(loc)
			}
			if err != nil || (next.Scheme != "http" && next.Scheme != "https") {
				return finish(withAnswer(final(StatusDead, code, fmt.Sprintf("it redirects to %q, which is not a web address", loc))))
			}
			next.Fragment, next.RawFragment = "", ""
			target := next.String()
			if permanent && (code == http.StatusMovedPermanently || code == http.StatusPermanentRedirect) {
				moved = target
			} else {
				permanent = false
			}
			chain = append(chain, target)
			if seen[target] {
				return finish(withAnswer(final(StatusLoop, code, "it redirects in a loop: "+strings.Join(chain, " → "))))
			}
			if hop+1 > c.opt.MaxRedirects {
				return finish(withAnswer(final(StatusLoop, code, fmt.Sprintf("it redirects more than %d times (%s → … → %s)", c.opt.MaxRedirects, u, target))))
			}
			seen[target] = true
			cur = target
			curHost, _ = c.host(hostKey(next))
			continue
		}

		var out outcome
		where := ""
		if hop > 0 {
			where = fmt.Sprintf(" (after redirects, at %s)", cur)
		}
		switch {
		case code >= 200 && code < 300:
			if moved != "" {
				out = final(StatusMoved, code, "it has moved permanently to "+moved)
				out.Location = moved
			} else {
				out = final(StatusOK, code, "")
			}
		case code == http.StatusUnauthorized || code == http.StatusForbidden:
			out = final(StatusForbidden, code, "the server refused the checker: "+status+where)
		case transientStatus(code):
			out = final(StatusFlaky, code, "the server answered "+status+where)
			out.transient = true
			out.failure = code != http.StatusTooManyRequests
			out.retryAfter = retryAfter
		default:
			out = final(StatusDead, code, "the server answered "+status+where)
			out.failure = code >= 500
		}
		return finish(withAnswer(out))
	}
}

func withAnswer(o outcome) outcome {
	o.answered = true
	return o
}

func isRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// transientStatus: the server may well answer differently in a moment.
func transientStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// fetch asks for u with HEAD and, where the server mishandles HEAD, with
// GET. first marks the address itself (not a redirect target), whose host
// h remembers servers that mishandle HEAD.
func (c *checker) fetch(ctx context.Context, h *host, u string, first bool) (*http.Response, error) {
	if !first || !h.getOnly() {
		resp, err := c.do(ctx, http.MethodHead, u)
		switch {
		case err == nil && (resp.StatusCode < 400 || transientStatus(resp.StatusCode)):
			return resp, nil
		case err == nil:
			// 405, 501 or another error status: some servers answer
			// HEAD wrongly; GET decides.
			resp.Body.Close()
		case !brokenConn(err) || ctx.Err() != nil:
			return nil, err
		}
		resp, err = c.do(ctx, http.MethodGet, u)
		if first && err == nil && resp.StatusCode < 400 {
			h.setGetOnly()
		}
		return resp, err
	}
	return c.do(ctx, http.MethodGet, u)
}

// do sends one request with the per-request timeout. The body is never
// read: the status and headers are the answer. The returned response's
// body must be closed; an error is a *requestError.
func (c *checker) do(ctx context.Context, method, u string) (*http.Response, error) {
	c.mu.Lock()
	c.requests++
	c.mu.Unlock()
	rctx, cancel := context.WithTimeout(ctx, c.opt.Timeout)
	var connected atomic.Bool
	rctx = httptrace.WithClientTrace(rctx, &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { connected.Store(true) },
	})
	req, err := http.NewRequestWithContext(rctx, method, u, nil)
	if err != nil {
		cancel()
		return nil, err
	}
	req.Header.Set("User-Agent", c.opt.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	resp, err := c.client.Do(req)
	if err != nil {
		cancel()
		return nil, &requestError{err: err, connected: connected.Load()}
	}
	resp.Body = cancelOnClose{resp.Body, cancel}
	return resp, nil
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// requestError is a request that failed, and whether it failed on a
// connection that had been made (TCP, TLS and any proxy tunnel done).
type requestError struct {
	err       error
	connected bool
}

func (e *requestError) Error() string { return e.err.Error() }
func (e *requestError) Unwrap() error { return e.err }

// droppedConn: the server closed or reset the connection instead of
// answering.
func droppedConn(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// brokenConn: the connection broke before the answer came, in any of the
// ways a transport reports it: a reset or a close (droppedConn), or any
// other failure, short of a timeout, on a connection that had been made,
// such as an HTTP/2 stream reset (RST_STREAM), a GOAWAY that takes the
// request with it, or a response cut off in its headers. The failures
// that concern the host itself (its name, a refused connection, its
// certificate) all come before the connection is made.
func brokenConn(err error) bool {
	if droppedConn(err) {
		return true
	}
	var re *requestError
	return errors.As(err, &re) && re.connected && !timedOut(err)
}

func timedOut(err error) bool {
	var netErr net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout()
}

// classifyErr turns a failed request for u into an outcome.
func (c *checker) classifyErr(ctx context.Context, err error, u string) outcome {
	var dnsErr *net.DNSError
	var netErr net.Error
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var recordErr tls.RecordHeaderError
	var opErr *net.OpError
	switch {
	case errors.As(err, &opErr) && opErr.Op == "proxyconnect":
		// The machine's own proxy failed: no site was asked, so this
		// says nothing about the link. Like a missing network, it holds
		// for every address of the host.
		o := final(StatusSkipped, 0, "not checked: the proxy cannot be reached ("+opErr.Err.Error()+")")
		o.hostWide, o.offline = true, true
		return o
	case errors.As(err, &dnsErr):
		// Resolver failures are not retried: the resolver has retried.
		o := final(StatusUnreachable, 0, "")
		if dnsErr.IsNotFound {
			o.Detail = fmt.Sprintf("the host name %s does not resolve (no such host)", dnsErr.Name)
		} else {
			o.Detail = fmt.Sprintf("the host name %s could not be looked up (%s)", dnsErr.Name, dnsErr.Err)
		}
		o.hostWide, o.offline, o.failure = true, true, true
		return o
	case errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTUNREACH):
		o := final(StatusUnreachable, 0, "there is no route to the host (network unreachable)")
		o.hostWide, o.offline, o.failure = true, true, true
		return o
	case errors.Is(err, syscall.ECONNREFUSED):
		o := final(StatusUnreachable, 0, "the host refused the connection")
		o.hostWide, o.failure = true, true
		return o
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr),
		errors.As(err, &invalid), errors.As(err, &recordErr):
		o := final(StatusUnreachable, 0, "the TLS connection failed: "+tlsReason(err))
		o.hostWide, o.failure = true, true
		return o
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil,
		errors.As(err, &netErr) && netErr.Timeout():
		o := final(StatusFlaky, 0, fmt.Sprintf("no answer within %s", c.opt.Timeout))
		o.transient, o.failure = true, true
		var re *requestError
		if errors.As(err, &re) && !re.connected {
			// Not even a connection: what a firewall that drops every
			// packet looks like, when no other host answers either.
			host := u
			if p, err := url.Parse(u); err == nil {
				host = p.Host
			}
			o.Detail = fmt.Sprintf("no connection to %s within %s", host, c.opt.Timeout)
			o.offline = true
		}
		return o
	case brokenConn(err):
		o := final(StatusFlaky, 0, "the connection was reset or closed before an answer")
		if !droppedConn(err) {
			o.Detail += " (" + innermost(err) + ")"
		}
		o.transient, o.failure = true, true
		return o
	}
	o := final(StatusUnreachable, 0, "the request failed: "+innermost(err))
	o.failure = true
	return o
}

// tlsReason is the certificate problem without Go's request prefix.
func tlsReason(err error) string {
	s := innermost(err)
	s = strings.TrimPrefix(s, "tls: failed to verify certificate: ")
	return s
}

// innermost drops the "Head \"https://…\": " prefix of a url.Error.
func innermost(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// parseRetryAfter reads Retry-After in both its forms, a number of
// seconds or an HTTP date, as a wait from now. It returns 0 when the
// header is absent, unreadable or already past.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		if n > int64(365*24*time.Hour/time.Second) {
			n = int64(365 * 24 * time.Hour / time.Second)
		}
		return time.Duration(n) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	if d := t.Sub(now); d > 0 {
		return d
	}
	return 0
}
