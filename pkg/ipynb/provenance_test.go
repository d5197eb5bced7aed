package ipynb

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestProvenanceRoundTripAndHTML(t *testing.T) {
	at := time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC)
	p := &Provenance{
		Version:    "git 0123456789ab",
		Source:     "notebooks/02-success-ratio.ipynb",
		Account:    ProvenanceAccount{Description: "sample account, seed 1, ending 2026-11-05 00:00 UTC, size 100000", Sample: true, Seed: 1, End: at, Rows: 100000},
		Now:        at,
		RanAt:      at.Add(time.Hour),
		Parameters: map[string]any{"product": 3349.0, "period": "2026-10"},
		Reads: []ProvenanceRead{{Log: "webapi", Span: "2026-10", From: at.AddDate(0, 0, -35), To: at.AddDate(0, 0, -4),
			Filter: "product 3349", Rows: 28805, Kept: 9329, MaxID: 8872385}},
		Logs:   map[string]LogSeen{"webapi": {Rows: 28805, MaxID: 8872385}},
		Replay: &ProvenanceReplay{Of: "a.ipynb", RanAt: at, Same: false, Differs: []string{"cell 7 prints <differently>"}},
	}
	nb := &Notebook{Cells: []*Cell{{Type: Markdown, Source: "# T"}}}
	if err := nb.SetProvenance(p); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, nb); err != nil {
		t.Fatal(err)
	}
	back, err := Parse(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	got, err := back.Provenance()
	if err != nil || !reflect.DeepEqual(got, p) {
		t.Fatalf("read back %+v, %v\nwant %+v", got, err, p)
	}
	var page bytes.Buffer
	if err := RenderHTML(&page, back, RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"<strong>Provenance</strong>", "git 0123456789ab", "sample account, seed 1",
		"period=2026-10, product=3349", "2026-10-01 00:00:00 UTC", "28805 (9329 kept)", "8872385",
		"cell 7 prints &lt;differently&gt;"} {
		if !strings.Contains(page.String(), s) {
			t.Errorf("page does not show %q", s)
		}
	}
	if none, _ := (&Notebook{}).Provenance(); none != nil || provenanceHTML(&Notebook{}) != "" {
		t.Error("a notebook without provenance shows one")
	}
}
