package cryptolens

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"time"
)

// The Usage Analytics methods (May 2026) return aggregates that Cryptolens
// builds from the Web API Log, asynchronously: the newest day may be
// incomplete, and keys flagged as excluded from usage analytics (test
// licenses) are left out. Each needs a token with the "Usage Analytics"
// permission; without it the server says "Access denied" and the error
// names the permission. Rows page like the logs' (StartingAfter forward,
// EndingBefore backward; if a query sets both, EndingBefore wins and only
// it is sent), at most MaxUsageLimit rows a page.
//
// Dates and the ...Utc fields are held as unix seconds, UTC, like the logs'
// times. The wire form is not confirmed: the decoders take ISO-8601 text
// ("2026-05-01", "2026-05-01T10:30:00Z", with or without a zone, which
// then means UTC) or a number of unix seconds.

// MaxUsageLimit is the largest page each Usage Analytics method serves.
const MaxUsageLimit = 1000

// UsagePermission is the access-token permission the Usage Analytics
// methods need, as Cryptolens names it.
const UsagePermission = "Usage Analytics"

// The Usage Analytics methods, as they appear in paths and errors.
const (
	methodDailyAggregates        = "GetDailyAggregates"
	methodDailyCountryAggregates = "GetDailyCountryAggregates"
	methodKeyUsageSummaries      = "GetKeyUsageSummaries"
	methodKeyDevices             = "GetKeyDevices"
	methodActivityBuckets        = "GetLicenseActivityBuckets"
)

// methodPermissions names the permission a method needs, where an "Access
// denied" from it can only mean one thing to fix.
var methodPermissions = map[string]string{
	methodDailyAggregates:        UsagePermission,
	methodDailyCountryAggregates: UsagePermission,
	methodKeyUsageSummaries:      UsagePermission,
	methodKeyDevices:             UsagePermission,
	methodActivityBuckets:        UsagePermission,
	MethodGetProducts:            PermissionGetProducts,
	MethodGetKeys:                PermissionGetKeys,
	MethodGetCustomers:           PermissionGetCustomers,
	MethodGetCustomerLicenses:    PermissionGetCustomerLicenses,
}

// UsageRange holds the parameters every Usage Analytics method takes. Zero
// values mean "no filter" and are not sent.
type UsageRange struct {
	ProductID int // only this product
	// Start and End bound the rows' day, inclusive; only their UTC date
	// counts, sent as yyyy-MM-dd.
	Start, End time.Time
	// Limit is the page size: 0 means MaxUsageLimit, larger is clamped.
	Limit         int
	StartingAfter int64 // forward cursor: rows with larger ids, oldest first
	EndingBefore  int64 // backward cursor, newest first; wins over StartingAfter
}

// DailyAggregatesQuery holds the parameters of ai/GetDailyAggregates.
type DailyAggregatesQuery struct {
	UsageRange
}

// DailyCountryAggregatesQuery holds the parameters of
// ai/GetDailyCountryAggregates.
type DailyCountryAggregatesQuery struct {
	UsageRange
	CountryCode string // only this country, an ISO 3166-1 alpha-2 code such as "SE"
}

// KeyUsageSummariesQuery holds the parameters of ai/GetKeyUsageSummaries.
type KeyUsageSummariesQuery struct {
	UsageRange
	KeyID int64  // only this key, by its id
	Key   string // only this license key string
}

// KeyDevicesQuery holds the parameters of ai/GetKeyDevices.
type KeyDevicesQuery struct {
	UsageRange
	KeyID       int64  // only this key, by its id
	MachineCode string // only this machine code
}

// LicenseActivityBucketsQuery holds the parameters of
// ai/GetLicenseActivityBuckets.
type LicenseActivityBucketsQuery struct {
	UsageRange
	KeyID       int64  // only this key, by its id
	Key         string // only this license key string
	MachineCode string // only this machine code
}

// DateLayout is the form of the Start and End parameters (yyyy-MM-dd).
const DateLayout = "2006-01-02"

