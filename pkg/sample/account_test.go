package sample

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// testEnd is the fixed end of the test accounts.
var testEnd = time.Date(2026, 11, 25, 17, 30, 0, 0, time.UTC)

var (
	defaultOnce sync.Once
	defaultAcc  *Account
	smallOnce   sync.Once
	smallAcc    *Account
)

// defaultAccount returns the default-sized account (generated once).
func defaultAccount(t testing.TB) *Account {
	t.Helper()
	defaultOnce.Do(func() { defaultAcc = Generate(Options{End: testEnd}) })
	return defaultAcc
}

// smallAccount returns a small account for server tests (generated once).
func smallAccount(t testing.TB) *Account {
	t.Helper()
	smallOnce.Do(func() { smallAcc = Generate(Options{End: testEnd, WebAPIRows: 20_000, Seed: 7}) })
	return smallAcc
}

func TestGenerateIsDeterministic(t *testing.T) {
	opt := Options{End: testEnd, WebAPIRows: 20_000, Seed: 42}
	a, b := Generate(opt), Generate(opt)
	for _, c := range []struct {
		name string
		x, y any
	}{
		{"WebAPI", a.WebAPI, b.WebAPI},
		{"Events", a.Events, b.Events},
		{"Objects", a.Objects, b.Objects},
		{"Licenses", a.Licenses, b.Licenses},
		{"Planted", a.Planted, b.Planted},
	} {
		if !reflect.DeepEqual(c.x, c.y) {
			t.Errorf("%s differ between two runs with the same options", c.name)
		}
	}
	other := Generate(Options{End: testEnd, WebAPIRows: 20_000, Seed: 43})
	if reflect.DeepEqual(a.WebAPI, other.WebAPI) {
		t.Error("seeds 42 and 43 gave the same Web API Log")
	}
}

func TestGenerateDefaults(t *testing.T) {
	a := defaultAccount(t)
	if !a.Now.Equal(testEnd) {
		t.Errorf("Now = %v, want %v", a.Now, testEnd)
	}
	if n := len(a.WebAPI); n < 90_000 || n > 110_000 {
		t.Errorf("default account has %d Web API rows, want about 100 000", n)
	}
	if n := len(a.Licenses); n < 200 || n > 999 {
		t.Errorf("%d licenses, want hundreds", n)
	}
	if len(a.Products) != 4 {
		t.Errorf("%d products, want 4", len(a.Products))
	}
	first := time.Unix(a.WebAPI[0].Time, 0)
	if span := testEnd.Sub(first); span < 119*24*time.Hour || span > 120*24*time.Hour {
		t.Errorf("history spans %v, want 120 days", span)
	}
	z := Generate(Options{WebAPIRows: 2000})
	if d := time.Since(z.Now); d < 0 || d > time.Minute {
		t.Errorf("zero End: Now = %v, want about now", z.Now)
	}
}

func TestGenerateScales(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a million rows")
	}
	a := Generate(Options{End: testEnd, WebAPIRows: 1_000_000})
	if n := len(a.WebAPI); n < 900_000 || n > 1_100_000 {
		t.Errorf("asked for 1M rows, got %d", n)
	}
	checkOrder(t, a)
}

// checkOrder checks that ids increase and times never go back, except
// on the rows planted out of time order.
func checkOrder(t *testing.T, a *Account) {
	t.Helper()
	for i := 1; i < len(a.WebAPI); i++ {
		p, r := a.WebAPI[i-1], a.WebAPI[i]
		skewed := slices.Contains(a.Planted.OutOfOrderIDs, r.ID)
		if r.ID <= p.ID || r.Time < p.Time && !skewed {
			t.Fatalf("Web API row %d (id %d, time %d) after id %d, time %d", i, r.ID, r.Time, p.ID, p.Time)
		}
	}
	for i := 1; i < len(a.Events); i++ {
		if p, e := a.Events[i-1], a.Events[i]; e.ID <= p.ID || e.Time < p.Time {
			t.Fatalf("event %d out of order", i)
		}
	}
	for i := 1; i < len(a.Objects); i++ {
		if p, o := a.Objects[i-1], a.Objects[i]; o.ID <= p.ID || o.Created < p.Created {
			t.Fatalf("object log entry %d out of order", i)
		}
	}
}

