package alert

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Webhook is where a report is POSTed as JSON, as the rules file's
// webhook: section says. The zero Timeout and Retries mean the defaults.
type Webhook struct {
	URL     string        // http or https; it is never printed, as it often holds a secret
	Timeout time.Duration // for each attempt; 0 means DefaultWebhookTimeout
	Retries int           // attempts after the first; 0 means DefaultWebhookRetries
	// Backoff is the wait before the first retry, doubled for each next
	// one; 0 means one second. A Retry-After of up to a minute is obeyed.
	Backoff time.Duration
	// Client sends the requests; nil means a plain http.Client.
	Client *http.Client
}

// Webhook defaults.
const (
	DefaultWebhookTimeout = 10 * time.Second
	DefaultWebhookRetries = 3
	maxRetryAfter         = time.Minute
)

// Post sends rep as JSON. Network errors, timeouts, 429 and 5xx answers
// are retried, waiting longer each time; any other answer but 2xx fails at
// once. Errors name the webhook's host, never its URL, which often holds a
// secret.
func (w *Webhook) Post(ctx context.Context, rep *Report) error {
	body, err := json.Marshal(rep)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	u, err := url.Parse(w.URL)
	if err != nil {
		return errors.New("webhook: the URL does not parse")
	}
	host := u.Host
	client := w.Client
	if client == nil {
		client = &http.Client{}
	}
	timeout, retries, wait := or(w.Timeout, DefaultWebhookTimeout), or(w.Retries, DefaultWebhookRetries), or(w.Backoff, time.Second)
	var last error
	for attempt := 0; attempt <= retries; attempt++ {
		var after time.Duration
		after, last = w.attempt(ctx, client, body, timeout)
		if last == nil {
			return nil
		}
		var perm permanent
		if errors.As(last, &perm) || attempt == retries {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("webhook to %s: %w (after %v)", host, ctx.Err(), last)
		case <-time.After(max(wait, after)):
		}
		wait *= 2
	}
	return fmt.Errorf("webhook to %s: %w", host, last)
}

// permanent marks an answer that retrying will not change.
type permanent struct{ error }

// attempt makes one POST. after is the wait the server asked for, if any.
func (w *Webhook) attempt(ctx context.Context, client *http.Client, body []byte, timeout time.Duration) (after time.Duration, err error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return 0, permanent{errors.New("cannot make the request")}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "lenslog-alert")
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the URL
		}
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return 0, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return retryAfter(resp.Header.Get("Retry-After")), fmt.Errorf("answered %s", resp.Status)
	}
	return 0, permanent{fmt.Errorf("answered %s", resp.Status)}
}

// retryAfter reads a Retry-After of seconds, bounded by maxRetryAfter.
func retryAfter(s string) time.Duration {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0
	}
	return min(time.Duration(n)*time.Second, maxRetryAfter)
}
