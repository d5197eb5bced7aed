package cryptolens

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"testing"
)

// The Usage Analytics decoders are fuzzed as the logs' are: they never
// panic, and whenever encoding/json accepts a body into mirror structs
// (whose time fields take ISO-8601 text or unix seconds, and whose gap
// takes a fractional number), both agree.

// jsTime is a time field as encoding/json would read it with the
// documented rule: a number of unix seconds, or text ParseUsageTime reads.
type jsTime int64

func (t *jsTime) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if b[0] != '"' {
		return json.Unmarshal(b, (*int64)(t))
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseUsageTime(s)
	*t = jsTime(v)
	return err
}

// jsSeconds is a number of seconds, maybe fractional, rounded.
type jsSeconds int64

func (s *jsSeconds) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if b[0] == '"' {
		return errors.New("string")
	}
	if v, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		*s = jsSeconds(v)
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	if math.Abs(f) >= 1<<62 {
		return errors.New("range")
	}
	*s = jsSeconds(math.Round(f))
	return nil
}

type jsDaily struct {
	ID, ProductID                     int64
	Date                              jsTime
	TotalRequestsLogged, Successful   int64
	Failed, ActiveDevices, ActiveKeys int64
	ActiveCustomers                   int64
}

type jsSummary struct {
	ID                                          int64
	ProductID                                   int
	KeyID                                       int64
	Key                                         string
	TotalRequests, TotalSuccessful, TotalFailed int64
	FirstSeenUtc, LastSeenUtc                   jsTime
	ActivationsSucceeded                        int64
}

type jsBucket struct {
	ID                              int64
	ProductID                       int
	KeyID                           int64
	Key, MachineCode                string
	BucketStartUtc                  jsTime
	RefreshCount, DeactivationCount int64
	FirstEventUtc, LastEventUtc     jsTime
	LastEventState                  State
	GapFromPreviousEventSeconds     jsSeconds
}

var usageFuzzSeeds = []string{
	`{"result":0,"message":null,"aggregates":[{"id":1,"productId":3,"date":"2026-05-01T00:00:00","totalRequestsLogged":10,"successful":8,"failed":2,"activeDevices":4,"activeKeys":3,"activeCustomers":2}]}`,
	`{"result":0,"aggregates":[null,{"ID":2,"DATE":1777593600,"x":{"y":[1,2.5e3,true]}}]}`,
	`{"result":1,"message":"Access denied"}`,
	`{"result":0,"summaries":[{"id":1,"keyId":3,"key":"\u00e9","firstSeenUtc":"2026-05-01T00:00:00Z","lastSeenUtc":1777600800}]}`,
	`{"result":0,"summaries":[{"id":1,"firstSeenUtc":"2026-05-01T02:00:00+02:00","lastSeenUtc":"1777593600"}]}`,
	`{"result":0,"buckets":[{"id":1,"bucketStartUtc":"2026-05-01T00:30:00.0000000","lastEventState":2015,"gapFromPreviousEventSeconds":900.6}]}`,
	`{"result":0,"buckets":[{"id":1,"gapFromPreviousEventSeconds":-1e2,"firstEventUtc":null}]}`,
	`null`,
}

func FuzzDecodeDailyAggregatesPage(f *testing.F) {
	for _, s := range usageFuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		env, got, err := dailyPages.decode(newDecoder(body, nil), nil)
		var want struct {
			Result     int
			Message    string
			Aggregates []*jsDaily
		}
		compareWithJSON(t, body, "aggregates", err, json.Unmarshal(body, &want))
		compareEnvelope(t, env, want.Result, want.Message)
		var conv []DailyAggregate
		for _, r := range want.Aggregates {
			if r == nil {
				r = &jsDaily{}
			}
			if r.ProductID != int64(int(r.ProductID)) {
				t.SkipNow()
			}
			conv = append(conv, DailyAggregate{r.ID, int(r.ProductID), int64(r.Date), r.TotalRequestsLogged,
				r.Successful, r.Failed, r.ActiveDevices, r.ActiveKeys, r.ActiveCustomers})
		}
		compareRows(t, got, conv)
	})
}