var (
	keyRE     = regexp.MustCompile(`^[A-Z]{5}-[A-Z]{5}-[A-Z]{5}-[A-Z]{5}$`)
	machineRE = regexp.MustCompile(`^[0-9a-f]{64}$`)
	ipRE      = regexp.MustCompile(`^\d{1,3}\.\d{1,3}\.\d{1,3}\.0$`)
)

func TestWebAPIRowsLookReal(t *testing.T) {
	a := defaultAccount(t)
	checkOrder(t, a)
	from := testEnd.AddDate(0, 0, -120).Unix()
	for i, r := range a.WebAPI {
		_, known := a.License(r.Key)
		switch {
		case r.Time < from || r.Time > testEnd.Unix():
			t.Fatalf("row %d at %d is outside the history", i, r.Time)
		case !keyRE.MatchString(r.Key) || !known:
			t.Fatalf("row %d: key %q is not one of the account's keys", i, r.Key)
		case !ipRE.MatchString(r.IP):
			t.Fatalf("row %d: IP %q is not anonymized", i, r.IP)
		case r.MachineCode != "" && !machineRE.MatchString(r.MachineCode):
			t.Fatalf("row %d: machine code %q", i, r.MachineCode)
		case r.State == 3010 && (r.MachineCode != "" || r.FriendlyName != ""):
			t.Fatalf("row %d: key creation names a machine", i)
		case r.State.Group() == cryptolens.GroupDataObject && (r.DOID == 0 || r.DOIntValue <= 0):
			t.Fatalf("row %d: data-object row without doId/doIntValue", i)
		case (r.State == 2014 || r.State == 2015) != (r.FloatingExpires > r.Time):
			t.Fatalf("row %d: state %d with floatingExpires %d", i, r.State, r.FloatingExpires)
		}
	}
}

func TestStatesPresent(t *testing.T) {
	counts := map[cryptolens.State]int{}
	for _, r := range defaultAccount(t).WebAPI {
		counts[r.State]++
	}
	for _, st := range []cryptolens.State{1010, 1020, 2010, 2011, 2012, 2013, 2014, 2015, 2020, 2021,
		2022, 2023, 2024, 3010, 4010, 4020, 6010, 6011, 6020, 7010, 7020, 8010, 8020} {
		if counts[st] == 0 {
			t.Errorf("no rows with state %d", st)
		}
	}
	if counts[1010]+counts[1020] > len(defaultAccount(t).WebAPI)/50 {
		t.Errorf("validation rows are not sparse: %d", counts[1010]+counts[1020])
	}
}

func TestSuccessShare(t *testing.T) {
	for _, opt := range []Options{{End: testEnd}, {End: testEnd, Seed: 5, WebAPIRows: 150_000}} {
		a := defaultAccount(t)
		if opt.Seed != 0 {
			a = Generate(opt)
		}
		ok := 0
		for _, r := range a.WebAPI {
			if r.State.Outcome() == cryptolens.OutcomeSuccess {
				ok++
			}
		}
		if share := float64(ok) / float64(len(a.WebAPI)); share < 0.85 || share > 0.90 {
			t.Errorf("seed %d: success share %.3f, want 0.85..0.90", opt.Seed, share)
		}
	}
}

func TestRhythm(t *testing.T) {
	a := defaultAccount(t)
	var weekday, weekend, work, night int
	for _, r := range a.WebAPI {
		tm := time.Unix(r.Time, 0).UTC()
		if d := tm.Weekday(); d == time.Saturday || d == time.Sunday {
			weekend++
		} else {
			weekday++
		}
		// Most customers sit in Europe (UTC+0..2).
		if h := tm.Hour(); h >= 8 && h < 16 {
			work++
		} else if h < 4 {
			night++
		}
	}
	if perWeekday, perWeekendDay := float64(weekday)/5, float64(weekend)/2; perWeekday < 2*perWeekendDay {
		t.Errorf("a weekday has %.0f rows, a weekend day %.0f: want weekdays at least twice as busy", perWeekday, perWeekendDay)
	}
	if work/8 < 2*night/4 {
		t.Errorf("an hour of 08-16 UTC has %d rows, an hour of 00-04 %d: want work hours busier", work/8, night/4)
	}
}

