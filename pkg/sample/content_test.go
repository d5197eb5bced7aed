package sample

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// TestContent checks what each Options.Content keeps, and that the server
// serves such an account: every method answers, with the rows kept.
func TestContent(t *testing.T) {
	full := smallAccount(t)
	tests := []struct {
		name    string
		content Content
		check   func(t *testing.T, a *Account)
	}{
		{"no rows", NoRows, func(t *testing.T, a *Account) {
			if len(a.WebAPI)+len(a.Events)+len(a.Objects) != 0 {
				t.Errorf("kept %d, %d, %d rows", len(a.WebAPI), len(a.Events), len(a.Objects))
			}
		}},
		{"only failures", OnlyFailures, func(t *testing.T, a *Account) {
			if len(a.WebAPI) == 0 || len(a.WebAPI) >= len(full.WebAPI) || len(a.Events) != 0 ||
				len(a.Objects) != len(full.Objects) {
				t.Errorf("kept %d of %d Web API rows, %d events, %d of %d objects",
					len(a.WebAPI), len(full.WebAPI), len(a.Events), len(a.Objects), len(full.Objects))
			}
			for _, r := range a.WebAPI {
				if r.State.Outcome() != cryptolens.OutcomeFailure {
					t.Fatalf("row %d has state %d, not a failure", r.ID, r.State)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Generate(Options{End: testEnd, WebAPIRows: 20_000, Seed: 7, Content: tt.content})
			if len(a.Licenses) != len(full.Licenses) {
				t.Errorf("%d licenses, want the full account's %d", len(a.Licenses), len(full.Licenses))
			}
			tt.check(t, a)
			ts := httptest.NewServer(NewServer(a, testToken))
			defer ts.Close()
			for _, m := range []string{"GetWebAPILog", "GetEvents", "GetObjectLog", "GetDailyAggregates",
				"GetDailyCountryAggregates", "GetKeyUsageSummaries", "GetKeyDevices", "GetLicenseActivityBuckets"} {
				okEnvelope(t, call(t, ts, http.MethodPost, m, withToken(url.Values{})))
			}
			if got := webRows(t, call(t, ts, http.MethodGet, "GetWebAPILog", withToken(url.Values{"limit": {"5"}}))); len(got) != min(5, len(a.WebAPI)) {
				t.Errorf("served %d rows, want %d", len(got), min(5, len(a.WebAPI)))
			}
		})
	}
}
