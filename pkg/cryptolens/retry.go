package cryptolens

import (
	"context"
	"math/rand/v2"
	"time"
)

// RetryPolicy says how a Client retries transient failures: network errors,
// timeouts, HTTP 408, 429 and 5xx, broken or non-JSON bodies, and the
// server's "Something went wrong". Waits grow exponentially from MinDelay to
// MaxDelay, each drawn at random from its upper half (jitter), unless the
// server sent Retry-After, which is honoured up to MaxRetryAfter. Zero
// fields take the defaults in brackets.
type RetryPolicy struct {
	Attempts      int           // HTTP attempts per request, including the first [5]; 1 disables retries
	MinDelay      time.Duration // wait before the first retry [200ms]
	MaxDelay      time.Duration // longest backoff wait [10s]
	MaxRetryAfter time.Duration // longest wait a Retry-After header can ask for [60s]
}

// withDefaults fills the zero fields.
func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.Attempts <= 0 {
		p.Attempts = 5
	}
	if p.MinDelay <= 0 {
		p.MinDelay = 200 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 10 * time.Second
	}
	if p.MaxDelay < p.MinDelay {
		p.MaxDelay = p.MinDelay
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = 60 * time.Second
	}
	return p
}

// delay returns how long to wait after failed attempt n (1-based), given
// the server's Retry-After (0 if none).
func (p RetryPolicy) delay(n int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return min(retryAfter, p.MaxRetryAfter)
	}
	d := p.MinDelay
	for i := 1; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, p.MaxDelay)
	return d/2 + rand.N(d/2+1)
}

// sleep waits for d or until ctx is done; it reports whether it slept the
// whole time.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