func TestFloatingSeatsAddUp(t *testing.T) {
	a := defaultAccount(t)
	type seats map[string]int64 // machine code -> expiry
	inUse := map[string]seats{}
	overdrafts := map[string]int{}
	for _, r := range a.WebAPI {
		l, _ := a.License(r.Key)
		if !l.Floating {
			continue
		}
		s := inUse[r.Key]
		if s == nil {
			s = seats{}
			inUse[r.Key] = s
		}
		for m, exp := range s {
			if exp <= r.Time {
				delete(s, m)
			}
		}
		_, held := s[r.MachineCode]
		switch r.State {
		case 2014:
			if !held && len(s) >= l.MaxNoOfMachines {
				t.Fatalf("%s at %d: 2014 for a new machine with %d of %d seats taken", r.Key, r.Time, len(s), l.MaxNoOfMachines)
			}
			s[r.MachineCode] = r.FloatingExpires
		case 2015:
			if !held && len(s) < l.MaxNoOfMachines || len(s) >= l.MaxNoOfMachines+l.MaxOverdraft && !held {
				t.Fatalf("%s at %d: 2015 with %d of %d+%d seats taken", r.Key, r.Time, len(s), l.MaxNoOfMachines, l.MaxOverdraft)
			}
			s[r.MachineCode] = r.FloatingExpires
			overdrafts[r.Key]++
		case 2024:
			if len(s) < l.MaxNoOfMachines+l.MaxOverdraft {
				t.Fatalf("%s at %d: 2024 with only %d of %d+%d seats taken", r.Key, r.Time, len(s), l.MaxNoOfMachines, l.MaxOverdraft)
			}
		case 6011:
			delete(s, r.MachineCode)
		}
		if len(s) > l.MaxNoOfMachines+l.MaxOverdraft {
			t.Fatalf("%s at %d: %d seats in use, limit %d+%d", r.Key, r.Time, len(s), l.MaxNoOfMachines, l.MaxOverdraft)
		}
	}
	for k := range overdrafts {
		if l, _ := a.License(k); l.MaxOverdraft == 0 {
			t.Errorf("%s has overdrafts but allows none", k)
		}
	}
}

func TestPlantedFacts(t *testing.T) {
	a := defaultAccount(t)
	p := a.Planted
	machines, ips := map[string]map[string]bool{}, map[string]map[string]bool{}
	for _, r := range a.WebAPI {
		if machines[r.Key] == nil {
			machines[r.Key], ips[r.Key] = map[string]bool{}, map[string]bool{}
		}
		if r.MachineCode != "" {
			machines[r.Key][r.MachineCode] = true
		}
		ips[r.Key][r.IP] = true
	}
	t.Run("shared keys", func(t *testing.T) {
		if len(p.SharedKeys) != 2 {
			t.Fatalf("SharedKeys = %v", p.SharedKeys)
		}
		maxOtherIPs := 0
		for k, set := range ips {
			if !slices.Contains(p.SharedKeys, k) {
				maxOtherIPs = max(maxOtherIPs, len(set))
			}
		}
		for _, k := range p.SharedKeys {
			if len(machines[k]) < 15 || len(ips[k]) <= 2*maxOtherIPs {
				t.Errorf("%s: %d machines, %d IPs (other keys at most %d IPs)", k, len(machines[k]), len(ips[k]), maxOtherIPs)
			}
		}
	})
	t.Run("burst", func(t *testing.T) {
		in, out := 0, 0
		for _, r := range a.WebAPI {
			if r.Key != p.BurstKey || r.State != p.BurstState {
				continue
			}
			if !r.RowTime().Before(p.BurstStart) && !r.RowTime().After(p.BurstEnd) {
				in++
			} else {
				out++
			}
		}
		if in != p.BurstFailures || in < 24 || p.BurstEnd.Sub(p.BurstStart) > time.Hour {
			t.Errorf("burst: %d failures in %v (Planted says %d)", in, p.BurstEnd.Sub(p.BurstStart), p.BurstFailures)
		}
		if out > in/10 {
			t.Errorf("burst key has %d %d rows outside the burst: not far above its baseline", out, p.BurstState)
		}
		if l, _ := a.License(p.BurstKey); !l.Floating {
			t.Error("burst key is not floating")
		}
	})
	t.Run("silent keys", func(t *testing.T) {
		if len(p.SilentKeys) != 3 {
			t.Fatalf("SilentKeys = %v", p.SilentKeys)
		}
		for _, k := range p.SilentKeys {
			last := a.LastActivity(k)
			if idle := testEnd.Sub(last); idle < 30*24*time.Hour || idle > 60*24*time.Hour {
				t.Errorf("%s: last activity %v, %v before the end", k, last, idle)
			}
			if a.Requests(k) < 10 {
				t.Errorf("%s: only %d rows before going silent", k, a.Requests(k))
			}
		}
	})
	t.Run("overdraft and blocked", func(t *testing.T) {
		got := map[string]bool{}
		blockedFailures := 0
		for _, r := range a.WebAPI {
			if r.State == 2015 {
				got[r.Key] = true
			}
			if r.Key == p.BlockedKey && r.State == 2021 && !r.RowTime().Before(p.BlockedAt) {
				blockedFailures++
			}
		}
		for _, k := range p.OverdraftKeys {
			if !got[k] {
				t.Errorf("overdraft key %s has no 2015", k)
			}
		}
		if blockedFailures == 0 {
			t.Errorf("blocked key %s has no 2021 after %v", p.BlockedKey, p.BlockedAt)
		}
	})
}

