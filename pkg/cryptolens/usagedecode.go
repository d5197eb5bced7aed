package cryptolens

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// The Usage Analytics page specs; the row decoders are generated
// (rowdecode_gen.go) like the logs': unknown keys are skipped, keys match
// case-insensitively, null leaves a field zero, and errors name the row,
// field and byte offset. Times arrive as ISO-8601 text or unix seconds
// (timeInto), durations as seconds with or without a fraction
// (secondsInto).

var (
	dailyPages = pageSpec[DailyAggregate]{methodDailyAggregates, "aggregates", 200, decodeDailyAggregate,
		func(r *DailyAggregate) int64 { return r.ID }}
	countryPages = pageSpec[DailyCountryAggregate]{methodDailyCountryAggregates, "aggregates", 160, decodeDailyCountryAggregate,
		func(r *DailyCountryAggregate) int64 { return r.ID }}
	summaryPages = pageSpec[KeyUsageSummary]{methodKeyUsageSummaries, "summaries", 250, decodeKeyUsageSummary,
		func(r *KeyUsageSummary) int64 { return r.ID }}
	devicePages = pageSpec[KeyDevice]{methodKeyDevices, "devices", 250, decodeKeyDevice,
		func(r *KeyDevice) int64 { return r.ID }}
	bucketPages = pageSpec[LicenseActivityBucket]{methodActivityBuckets, "buckets", 330, decodeLicenseActivityBucket,
		func(r *LicenseActivityBucket) int64 { return r.ID }}
)

// DecodeDailyAggregatesPage decodes an ai/GetDailyAggregates response body,
// as DecodeWebAPILogPage does a log page.
func DecodeDailyAggregatesPage(body []byte) ([]DailyAggregate, error) {
	return dailyPages.checked(newDecoder(body, nil), nil)
}

// DecodeDailyCountryAggregatesPage decodes an ai/GetDailyCountryAggregates
// response body.
func DecodeDailyCountryAggregatesPage(body []byte) ([]DailyCountryAggregate, error) {
	return countryPages.checked(newDecoder(body, nil), nil)
}

// DecodeKeyUsageSummariesPage decodes an ai/GetKeyUsageSummaries response
// body.
func DecodeKeyUsageSummariesPage(body []byte) ([]KeyUsageSummary, error) {
	return summaryPages.checked(newDecoder(body, nil), nil)
}

// DecodeKeyDevicesPage decodes an ai/GetKeyDevices response body.
func DecodeKeyDevicesPage(body []byte) ([]KeyDevice, error) {
	return devicePages.checked(newDecoder(body, nil), nil)
}

// DecodeLicenseActivityBucketsPage decodes an ai/GetLicenseActivityBuckets
// response body.
func DecodeLicenseActivityBucketsPage(body []byte) ([]LicenseActivityBucket, error) {
	return bucketPages.checked(newDecoder(body, nil), nil)
}

// timeInto decodes a time into *p as unix seconds: a number (unix
// seconds) or an ISO-8601 string (see ParseUsageTime). null leaves *p as
// it is.
func (d *decoder) timeInto(p *int64) error {
	if d.pos >= len(d.buf) {
		return d.eofErr()
	}
	if d.buf[d.pos] != '"' {
		if c := d.buf[d.pos]; c != 'n' && c != '-' && (c < '0' || c > '9') {
			return d.typeErr("time (ISO-8601 string or unix seconds)")
		}
		return d.int64Into(p)
	}
	start := d.pos
	s, _, err := d.stringValue()
	if err != nil {
		return err
	}
	t, err := ParseUsageTime(s)
	if err != nil {
		return &scanError{off: start, msg: err.Error()}
	}
	*p = t
	return nil
}

// secondsInto decodes a duration in seconds, which may have a fraction
// (a .NET double), into whole seconds (rounded). null leaves *p as it is.
func (d *decoder) secondsInto(p *int64) error {
	if d.pos >= len(d.buf) {
		return d.eofErr()
	}
	c := d.buf[d.pos]
	if c == 'n' {
		return d.literal("null")
	}
	if c != '-' && (c < '0' || c > '9') {
		return d.typeErr("number")
	}
	start := d.pos
	if err := d.skipNumber(); err != nil {
		return err
	}
	text := string(d.buf[start:d.pos])
	if v, err := strconv.ParseInt(text, 10, 64); err == nil {
		*p = v
		return nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) || math.Abs(f) >= 1<<62 {
		return &scanError{off: start, msg: "number " + text + " is out of range for seconds"}
	}
	*p = int64(math.Round(f))
	return nil
}

// usageTimeLayouts are the ISO-8601 forms the Usage Analytics fields are
// read in: with a zone, without one (.NET's DateTime; taken as UTC), and a
// bare date.
var usageTimeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999", DateLayout}

// ParseUsageTime reads a Usage Analytics date or time as unix seconds: an
// ISO-8601 text such as "2026-05-01", "2026-05-01T10:30:00Z",
// "2026-05-01T10:30:00.1234567" (no zone: UTC) or "2026-05-01T12:30:00+02:00",
// or the decimal unix seconds some servers send as text. "" is 0.
func ParseUsageTime(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, nil
	}
	for _, layout := range usageTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Unix(), nil
		}
	}
	return 0, &timeError{text: s}
}

// timeError is a time that ParseUsageTime could not read.
type timeError struct{ text string }

func (e *timeError) Error() string {
	return "want an ISO-8601 time (yyyy-MM-dd or yyyy-MM-ddTHH:mm:ss[Z]) or unix seconds, got " + strconv.Quote(clip(e.text, 40))
}
