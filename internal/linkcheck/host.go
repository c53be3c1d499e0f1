package linkcheck

import (
	"net/http"
	"slices"
	"time"
)

// breaker is a host's circuit breaker: closed (requests pass), open (they
// are refused until the cool-down ends) or half-open (one trial request).
//
// It opens on a streak of threshold failures, with no success between
// them, that spans several addresses: two when the host stopped answering
// (a timeout or a dropped connection is in the streak), three when it
// answers with errors (5xx), since two pages that fail their retries side
// by side on a working host are still only two pages. One page that fails
// on every retry never opens it; Attempts bounds that page. A 429 is the
// host asking for less, neither a failure nor a success, so it is not
// recorded at all.
type breaker struct {
	threshold int
	cooldown  time.Duration
	failures  int      // in the current streak
	silent    bool     // the streak holds a timeout or a connection failure
	addrs     []string // distinct addresses in the streak
	open      bool
	openedAt  time.Time
	trial     bool // the half-open trial is in flight
}

// allow reports whether a request may go out now. After the cool-down it
// lets exactly one trial through.
func (b *breaker) allow(now time.Time) bool {
	if !b.open {
		return true
	}
	if b.trial || now.Sub(b.openedAt) < b.cooldown {
		return false
	}
	b.trial = true
	return true
}

// record counts the result of an allowed request for address u: a
// success, or a failure with an answer (answered) or without.
func (b *breaker) record(u string, failed, answered bool, now time.Time) {
	wasTrial := b.trial
	b.trial = false
	if !failed {
		b.failures, b.silent, b.addrs, b.open = 0, false, b.addrs[:0], false
		return
	}
	b.failures++
	b.silent = b.silent || !answered
	if !slices.Contains(b.addrs, u) {
		b.addrs = append(b.addrs, u)
	}
	need := 3
	if b.silent {
		need = 2
	}
	if wasTrial || b.failures >= b.threshold && len(b.addrs) >= need {
		b.open, b.openedAt = true, now
	}
}

func (h *host) allow(now time.Time) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.breaker.allow(now)
}

// release ends an allowed request that was never sent, so a half-open
// breaker can let another trial through.
func (h *host) release() {
	h.mu.Lock()
	h.breaker.trial = false
	h.mu.Unlock()
}

// record notes what an attempt found: for the breaker, and for telling an
// offline machine from a dead site.
func (h *host) record(o outcome, now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if o.Code != http.StatusTooManyRequests {
		h.breaker.record(o.URL, o.failure, o.answered, now)
	}
	switch {
	case o.answered:
		h.answered = true
	case o.offline:
		h.offline++
		if h.example == "" {
			h.example = o.Detail
		}
	case o.failure:
		h.failures++
	}
}

// wait is how long the host asked every request to wait (Retry-After).
func (h *host) wait(now time.Time) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.notBefore.Sub(now)
}

func (h *host) holdUntil(t time.Time) {
	h.mu.Lock()
	if t.After(h.notBefore) {
		h.notBefore = t
	}
	h.mu.Unlock()
}

// setDown records a failure of the whole host (no such name, refused,
// bad certificate), which its other addresses share.
func (h *host) setDown(r Result) {
	h.mu.Lock()
	if h.down == nil {
		h.down = &r
	}
	h.mu.Unlock()
}

func (h *host) downResult(u string) *Result {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.down == nil || h.down.URL == u {
		return nil
	}
	r := *h.down
	r.URL, r.Attempts, r.Code = u, 0, 0
	r.Detail += " (found on " + h.down.URL + "; not asked again)"
	return &r
}

func (h *host) getOnly() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.headBroken
}

func (h *host) setGetOnly() {
	h.mu.Lock()
	h.headBroken = true
	h.mu.Unlock()
}