func FuzzDecodeKeyUsageSummariesPage(f *testing.F) {
	for _, s := range usageFuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		env, got, err := summaryPages.decode(newDecoder(body, nil), nil)
		var want struct {
			Result    int
			Message   string
			Summaries []*jsSummary
		}
		compareWithJSON(t, body, "summaries", err, json.Unmarshal(body, &want))
		compareEnvelope(t, env, want.Result, want.Message)
		var conv []KeyUsageSummary
		for _, r := range want.Summaries {
			if r == nil {
				r = &jsSummary{}
			}
			conv = append(conv, KeyUsageSummary{ID: r.ID, ProductID: r.ProductID, KeyID: r.KeyID, Key: r.Key,
				TotalRequests: r.TotalRequests, TotalSuccessful: r.TotalSuccessful, TotalFailed: r.TotalFailed,
				FirstSeenUtc: int64(r.FirstSeenUtc), LastSeenUtc: int64(r.LastSeenUtc), ActivationsSucceeded: r.ActivationsSucceeded})
		}
		compareRows(t, got, conv)
	})
}

func FuzzDecodeLicenseActivityBucketsPage(f *testing.F) {
	for _, s := range usageFuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		env, got, err := bucketPages.decode(newDecoder(body, nil), nil)
		var want struct {
			Result  int
			Message string
			Buckets []*jsBucket
		}
		compareWithJSON(t, body, "buckets", err, json.Unmarshal(body, &want))
		compareEnvelope(t, env, want.Result, want.Message)
		var conv []LicenseActivityBucket
		for _, r := range want.Buckets {
			if r == nil {
				r = &jsBucket{}
			}
			conv = append(conv, LicenseActivityBucket{r.ID, r.ProductID, r.KeyID, r.Key, r.MachineCode,
				int64(r.BucketStartUtc), r.RefreshCount, r.DeactivationCount, int64(r.FirstEventUtc),
				int64(r.LastEventUtc), r.LastEventState, int64(r.GapFromPreviousEventSeconds)})
		}
		compareRows(t, got, conv)
	})
}

type jsCountry struct {
	ID                                int64
	ProductID                         int
	Date                              jsTime
	CountryCode                       string
	TotalRequests, Successful, Failed int64
}

type jsDevice struct {
	ID                        int64
	ProductID                 int
	KeyID                     int64
	Key, MachineCode          string
	FirstSeenUtc, LastSeenUtc jsTime
	TotalRequests             int64
}

func FuzzDecodeDailyCountryAggregatesPage(f *testing.F) {
	for _, s := range usageFuzzSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"result":0,"aggregates":[{"id":5,"countryCode":"SE","date":"2026-05-01","totalRequests":7}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		env, got, err := countryPages.decode(newDecoder(body, nil), nil)
		var want struct {
			Result     int
			Message    string
			Aggregates []*jsCountry
		}
		compareWithJSON(t, body, "aggregates", err, json.Unmarshal(body, &want))
		compareEnvelope(t, env, want.Result, want.Message)
		var conv []DailyCountryAggregate
		for _, r := range want.Aggregates {
			if r == nil {
				r = &jsCountry{}
			}
			conv = append(conv, DailyCountryAggregate{r.ID, r.ProductID, int64(r.Date), r.CountryCode,
				r.TotalRequests, r.Successful, r.Failed})
		}
		compareRows(t, got, conv)
	})
}

func FuzzDecodeKeyDevicesPage(f *testing.F) {
	for _, s := range usageFuzzSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"result":0,"devices":[{"id":1,"machineCode":"m","firstSeenUtc":"2026-05-01T00:00:00","lastSeenUtc":1777600800}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		env, got, err := devicePages.decode(newDecoder(body, nil), nil)
		var want struct {
			Result  int
			Message string
			Devices []*jsDevice
		}
		compareWithJSON(t, body, "devices", err, json.Unmarshal(body, &want))
		compareEnvelope(t, env, want.Result, want.Message)
		var conv []KeyDevice
		for _, r := range want.Devices {
			if r == nil {
				r = &jsDevice{}
			}
			conv = append(conv, KeyDevice{r.ID, r.ProductID, r.KeyID, r.Key, r.MachineCode,
				int64(r.FirstSeenUtc), int64(r.LastSeenUtc), r.TotalRequests})
		}
		compareRows(t, got, conv)
	})
}