// usage sets the common parameters.
func (p *params) usage(r UsageRange) {
	p.id("ProductId", int64(r.ProductID))
	start, end := dayOf(r.Start), dayOf(r.End)
	if !r.Start.IsZero() {
		p.v.Set("Start", start.Format(DateLayout))
	}
	if !r.End.IsZero() {
		p.v.Set("End", end.Format(DateLayout))
	}
	if !r.Start.IsZero() && !r.End.IsZero() && end.Before(start) {
		p.fail("End %s is before Start %s", end.Format(DateLayout), start.Format(DateLayout))
	}
	p.limit(r.Limit, MaxUsageLimit)
	if r.EndingBefore != 0 {
		p.id("EndingBefore", r.EndingBefore)
		if r.StartingAfter < 0 {
			p.id("StartingAfter", r.StartingAfter) // still report a negative cursor
		}
		return
	}
	p.id("StartingAfter", r.StartingAfter)
}

// dayOf returns the UTC midnight of t's UTC date (zero stays zero).
func dayOf(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func (q DailyAggregatesQuery) form() (url.Values, error) {
	p := newParams(methodDailyAggregates)
	p.usage(q.UsageRange)
	return p.v, p.err
}

func (q DailyCountryAggregatesQuery) form() (url.Values, error) {
	p := newParams(methodDailyCountryAggregates)
	p.usage(q.UsageRange)
	p.str("CountryCode", q.CountryCode)
	return p.v, p.err
}

func (q KeyUsageSummariesQuery) form() (url.Values, error) {
	p := newParams(methodKeyUsageSummaries)
	p.usage(q.UsageRange)
	p.id("KeyId", q.KeyID)
	p.str("Key", q.Key)
	return p.v, p.err
}

func (q KeyDevicesQuery) form() (url.Values, error) {
	p := newParams(methodKeyDevices)
	p.usage(q.UsageRange)
	p.id("KeyId", q.KeyID)
	p.str("MachineCode", q.MachineCode)
	return p.v, p.err
}

func (q LicenseActivityBucketsQuery) form() (url.Values, error) {
	p := newParams(methodActivityBuckets)
	p.usage(q.UsageRange)
	p.id("KeyId", q.KeyID)
	p.str("Key", q.Key)
	p.str("MachineCode", q.MachineCode)
	return p.v, p.err
}

// The five row types (DailyAggregate, DailyCountryAggregate,
// KeyUsageSummary, KeyDevice, LicenseActivityBucket) and their decoders
// are generated from internal/logschema into rows_gen.go and
// rowdecode_gen.go.

// Day returns the aggregate's day, 00:00 UTC.
func (r DailyAggregate) Day() time.Time { return time.Unix(r.Date, 0).UTC() }

// Day returns the aggregate's day, 00:00 UTC.
func (r DailyCountryAggregate) Day() time.Time { return time.Unix(r.Date, 0).UTC() }

// BucketStart returns when the bucket's 30 minutes begin, in UTC.
func (r LicenseActivityBucket) BucketStart() time.Time { return time.Unix(r.BucketStartUtc, 0).UTC() }

// DailyAggregates fetches one page of ai/GetDailyAggregates.
func (c *Client) DailyAggregates(ctx context.Context, q DailyAggregatesQuery) ([]DailyAggregate, error) {
	return usageCall(ctx, c, q.form, dailyPages)
}

// DailyCountryAggregates fetches one page of ai/GetDailyCountryAggregates.
func (c *Client) DailyCountryAggregates(ctx context.Context, q DailyCountryAggregatesQuery) ([]DailyCountryAggregate, error) {
	return usageCall(ctx, c, q.form, countryPages)
}

// KeyUsageSummaries fetches one page of ai/GetKeyUsageSummaries.
func (c *Client) KeyUsageSummaries(ctx context.Context, q KeyUsageSummariesQuery) ([]KeyUsageSummary, error) {
	return usageCall(ctx, c, q.form, summaryPages)
}

// KeyDevices fetches one page of ai/GetKeyDevices.
func (c *Client) KeyDevices(ctx context.Context, q KeyDevicesQuery) ([]KeyDevice, error) {
	return usageCall(ctx, c, q.form, devicePages)
}

// LicenseActivityBuckets fetches one page of ai/GetLicenseActivityBuckets.
func (c *Client) LicenseActivityBuckets(ctx context.Context, q LicenseActivityBucketsQuery) ([]LicenseActivityBucket, error) {
	return usageCall(ctx, c, q.form, bucketPages)
}

// usageCall checks the query and requests one page with the client's
// retries and error handling.
func usageCall[T any](ctx context.Context, c *Client, form func() (url.Values, error), spec pageSpec[T]) ([]T, error) {
	v, err := form()
	if err != nil {
		return nil, c.safe(err)
	}
	return call(ctx, c, spec.method, spec.array, v, func(body []byte) (envelope, []T, error) {
		return spec.decode(newDecoder(body, nil), nil)
	})
}

// DailyAggregatesForward pages ai/GetDailyAggregates oldest first from
// q.StartingAfter until an empty page, so a re-sync with nothing new costs
// one request. If q.EndingBefore is set, it is a ceiling: paging stops
// before that id (it is not sent). Rows are deduplicated by id, as the
// logs' pagers do.
func (c *Client) DailyAggregatesForward(ctx context.Context, q DailyAggregatesQuery) iter.Seq2[[]DailyAggregate, error] {
	return usageForward(methodDailyAggregates, &q.UsageRange, func() ([]DailyAggregate, error) { return c.DailyAggregates(ctx, q) })
}

// DailyCountryAggregatesForward pages ai/GetDailyCountryAggregates, as
// DailyAggregatesForward.
func (c *Client) DailyCountryAggregatesForward(ctx context.Context, q DailyCountryAggregatesQuery) iter.Seq2[[]DailyCountryAggregate, error] {
	return usageForward(methodDailyCountryAggregates, &q.UsageRange, func() ([]DailyCountryAggregate, error) { return c.DailyCountryAggregates(ctx, q) })
}

// KeyUsageSummariesForward pages ai/GetKeyUsageSummaries, as
// DailyAggregatesForward.
func (c *Client) KeyUsageSummariesForward(ctx context.Context, q KeyUsageSummariesQuery) iter.Seq2[[]KeyUsageSummary, error] {
	return usageForward(methodKeyUsageSummaries, &q.UsageRange, func() ([]KeyUsageSummary, error) { return c.KeyUsageSummaries(ctx, q) })
}

// KeyDevicesForward pages ai/GetKeyDevices, as DailyAggregatesForward.
func (c *Client) KeyDevicesForward(ctx context.Context, q KeyDevicesQuery) iter.Seq2[[]KeyDevice, error] {
	return usageForward(methodKeyDevices, &q.UsageRange, func() ([]KeyDevice, error) { return c.KeyDevices(ctx, q) })
}

// LicenseActivityBucketsForward pages ai/GetLicenseActivityBuckets, as
// DailyAggregatesForward.
func (c *Client) LicenseActivityBucketsForward(ctx context.Context, q LicenseActivityBucketsQuery) iter.Seq2[[]LicenseActivityBucket, error] {
	return usageForward(methodActivityBuckets, &q.UsageRange, func() ([]LicenseActivityBucket, error) { return c.LicenseActivityBuckets(ctx, q) })
}

// usageForward runs the forward pager over a query whose range r the fetch
// function reads: it moves r.StartingAfter and keeps r.EndingBefore unsent.
func usageForward[T idRow](method string, r *UsageRange, fetch func() ([]T, error)) iter.Seq2[[]T, error] {
	if r.StartingAfter < 0 || r.EndingBefore < 0 {
		return fail[T](fmt.Errorf("cryptolens: %s: a cursor is negative (StartingAfter %d, EndingBefore %d): %w",
			method, r.StartingAfter, r.EndingBefore, ErrBadInput))
	}
	ceiling := r.EndingBefore
	r.EndingBefore = 0
	return forward(method, pageSize(r.Limit, MaxUsageLimit), r.StartingAfter, ceiling, func(after int64) ([]T, error) {
		r.StartingAfter = after
		return fetch()
	})
}
