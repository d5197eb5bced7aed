package logstore

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
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
	// The same account with a token lacking the permission: rebound first,
	// as the store's account binding asks.
	if err := s.Rebind(context.Background(), lc); err != nil {
		t.Fatal(err)
	}
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

// TestSyncUsageBindsTheAccount checks that the Usage Analytics tables obey
// the store's account binding as the logs do: a first sync of only the
// usage tables records the account, a sync with another token stops with
// an *AccountError before writing anything, and a load for another
// account is refused.
func TestSyncUsageBindsTheAccount(t *testing.T) {
	_, srv, c := startSample(t, 3000)
	srv.AddLogOnlyToken("other-token") // accepted by the server, but another account to the store
	s := openTest(t)
	ctx := context.Background()
	if _, err := s.SyncUsage(ctx, c); err != nil {
		t.Fatal(err)
	}
	if rec, err := s.recorded(); err != nil || !rec {
		t.Fatalf("a first sync of the usage tables recorded no account (%v)", err)
	}
	stored, err := s.LoadUsage()
	if err != nil {
		t.Fatal(err)
	}
	other := sampleClient(strings.TrimSuffix(c.BaseURL, "/api/"))
	other.Token = "other-token"
	before := srv.Requests()
	var ae *AccountError
	if _, err := s.SyncUsage(ctx, other); !errors.As(err, &ae) {
		t.Fatalf("sync with another token: %v, want an *AccountError", err)
	}
	if n := srv.Requests() - before; n != 0 {
		t.Errorf("the refused sync made %d requests", n)
	}
	if after, err := s.LoadUsage(); err != nil || !reflect.DeepEqual(after, stored) {
		t.Errorf("the refused sync changed what was stored (%v)", err)
	}
	forOther, err := OpenFor(s.Dir(), other)
	if err == nil {
		_, err = forOther.LoadUsage()
	}
	if !errors.Is(err, ErrOtherAccount) {
		t.Errorf("open and load for another account: %v, want ErrOtherAccount", err)
	}
	// A load through a store opened for the account passes.
	forC, err := OpenFor(s.Dir(), c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := forC.LoadUsage(); err != nil {
		t.Errorf("load for the bound account: %v", err)
	}
	// Once the store is rebound to the other token, the first is refused.
	if err := s.Rebind(ctx, other); err != nil {
		t.Fatal(err)
	}
	if _, err := forC.LoadUsage(); !errors.Is(err, ErrOtherAccount) {
		t.Errorf("load for the first account after a rebind: %v, want ErrOtherAccount", err)
	}
}

// TestSyncUsageProgress checks that a usage sync reports every table's
// pages and ends each with a Done snapshot of what it fetched.
func TestSyncUsageProgress(t *testing.T) {
	_, _, c := startSample(t, 3000)
	s := openTest(t)
	done := map[string]logs.Progress{}
	pages := 0
	res, err := s.SyncUsageWith(context.Background(), c, UsageSyncOptions{Progress: func(p logs.Progress) {
		if p.Done {
			done[p.Log] = p
		} else {
			pages++
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if pages < len(AllUsageTables()) {
		t.Errorf("%d page snapshots, want one per table at least", pages)
	}
	for _, r := range res {
		p, ok := done[string(r.Table)]
		if !ok || p.Rows != r.Fetched || int64(p.Requests) != r.Requests {
			t.Errorf("%s: done snapshot %+v (present %v), result %v", r.Table, p, ok, r)
		}
	}
}
