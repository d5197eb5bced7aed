package analysis

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/sample"
)

// sampleEnd fixes the sample account's last instant, so the account is the
// same on every run.
var sampleEnd = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

var sampleOnce = sync.OnceValues(func() (*sample.Account, *logs.WebAPI) {
	acct := sample.Generate(sample.Options{Seed: 42, End: sampleEnd})
	api := &logs.WebAPI{}
	api.Append(acct.WebAPI...)
	return acct, api
})

// sampleAccount returns the planted sample account and its Web API table.
func sampleAccount(t *testing.T) (*sample.Account, *logs.WebAPI) {
	t.Helper()
	return sampleOnce()
}

func TestSampleSuccessShare(t *testing.T) {
	_, api := sampleAccount(t)
	r := SuccessRatio(api)
	if s := r.Value(0); s < 0.85 || s > 0.90 {
		t.Errorf("success share %.3f, want 85-90%% (%+v)", s, r.OutcomeCounts)
	}
}

func TestSampleSharedKeyRanksFirst(t *testing.T) {
	acct, api := sampleAccount(t)
	s := KeySharing(api)
	if len(acct.Planted.SharedKeys) == 0 || s.Len() < 2 {
		t.Fatal("nothing planted or found")
	}
	if !slices.Contains(acct.Planted.SharedKeys, s.Rows[0].Key) {
		t.Errorf("top key %s (%s) is not a planted shared key %v", s.Rows[0].Key, s.Rows[0].Reason, acct.Planted.SharedKeys)
	}
	for _, k := range acct.Planted.SharedKeys {
		if i := slices.IndexFunc(s.Rows, func(r KeyShare) bool { return r.Key == k }); i < 0 || i >= len(acct.Planted.SharedKeys)+1 {
			t.Errorf("shared key %s ranks %d", k, i+1)
		}
	}
}

func TestSampleBurstFound(t *testing.T) {
	acct, api := sampleAccount(t)
	p := acct.Planted
	res, err := FailureBursts(api, BurstOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Len() == 0 || res.Rows[0].Key != p.BurstKey {
		t.Fatalf("the largest burst is not the planted one on %s: %+v", p.BurstKey, res.Rows[:min(3, res.Len())])
	}
	found := 0
	for _, b := range res.Rows {
		if b.Key != p.BurstKey || !b.End.After(p.BurstStart) || !b.Start.Before(p.BurstEnd) {
			continue
		}
		found += b.Failures
		if b.TopState != p.BurstState {
			t.Errorf("burst %v..%v top state %v, want %v", b.Start, b.End, b.TopState, p.BurstState)
		}
	}
	if found < p.BurstFailures*9/10 {
		t.Errorf("bursts inside the planted window have %d failures, want about %d", found, p.BurstFailures)
	}
}

func TestSampleSilentKeysInactive(t *testing.T) {
	acct, api := sampleAccount(t)
	inactive, err := InactiveLicenses(api, acct.Now, 30)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range inactive.Rows {
		keys = append(keys, r.Key)
	}
	for _, k := range acct.Planted.SilentKeys {
		if !slices.Contains(keys, k) {
			t.Errorf("silent key %s not found inactive", k)
		}
	}
}

func TestSampleBurstSeatAudit(t *testing.T) {
	acct, api := sampleAccount(t)
	p := acct.Planted
	lic, ok := acct.License(p.BurstKey)
	if !ok {
		t.Fatalf("no license %s", p.BurstKey)
	}
	rep, err := SeatAudit(during(api, logs.Window{From: p.BurstStart, To: p.BurstEnd.Add(time.Second)}), p.BurstKey, lic.MaxNoOfMachines)
	if err != nil {
		t.Fatal(err)
	}
	if rep.DeviceLimit != p.BurstFailures {
		t.Errorf("device limit reached %d times in the burst window, planted %d", rep.DeviceLimit, p.BurstFailures)
	}
	for _, e := range rep.Events {
		if e.FreeSeats < -lic.MaxOverdraft {
			t.Errorf("free seats %d below the overdraft allowance at %v", e.FreeSeats, e.Time)
		}
	}
}