func TestEventsLookReal(t *testing.T) {
	a := defaultAccount(t)
	if len(a.Events) < 5000 {
		t.Fatalf("only %d events", len(a.Events))
	}
	from := testEnd.AddDate(0, 0, -45).Unix()
	kinds := map[string]int{}
	for i, e := range a.Events {
		switch {
		case e.Time < from || e.Time > testEnd.Unix():
			t.Fatalf("event %d at %d is outside the last 45 days", i, e.Time)
		case e.Value != 0 && !slices.Contains([]string{"USD", "EUR", "SEK"}, e.Currency):
			t.Fatalf("event %d: value %d in %q", i, e.Value, e.Currency)
		case e.Metadata != "" && !json.Valid([]byte(e.Metadata)):
			t.Fatalf("event %d: metadata %q is not JSON", i, e.Metadata)
		}
		kinds[e.FeatureName]++
	}
	for _, k := range []string{"Export", "Application", "Purchase"} {
		if kinds[k] == 0 {
			t.Errorf("no %q events", k)
		}
	}
}

func TestObjectLogLooksReal(t *testing.T) {
	a := defaultAccount(t)
	actions := map[cryptolens.ResourceAction]int{}
	for i, o := range a.Objects {
		actions[o.ResourceAction]++
		if !slices.Contains(objectUsers, o.PerformedByUserID) || o.ObjectOwnerUserID != OwnerUserID {
			t.Fatalf("entry %d: performed by %q, owner %d", i, o.PerformedByUserID, o.ObjectOwnerUserID)
		}
		var data map[string]json.RawMessage
		if err := json.Unmarshal([]byte(o.Data), &data); err != nil || len(data) == 0 {
			t.Fatalf("entry %d: data %q is not a JSON object", i, o.Data)
		}
		if o.ResourceAction != cryptolens.ActionUpdated {
			continue
		}
		for field, v := range data {
			var pair []any
			if err := json.Unmarshal(v, &pair); err != nil || len(pair) != 2 {
				t.Fatalf("entry %d: %s = %s, want [old, new]", i, field, v)
			}
		}
	}
	for _, act := range []cryptolens.ResourceAction{cryptolens.ActionAdded, cryptolens.ActionUpdated, cryptolens.ActionDeleted} {
		if actions[act] == 0 {
			t.Errorf("no %v entries", act)
		}
	}
}

func TestFloatingKeys(t *testing.T) {
	a := defaultAccount(t)
	keys := a.FloatingKeys()
	if len(keys) < 5 {
		t.Fatalf("%d floating keys", len(keys))
	}
	for i, l := range keys {
		if !l.Floating || l.FloatingInterval <= 0 {
			t.Errorf("FloatingKeys()[%d] = %+v", i, l)
		}
		if i > 0 && a.Requests(l.Key) > a.Requests(keys[i-1].Key) {
			t.Errorf("FloatingKeys not busiest first at %d", i)
		}
	}
	if !reflect.DeepEqual(keys, a.FloatingKeys()) {
		t.Error("FloatingKeys differs between calls")
	}
	for _, l := range a.NodeLockedKeys() {
		if l.Floating {
			t.Errorf("NodeLockedKeys lists floating %s", l.Key)
		}
	}
	if _, ok := a.License("NOPEE-NOPEE-NOPEE-NOPEE"); ok {
		t.Error("License found a key that does not exist")
	}
	if p, ok := a.Product(3349); !ok || p.Name == "" {
		t.Errorf("Product(3349) = %v, %v", p, ok)
	}
}
