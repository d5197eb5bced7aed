package cryptolens

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultBaseURL is the Cryptolens API; a Client uses it unless BaseURL
// says otherwise.
const DefaultBaseURL = "https://api.cryptolens.io/api/"

// maxBody bounds a response body; a 1000-row page is well under 1 MB.
const maxBody = 64 << 20

// Client reads the three logs of one Cryptolens account. Configure it
// through its fields before first use; it is then safe for concurrent use.
// Printing a Client never shows its token.
type Client struct {
	// BaseURL is where the API lives, with or without a trailing slash;
	// methods are requested at BaseURL + "ai/<Method>" (the inventory
	// methods at BaseURL + "product/<Method>" or "customer/<Method>"). Empty means
	// $CRYPTOLENS_API_URL, else DefaultBaseURL. User info in it
	// (http://user:password@proxy/api/) is sent as HTTP Basic
	// authentication and never shown: errors, String and AccountOf leave
	// it out, and the password is scrubbed like the token.
	BaseURL string
	// Token is the access token, sent in the POST body only.
	Token Token
	// HTTPClient makes the requests; nil means one with timeouts suited to
	// the API (10s to connect, 60s for headers, 2 minutes in all) that does
	// not follow redirects. Its Timeout bounds each attempt.
	HTTPClient *http.Client
	// Retry says how transient failures are retried; the zero value is
	// sensible.
	Retry RetryPolicy
	// Observe, if set, is called after each HTTP attempt, e.g. to show
	// progress or count requests. It must be safe for concurrent use if the
	// Client is.
	Observe func(Request)
	// Waiting, if set, is called before each wait between two attempts
	// (a backoff, or the server's Retry-After), so a caller can say what
	// it waits for and how long. The same concurrency rule as Observe's
	// applies.
	Waiting func(Wait)
}

// Wait describes a pause before a retry, for Client.Waiting.
type Wait struct {
	Method  string        // API method, e.g. "GetWebAPILog"
	Attempt int           // the attempt that follows the wait: 2 for the first retry
	For     time.Duration // how long the client waits
	// RetryAfter is true when the server asked for the wait (Retry-After).
	RetryAfter bool
	Err        error // the failure that is retried; never holds the token
}

// Request describes one HTTP attempt, for Client.Observe.
type Request struct {
	Method   string        // API method, e.g. "GetWebAPILog"
	Attempt  int           // 1 for the first try, 2 for the first retry, ...
	Status   int           // HTTP status, 0 if no response arrived
	Rows     int           // rows in the page, when it decoded
	NullRows int           // of them, null entries (or rows without an id), which pagers drop
	Bytes    int           // size of the response body
	Duration time.Duration // from sending to the body decoded
	Err      error         // nil on success; never holds the token
	// RetryAfter is the wait the server asked for (Retry-After), if any.
	RetryAfter time.Duration
	// RepeatedRows counts the rows of the page whose id an earlier row of
	// it has: the pagers (and a store's sync) keep one of each id.
	RepeatedRows int
}

// New returns a Client for the token, with BaseURL DefaultBaseURL and
// every other field at its default. Set BaseURL for another server (the
// lenslog package's Config resolves it from $CRYPTOLENS_API_URL).
func New(token Token) *Client {
	return &Client{BaseURL: DefaultBaseURL, Token: token}
}

// String describes the client without its token.
func (c Client) String() string {
	tok := "none"
	if c.Token != "" {
		tok = redacted
	}
	plain, _, _ := userInfo(c.BaseURL)
	return fmt.Sprintf("cryptolens.Client{BaseURL: %q, Token: %s}", c.scrub(plain), tok)
}

// Format prints String for every verb, so %+v and %#v show no secret.
func (c Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// defaultHTTPClient does not follow redirects: following one would either
// drop the POST body (301, 302, 303) or send the token to wherever the
// redirect points (307, 308). The redirect is reported instead.
var defaultHTTPClient = &http.Client{
	Timeout:       2 * time.Minute,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   4,
		ForceAttemptHTTP2:     true,
	},
}

