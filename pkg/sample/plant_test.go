package sample

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

func TestPlantedStory(t *testing.T) {
	a := defaultAccount(t)
	p := a.Planted
	t.Run("blocked key in the object log", func(t *testing.T) {
		if p.BlockedKeyCreated.Before(testEnd.AddDate(0, 0, -objectDays)) || !p.BlockedKeyCreated.Before(p.BlockedAt) {
			t.Fatalf("blocked key created %v, blocked %v: want both inside the Object Log's %d days", p.BlockedKeyCreated, p.BlockedAt, objectDays)
		}
		var added, block bool
		for _, e := range a.Objects {
			if e.AffectedObjectID != p.BlockedKeyObjectID || e.ResourceType != cryptolens.ResourceLicenseKey {
				continue
			}
			var copyOf struct{ Key string }
			if e.ResourceAction == cryptolens.ActionAdded && json.Unmarshal([]byte(e.Data), &copyOf) == nil && copyOf.Key == p.BlockedKey {
				added = true
			}
			if e.ID == p.BlockEntry && strings.Contains(e.Data, `"Block":[false,true]`) && e.Created >= p.BlockedAt.Unix() {
				block = true
			}
		}
		if !added || !block {
			t.Errorf("object %d: Added copy naming %s %v, block entry %d %v", p.BlockedKeyObjectID, p.BlockedKey, added, p.BlockEntry, block)
		}
		if n := failuresOf(a, func(r cryptolens.WebAPILogRow) bool { return r.Key == p.BlockedKey && r.RowTime().Before(p.BlockedAt) }); n.failed > n.total/5 {
			t.Errorf("the blocked key failed %d of %d times before the block", n.failed, n.total)
		}
	})
	t.Run("product change", func(t *testing.T) {
		if p.ProductChangeEntry == 0 || p.ProductRevertEntry == 0 || !p.ProductChangeAt.Before(p.ProductRevertAt) {
			t.Fatalf("product change %+v", p)
		}
		span := p.ProductRevertAt.Sub(p.ProductChangeAt)
		in := func(from time.Time) func(r cryptolens.WebAPILogRow) bool {
			return func(r cryptolens.WebAPILogRow) bool {
				return r.ProductID == p.ProductChangeID && r.State.Group() == cryptolens.GroupActivation &&
					!r.RowTime().Before(from) && r.RowTime().Before(from.Add(span))
			}
		}
		before, during := failuresOf(a, in(p.ProductChangeAt.Add(-span))), failuresOf(a, in(p.ProductChangeAt))
		if during.rate() < before.rate()+0.12 {
			t.Errorf("product %d activations failed %.1f%% before the change and %.1f%% after", p.ProductChangeID, 100*before.rate(), 100*during.rate())
		}
		other := func(from time.Time) counts { // 2020, the failure the change causes
			c := failuresOf(a, in(from))
			c.failed = failuresOf(a, func(r cryptolens.WebAPILogRow) bool { return in(from)(r) && r.State == 2020 }).total
			return c
		}
		if b, d := other(p.ProductChangeAt.Add(-span)), other(p.ProductChangeAt); b.rate() > 0.05 || d.rate() < 0.2 {
			t.Errorf("2020 was %.1f%% of activations before the change, %.1f%% after", 100*b.rate(), 100*d.rate())
		}
		for _, e := range a.Objects {
			if e.ResourceType == cryptolens.ResourceProduct && e.AffectedObjectID == int64(p.ProductChangeID) &&
				e.ID != p.ProductChangeEntry && e.ID != p.ProductRevertEntry &&
				e.RowTime().After(p.ProductChangeAt.Add(-productQuiet*time.Second)) && e.RowTime().Before(p.ProductRevertAt.Add(productQuiet*time.Second)) {
				t.Errorf("entry %d changes product %d too close to the planted change", e.ID, p.ProductChangeID)
			}
		}
	})
}

func TestPlantedDataProblems(t *testing.T) {
	a := defaultAccount(t)
	p := a.Planted
	day := p.OutageDay
	if day.IsZero() || day.Hour() != 0 {
		t.Fatalf("outage day %v", day)
	}
	rowsOn := func(d time.Time) (n int) {
		for _, r := range a.WebAPI {
			if tm := r.RowTime(); !tm.Before(d) && tm.Before(d.Add(24*time.Hour)) {
				n++
			}
		}
		for _, e := range a.Events {
			if tm := e.RowTime(); !tm.Before(d) && tm.Before(d.Add(24*time.Hour)) {
				n++
			}
		}
		for _, o := range a.Objects {
			if tm := o.RowTime(); !tm.Before(d) && tm.Before(d.Add(24*time.Hour)) {
				n++
			}
		}
		return n
	}
	if n := rowsOn(day); n != 0 {
		t.Errorf("%d rows on the outage day %v", n, day)
	}
	if rowsOn(day.Add(-24*time.Hour)) == 0 || rowsOn(day.Add(24*time.Hour)) == 0 {
		t.Errorf("the days around the outage have no rows either")
	}
	if len(p.OutOfOrderIDs) != len(plantedSkews) {
		t.Errorf("%d rows out of time order planted, want %d", len(p.OutOfOrderIDs), len(plantedSkews))
	}
	maxTime := int64(0)
	var late []int64
	for _, r := range a.WebAPI {
		if r.Time < maxTime {
			late = append(late, r.ID)
		}
		maxTime = max(maxTime, r.Time)
	}
	if !slices.Equal(late, p.OutOfOrderIDs) {
		t.Errorf("rows earlier than a row before them: %v, planted %v", late, p.OutOfOrderIDs)
	}
	var unknown []int64
	for _, r := range a.WebAPI {
		if !r.State.Group().Known() || r.State.Outcome() == cryptolens.OutcomeUnknown {
			unknown = append(unknown, r.ID)
		}
	}
	if len(unknown) != len(plantedUnknownStates) || !slices.Equal(unknown, p.UnknownStateIDs) {
		t.Errorf("rows with unknown states %v, planted %v", unknown, p.UnknownStateIDs)
	}
}

func TestCleanAccount(t *testing.T) {
	a := Generate(Options{End: testEnd, WebAPIRows: 20_000, Clean: true})
	p := a.Planted
	if !p.OutageDay.IsZero() || len(p.OutOfOrderIDs) > 0 || len(p.UnknownStateIDs) > 0 {
		t.Errorf("clean account has planted problems: outage %v, out of order %v, unknown %v", p.OutageDay, p.OutOfOrderIDs, p.UnknownStateIDs)
	}
	checkOrder(t, a)
	if p.BlockedKey == "" || p.ProductChangeEntry == 0 {
		t.Error("clean account lost the planted story")
	}
}

// counts is requests and failures.
type counts struct{ total, failed int }

func (c counts) rate() float64 { return float64(c.failed) / float64(max(c.total, 1)) }

// failuresOf counts the rows keep accepts and how many failed.
func failuresOf(a *Account, keep func(cryptolens.WebAPILogRow) bool) counts {
	var c counts
	for _, r := range a.WebAPI {
		if keep(r) {
			c.total++
			if r.State.Outcome() == cryptolens.OutcomeFailure {
				c.failed++
			}
		}
	}
	return c
}
