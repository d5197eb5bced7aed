package logstore

import (
	"context"
	"iter"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// pagesSource serves the events log as the pages given, forward only.
func pagesSource(pages ...[]cryptolens.Event) *sources {
	return &sources{events: source[cryptolens.Event]{requests: new(atomic.Int64),
		forward: func(ctx context.Context, after int64) iter.Seq2[[]cryptolens.Event, error] {
			return func(yield func([]cryptolens.Event, error) bool) {
				for _, p := range pages {
					if !yield(p, nil) {
						return
					}
				}
			}
		}}}
}

func event(id int64, name string) cryptolens.Event {
	return cryptolens.Event{ID: id, Time: sampleEnd.Unix() + id, ProductID: 3349, FeatureName: name, Key: "AAAAA-BBBBB"}
}

// TestSyncNamesDroppedRows: null rows and rows that repeat a stored id
// with other content are not stored, but counted and named by the sync's
// result and recorded for the data-health checks; the stored rows stay.
func TestSyncNamesDroppedRows(t *testing.T) {
	s := openTest(t)
	opt := SyncOptions{Logs: []Log{Events}}
	first := []cryptolens.Event{event(1, "a"), event(2, "b"), event(3, "c")}
	if _, err := s.sync(t.Context(), pagesSource(first), opt); err != nil {
		t.Fatal(err)
	}
	second := []cryptolens.Event{{}, event(2, "b"), event(3, "CHANGED"), {}, event(4, "d")}
	res, err := s.sync(t.Context(), pagesSource(second, []cryptolens.Event{{}}), opt)
	if err != nil {
		t.Fatal(err)
	}
	want := Dropped{NullRows: 3, Conflicts: 1, ConflictIDs: []int64{3}}
	if got := res[0].Dropped; got.NullRows != want.NullRows || got.Conflicts != want.Conflicts || len(got.ConflictIDs) != 1 || got.ConflictIDs[0] != 3 {
		t.Errorf("dropped %+v, want %+v", got, want)
	}
	if res[0].NewRows != 1 {
		t.Errorf("%d new rows, want 1 (id 4)", res[0].NewRows)
	}
	line := res[0].String()
	if !strings.Contains(line, "3 null rows dropped") || !strings.Contains(line, "id 3") {
		t.Errorf("the sync's line does not name the dropped rows: %q", line)
	}
	rec, err := s.Dropped(Events)
	if err != nil || rec.NullRows != 3 || rec.Conflicts != 1 {
		t.Errorf("recorded for data health: %+v, %v", rec, err)
	}
	ev, err := s.Events(logs.Window{})
	if err != nil {
		t.Fatal(err)
	}
	if ev.Len() != 4 || ev.FeatureName.At(2) != "c" {
		t.Errorf("stored %d events, id 3's feature %q; want 4 and the stored %q kept", ev.Len(), ev.FeatureName.At(2), "c")
	}
	// Only the first null page: a null-only page still says so.
	res, _ = s.sync(t.Context(), pagesSource([]cryptolens.Event{{}, {}}), opt)
	if !strings.Contains(res[0].String(), "+0 rows") || !strings.Contains(res[0].String(), "2 null rows dropped") {
		t.Errorf("a page of null rows: %q", res[0])
	}

}