func (c *Client) httpClient() *http.Client {
	if c.HTTPClient != nil {
		return c.HTTPClient
	}
	return defaultHTTPClient
}

// Account is the identity of the account c reads (see AccountOf).
func (c *Client) Account() Account { return AccountOf(c.BaseURL, c.Token) }

// scrub removes the token and the base URL's password (with its user, as
// a Basic authentication header holds them), in every spelling, from s.
func (c *Client) scrub(s string) string {
	s = c.Token.scrub(s)
	if _, user, password := userInfo(c.BaseURL); password != "" {
		s = Scrub(Scrub(s, user+":"+password), password) // the pair as Basic authentication echoes it, then the password
	}
	return s
}

// target is where a method is requested: the URL, without user info, and
// the user info to send as Basic authentication.
type target struct {
	url, user, password string
	basic               bool
}

// endpoint returns where an API method is requested, checking the base
// URL. Its errors show the URL without user info.
func (c *Client) endpoint(method string) (target, error) {
	base := c.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(strings.TrimSpace(base))
	if err != nil {
		return target{}, fmt.Errorf("cryptolens: base URL %q is not a URL", c.scrub(AccountURL(base)))
	}
	var t target
	if u.User != nil {
		t.basic, t.user = true, u.User.Username()
		t.password, _ = u.User.Password()
		u.User = nil
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return t, fmt.Errorf("cryptolens: base URL %q: want an http or https URL, e.g. %s", c.scrub(u.String()), DefaultBaseURL)
	case u.Host == "":
		return t, fmt.Errorf("cryptolens: base URL %q has no host", c.scrub(u.String()))
	case u.RawQuery != "" || u.Fragment != "":
		return t, fmt.Errorf("cryptolens: base URL %q: want no query or fragment", c.scrub(u.String()))
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawPath = ""
	t.url = u.String() + methodPath(method)
	return t, nil
}

// methodPath is where a method lives under the base URL: the logs' and
// the Usage Analytics methods under ai/, the inventory's as they are named
// (product/GetKeys).
func methodPath(method string) string {
	if strings.Contains(method, "/") {
		return method
	}
	return "ai/" + method
}

// WebAPILog fetches one page of the Web API Log.
func (c *Client) WebAPILog(ctx context.Context, q WebAPILogQuery) ([]WebAPILogRow, error) {
	form, err := q.form()
	if err != nil {
		return nil, c.safe(err)
	}
	return call(ctx, c, methodWebAPILog, "logs", form, decodeWebAPILog)
}

// Events fetches one page of the Events Log.
func (c *Client) Events(ctx context.Context, q EventsQuery) ([]Event, error) {
	form, err := q.form()
	if err != nil {
		return nil, c.safe(err)
	}
	return call(ctx, c, methodEvents, "events", form, decodeEvents)
}

// ObjectLog fetches one page of the Object Log.
func (c *Client) ObjectLog(ctx context.Context, q ObjectLogQuery) ([]ObjectLogEntry, error) {
	form, err := q.form()
	if err != nil {
		return nil, c.safe(err)
	}
	return call(ctx, c, methodObjectLog, "events", form, decodeObjectLog)
}

// pageDecoder decodes a response body.
type pageDecoder[T any] func(body []byte) (envelope, []T, error)

// call requests one page, retrying transient failures per the policy.
func call[T any](ctx context.Context, c *Client, method, array string, form url.Values, decode pageDecoder[T]) ([]T, error) {
	endpoint, err := c.endpoint(method)
	if err != nil {
		return nil, err
	}
	if c.Token == "" {
		return nil, fmt.Errorf("cryptolens: %s: Client.Token is empty: %w (see TokenFromDir)", method, ErrNoToken)
	}
	form.Set("token", string(c.Token))
	body := form.Encode()
	policy := c.Retry.withDefaults()
	for attempt := 1; ; attempt++ {
		if ctx.Err() != nil {
			return nil, ctxError(method, ctx)
		}
		rows, wait, err := attemptOnce(ctx, c, method, array, endpoint, body, attempt, decode)
		if err == nil {
			return rows, nil
		}
		if ctx.Err() != nil {
			return nil, ctxError(method, ctx)
		}
		apiErr, ok := err.(*APIError)
		if !ok || apiErr.Err != ErrTransient || attempt >= policy.Attempts {
			return nil, err
		}
		d := policy.delay(attempt, wait)
		if c.Waiting != nil {
			c.Waiting(Wait{Method: method, Attempt: attempt + 1, For: d, RetryAfter: wait > 0, Err: err})
		}
		if !sleep(ctx, d) {
			return nil, ctxError(method, ctx)
		}
	}
}

// nullRows counts the rows of a page that have no id: null entries, which
// decode to zero rows.
func nullRows[T any](rows []T) int {
	n := 0
	for i := range rows {
		if r, ok := any(rows[i]).(interface{ RowID() int64 }); ok && r.RowID() == 0 {
			n++
		}
	}
	return n
}

// repeatedRows counts the rows of a page whose id (not 0) an earlier row
// of the page has.
func repeatedRows[T any](rows []T) int {
	ids := make([]int64, 0, len(rows))
	for i := range rows {
		if r, ok := any(rows[i]).(interface{ RowID() int64 }); ok && r.RowID() != 0 {
			ids = append(ids, r.RowID())
		}
	}
	slices.Sort(ids) // pages come sorted (either way), so this is quick
	return len(ids) - len(slices.Compact(ids))
}

func ctxError(method string, ctx context.Context) error {
	return fmt.Errorf("cryptolens: %s: %w", method, ctx.Err())
}

// attemptOnce makes one HTTP attempt and reports it to Observe. wait is the
// server's Retry-After, if any. Errors are token-free: an *APIError (whose
// Err says whether it is transient) or a wrapped *DecodeError.
func attemptOnce[T any](ctx context.Context, c *Client, method, array string, endpoint target, body string, attempt int, decode pageDecoder[T]) (rows []T, wait time.Duration, err error) {
	info := Request{Method: method, Attempt: attempt}
	start := time.Now()
	rows, wait, err = roundTrip(ctx, c, &info, array, endpoint, body, decode)
	if err != nil {
		if apiErr, ok := err.(*APIError); ok {
			apiErr.Method, apiErr.Attempts, apiErr.Status = method, attempt, info.Status
			apiErr.Message = c.scrub(cleanText(apiErr.Message))
		} else {
			err = c.safe(fmt.Errorf("cryptolens: %s: %w", method, err))
		}
	}
	info.Rows, info.NullRows, info.Duration, info.Err = len(rows), nullRows(rows), time.Since(start), err
	info.RepeatedRows = repeatedRows(rows)
	info.RetryAfter = wait
	if c.Observe != nil {
		c.Observe(info)
	}
	return rows, wait, err
}

// roundTrip sends the request and decodes the answer, classifying every
// failure. Messages may still hold the token; attemptOnce scrubs them.
func roundTrip[T any](ctx context.Context, c *Client, info *Request, array string, endpoint target, body string, decode pageDecoder[T]) ([]T, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint.url, strings.NewReader(body))
	if err != nil {
		return nil, 0, &APIError{Message: "cannot make request: " + err.Error()}
	}
	if endpoint.basic {
		req.SetBasicAuth(endpoint.user, endpoint.password)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "lenslog")
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return nil, 0, &APIError{Message: err.Error(), Err: ErrTransient}
	}
	defer resp.Body.Close()
	info.Status = resp.StatusCode
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	info.Bytes = len(data)
	wait := retryAfter(resp.Header.Get("Retry-After"), time.Now())
	if bad := statusError(resp, data, endpoint.url); bad != nil {
		return nil, wait, bad
	}
	switch {
	case err != nil:
		return nil, wait, &APIError{Message: "reading response: " + err.Error(), Err: ErrTransient}
	case len(data) > maxBody:
		return nil, wait, &APIError{Message: fmt.Sprintf("response larger than %d MiB", maxBody>>20)}
	}
	env, rows, err := decode(data)
	if err != nil {
		var de *DecodeError
		if errors.As(err, &de) && de.Syntax {
			return nil, wait, &APIError{Message: "malformed response: " + de.Error(), Err: ErrTransient}
		}
		return nil, wait, fmt.Errorf("response does not fit the schema: %w", err)
	}
	if apiErr := env.check(info.Method, array); apiErr != nil {
		return nil, wait, apiErr
	}
	return rows, wait, nil
}

