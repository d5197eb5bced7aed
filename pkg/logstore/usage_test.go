package logstore

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/sample"
)

// sameUsage fails unless the store holds exactly the server's tables.
func sameUsage(t *testing.T, got *Usage, want *sample.Usage) {
	t.Helper()
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"daily", got.Daily, want.Daily}, {"countries", got.Countries, want.Countries},
		{"summaries", got.Summaries, want.Summaries}, {"devices", got.Devices, want.Devices},
		{"buckets", got.Buckets, want.Buckets},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("stored %s differ from the server's", c.name)
		}
	}
}

func TestSyncUsage(t *testing.T) {
	_, srv, c := startSample(t, 8000)
	s := openTest(t)
	ctx := context.Background()
	res, err := s.SyncUsage(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.LoadUsage()
	if err != nil {
		t.Fatal(err)
	}
	sameUsage(t, u, srv.Usage())
	if len(u.Buckets) <= cryptolens.MaxUsageLimit || res[4].Requests < 2 {
		t.Fatalf("buckets %d in %d requests: paging not exercised", len(u.Buckets), res[4].Requests)
	}

	// Nothing new: one request per table, counted by the server too.
	before := srv.Requests()
	res, err = s.SyncUsage(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.Requests() - before; n != int64(len(AllUsageTables())) {
		t.Errorf("re-sync with nothing new made %d requests, want one per table (%v)", n, res)
	}
	for _, r := range res {
		if r.Requests != 1 {
			t.Errorf("%v", r)
		}
	}

	// New rows: the open day and the summaries are refreshed, closed days
	// kept as stored, and the store again equals the server.
	closedBefore := closedDaily(u)
	srv.AppendWebAPI(40)
	if _, err := s.SyncUsage(ctx, c); err != nil {
		t.Fatal(err)
	}
	u2, err := s.LoadUsage()
	if err != nil {
		t.Fatal(err)
	}
	sameUsage(t, u2, srv.Usage())
	for i, d := range closedBefore {
		if u2.Daily[i] != d {
			t.Fatalf("closed day changed: %+v -> %+v", d, u2.Daily[i])
		}
	}
	if len(u2.Daily) <= len(u.Daily) && reflect.DeepEqual(u2.Daily, u.Daily) {
		t.Error("the appended rows changed nothing")
	}
}

// closedDaily returns the daily rows before the newest day.
func closedDaily(u *Usage) []cryptolens.DailyAggregate {
	newest := u.Daily[len(u.Daily)-1].Date
	var out []cryptolens.DailyAggregate
	for _, d := range u.Daily {
		if d.Date < newest {
			out = append(out, d)
		}
	}
	return out
}

func TestSyncUsageWithoutPermission(t *testing.T) {
	_, srv, c := startSample(t, 4000)
	srv.AddLogOnlyToken("logs-only")
	s := openTest(t)
	if _, err := s.SyncUsage(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	stored, err := s.LoadUsage()
	if err != nil {
		t.Fatal(err)
	}
	lc := sampleClient(strings.TrimSuffix(c.BaseURL, "/api/"))
	lc.Token = "logs-only"
	_, err = s.SyncUsage(context.Background(), lc)
	if !errors.Is(err, cryptolens.ErrAccessDenied) || !strings.Contains(err.Error(), `"Usage Analytics" permission`) {
		t.Fatalf("err = %v, want an access denial naming the permission", err)
	}
	after, err := s.LoadUsage()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after, stored) {
		t.Error("a denied sync changed what was stored")
	}
}
