package preflight

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/sample"
)

// served starts the sample account's server for the token "full" and the
// Usage-Analytics-less token "logs".
func served(t *testing.T) string {
	t.Helper()
	srv := sample.NewServer(sample.Generate(sample.Options{End: time.Now(), WebAPIRows: 500}), "full")
	srv.AddLogOnlyToken("logs")
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return hs.URL + "/api/"
}

func TestCheck(t *testing.T) {
	url := served(t)
	quit := make(chan struct{})
	stall := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-quit // headers never sent
	}))
	defer stall.Close()
	defer close(quit)
	tests := []struct {
		name     string
		cfg      lenslog.Config
		stop     string // "" for none
		warnings int
		shows    []string
	}{
		{"sample", lenslog.Config{}, "", 0, []string{"the built-in sample account"}},
		{"every permission", lenslog.Config{Token: "full", TokenFrom: "$CRYPTOLENS_TOKEN", BaseURL: url}, "", 0,
			[]string{"account fingerprint", "token from $CRYPTOLENS_TOKEN", "ok   GetWebAPILog", "ok   GetEvents", "ok   GetObjectLog", "ok   GetDailyAggregates",
				"ok   GetProducts", "ok   GetKeys", "ok   GetCustomers"}},
		{"wrong token", lenslog.Config{Token: "wrong-secret", TokenFrom: "$CRYPTOLENS_TOKEN", BaseURL: url},
			"the access token from $CRYPTOLENS_TOKEN is not accepted by " + url, 0, []string{"FAIL GetWebAPILog"}},
		{"without Usage Analytics or the inventory", lenslog.Config{Token: "logs", BaseURL: url}, "", 4,
			[]string{"ok   GetWebAPILog", `warn GetDailyAggregates   the access token may not call GetDailyAggregates, so lenslog cannot read Usage Analytics (notebook 09): give the token the "Usage Analytics" permission (see the README's "Your own account" section)`}},
		{"credentials in the URL", lenslog.Config{Token: "full", BaseURL: strings.Replace(url, "http://", "http://user:pa55word@", 1)}, "", 0,
			[]string{"account: " + url}},
		{"a server that stalls", lenslog.Config{Token: "full", BaseURL: stall.URL + "/api/"}, "did not answer GetWebAPILog in time", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			r, err := Check(t.Context(), tt.cfg, 2*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("the check took %v, want it bounded by its 2s", took)
			}
			stop := r.Stop()
			if (stop == nil) != (tt.stop == "") || stop != nil && !strings.Contains(stop.Error(), tt.stop) {
				t.Errorf("Stop() = %v, want %q", stop, tt.stop)
			}
			if n := len(r.Warnings()); n != tt.warnings {
				t.Errorf("%d warnings %q, want %d", n, r.Warnings(), tt.warnings)
			}
			var out bytes.Buffer
			r.Write(&out)
			for _, s := range tt.shows {
				if !strings.Contains(out.String(), s) {
					t.Errorf("the check does not show %q:\n%s", s, &out)
				}
			}
			if s := out.String() + errText(stop); strings.Contains(s, "wrong-secret") || strings.Contains(s, "pa55word") {
				t.Errorf("a secret is shown:\n%s", s)
			}
		})
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestCheckLiveLike runs the check against the live-like server: a token
// granted only some methods, and a server without some methods.
func TestCheckLiveLike(t *testing.T) {
	tests := []struct {
		name     string
		live     sample.Live
		token    string
		stop     string
		warnings int
	}{
		{"a token for the Web API Log only", sample.Live{Tokens: map[string][]string{"web": {"GetWebAPILog"}}}, "web",
			`may not call GetEvents, so lenslog cannot read the Events Log: give the token the "Get Events" permission`, 0},
		{"a token for the logs", sample.Live{Tokens: map[string][]string{"logs": {"GetWebAPILog", "GetEvents", "GetObjectLog"}}}, "logs", "", 4},
		{"a token without the inventory", sample.Live{Tokens: map[string][]string{"logs": {"GetWebAPILog", "GetEvents", "GetObjectLog",
			sample.UsageAnalytics}}}, "logs", "", 3},
		{"a token with the licenses only", sample.Live{Tokens: map[string][]string{"logs": {"GetWebAPILog", "GetEvents", "GetObjectLog",
			sample.UsageAnalytics, "GetKeys"}}}, "logs", "", 2},
		{"a server without Usage Analytics", sample.Live{Missing: []string{sample.UsageAnalytics}}, "full", "", 1},
		{"a server without the Object Log", sample.Live{Missing: []string{"GetObjectLog"}}, "full", "GetObjectLog failed, so lenslog cannot read the Object Log", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := sample.NewServer(sample.Generate(sample.Options{End: time.Now(), WebAPIRows: 200}), "full")
			srv.SetLive(tt.live)
			hs := httptest.NewServer(srv)
			defer hs.Close()
			r, err := Check(t.Context(), lenslog.Config{Token: cryptolens.Token(tt.token), BaseURL: hs.URL + "/api/"}, 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			stop := r.Stop()
			if (stop == nil) != (tt.stop == "") || stop != nil && !strings.Contains(stop.Error(), tt.stop) {
				t.Errorf("Stop() = %v, want %q", stop, tt.stop)
			}
			if n := len(r.Warnings()); n != tt.warnings {
				t.Errorf("warnings %q, want %d", r.Warnings(), tt.warnings)
			}
		})
	}
}

func TestCheckAPIURLWithoutToken(t *testing.T) {
	_, err := Check(t.Context(), lenslog.Config{BaseURL: "http://u:secret@proxy/api/"}, time.Second)
	if err == nil || !strings.Contains(err.Error(), "no access token") || strings.Contains(err.Error(), "secret") {
		t.Errorf("err = %v, want it to say no token was found, without the URL's password", err)
	}
}

func TestStore(t *testing.T) {
	url := served(t)
	dir := t.TempDir() + "/store"
	cfg := lenslog.Config{Token: "full", BaseURL: url, StoreDir: dir, Note: io.Discard}
	st, err := Store(cfg)
	if err != nil || st.Exists || !strings.Contains(st.String(), "none yet") {
		t.Fatalf("before a sync: %v, %v", st, err)
	}
	acct, err := lenslog.OpenConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acct.WebAPI(lenslog.Last(2 * lenslog.Day)); err != nil {
		t.Fatal(err)
	}
	st, err = Store(cfg)
	if err != nil || !st.Exists || st.Damage != nil {
		t.Fatalf("after a sync: %+v, %v", st, err)
	}
	if s := st.String(); !strings.Contains(s, "webapi") || !strings.Contains(s, "last sync 20") || !strings.Contains(s, "every segment matches") {
		t.Errorf("store state:\n%s", s)
	}
}