// statusError classifies a non-2xx response: 408, 429 and 5xx are
// transient; others carry the server's message if the body has one.
func statusError(resp *http.Response, data []byte, endpoint string) *APIError {
	code := resp.StatusCode
	if code >= 200 && code < 300 {
		return nil
	}
	msg := fmt.Sprintf("HTTP %d %s", code, http.StatusText(code))
	if env, _, err := envelopeOnly.decode(newDecoder(data, nil), nil); err == nil && env.message != "" {
		msg += ": " + env.message
		if code == http.StatusNotFound {
			return &APIError{Message: msg + " from " + endpoint, Err: ErrNoMethod}
		}
		if code < 500 && code != http.StatusTooManyRequests {
			return &APIError{Message: env.message, Err: classify(env.message)}
		}
	}
	if code >= 500 || code == http.StatusTooManyRequests || code == http.StatusRequestTimeout {
		return &APIError{Message: msg, Err: ErrTransient}
	}
	switch {
	case code == http.StatusNotFound:
		return &APIError{Message: msg + " from " + endpoint, Err: ErrNoMethod}
	case code >= 300 && code < 400:
		msg += " to " + resp.Header.Get("Location") + " (not followed, to keep the token from going elsewhere: set the base URL)"
	}
	return &APIError{Message: msg}
}

// envelopeOnly reads only an error body's envelope: it has no payload
// array, and would skip any row.
var envelopeOnly = pageSpec[struct{}]{rowSize: 1,
	row: func(d *decoder, _ *struct{}) (string, error) { return "", d.skip(3) },
	id:  func(*struct{}) int64 { return 0 }}

// retryAfter parses a Retry-After header (seconds or an HTTP date); 0 when
// absent or unusable.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(h, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, 24*3600)) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// safe makes sure an error's text holds no form of the token and nothing
// that could drive a terminal (see cleanText). Errors built by this
// package are already clean; this is the last line of defence.
func (c *Client) safe(err error) error {
	if err == nil {
		return err
	}
	text := fmt.Sprintf("%+v", err)
	if c.scrub(cleanText(text)) == text {
		return err
	}
	return &scrubbedError{msg: c.scrub(cleanText(err.Error())), kind: sentinelOf(err)}
}

// scrubbedError carries a cleaned error text and only the sentinel of the
// error it replaces, so nothing reachable from it holds the token.
type scrubbedError struct {
	msg  string
	kind error
}

func (e *scrubbedError) Error() string                 { return e.msg }
func (e *scrubbedError) Unwrap() error                 { return e.kind }
func (e *scrubbedError) Format(f fmt.State, verb rune) { _, _ = io.WriteString(f, e.msg) }

// sentinelOf returns the sentinel or context error err wraps, or nil.
func sentinelOf(err error) error {
	for _, s := range []error{ErrNoToken, ErrUnauthenticated, ErrAccessDenied, ErrBadInput,
		ErrNoSubscription, ErrTransient, ErrNoMethod, ErrNoProgress, context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, s) {
			return s
		}
	}
	return nil
}
