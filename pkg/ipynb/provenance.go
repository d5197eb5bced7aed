package ipynb

import (
	"encoding/json"
	"fmt"
	"html"
	"sort"
	"strings"
	"time"
)

// Provenance says where an executed notebook's figures came from, so that
// a reader can trust them and a replay can reproduce them: the version of
// lenslog, the account (never its token), the parameters, every window
// read in absolute UTC and, per log, the rows read and the highest id. It
// is kept in the notebook's metadata under "lenslog" and shown at the top
// of its HTML page.
type Provenance struct {
	Version    string             `json:"version"`
	Source     string             `json:"source,omitempty"` // the notebook run, relative to the repository
	Account    ProvenanceAccount  `json:"account"`
	Now        time.Time          `json:"now,omitzero"` // the account's "now" the spans were resolved against
	RanAt      time.Time          `json:"ran_at"`
	Parameters map[string]any     `json:"parameters,omitempty"`
	Reads      []ProvenanceRead   `json:"reads"`
	Replay     *ProvenanceReplay  `json:"replay,omitempty"`
	Notes      []string           `json:"notes,omitempty"` // anything a reader should know, e.g. a failed record
	Logs       map[string]LogSeen `json:"logs,omitempty"`  // per log: rows read and the highest id
}

// ProvenanceAccount identifies the account read, as lenslog describes it.
type ProvenanceAccount struct {
	Description string    `json:"description"`
	Sample      bool      `json:"sample,omitempty"`
	Seed        int64     `json:"seed,omitempty"`
	End         time.Time `json:"end,omitzero"`
	Rows        int       `json:"rows,omitempty"`
	URL         string    `json:"url,omitempty"`
	Fingerprint string    `json:"fingerprint,omitempty"`
	Store       string    `json:"store,omitempty"`
	Redacted    bool      `json:"redacted,omitempty"`
}

// ProvenanceRead is one window of one log the notebook read.
type ProvenanceRead struct {
	Log    string    `json:"log"`
	Span   string    `json:"span"`
	From   time.Time `json:"from,omitzero"`
	To     time.Time `json:"to,omitzero"`
	Filter string    `json:"filter,omitempty"`
	Rows   int       `json:"rows"`
	Kept   int       `json:"kept"`
	MaxID  int64     `json:"max_id,omitempty"`
	Cut    int64     `json:"cut,omitempty"`
	NoData string    `json:"no_data,omitempty"` // the parameters named nothing here: what, and what there is instead
}

// NoData returns what the run's parameters named that had no rows (the
// first such read's message), or "" when every read found what it asked.
func (p *Provenance) NoData() string {
	for _, r := range p.Reads {
		if r.NoData != "" {
			return r.NoData
		}
	}
	return ""
}

// LogSeen sums up what a run read of one log.
type LogSeen struct {
	Rows  int   `json:"rows"`   // rows read, over all windows (a row read twice counts twice)
	MaxID int64 `json:"max_id"` // the highest id read; a replay reads no row above it
}

// ProvenanceReplay says that a run replayed an earlier one, and how that
// went.
type ProvenanceReplay struct {
	Of      string    `json:"of"`     // the executed notebook replayed
	RanAt   time.Time `json:"ran_at"` // when the original ran
	Same    bool      `json:"same"`   // every cell printed what it printed then
	Differs []string  `json:"differs,omitempty"`
}

// metadataKey is the notebook metadata key lenslog's provenance lives under.
const metadataKey = "lenslog"

// SetProvenance stores p in nb's metadata, replacing an earlier one.
func (nb *Notebook) SetProvenance(p *Provenance) error {
	data, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("provenance: %w", err)
	}
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("provenance: %w", err)
	}
	if nb.Metadata.Other == nil {
		nb.Metadata.Other = map[string]any{}
	}
	nb.Metadata.Other[metadataKey] = map[string]any{"provenance": v}
	return nil
}

// Provenance returns the provenance stored in nb's metadata, or nil if it
// has none; an error if it is there but malformed.
func (nb *Notebook) Provenance() (*Provenance, error) {
	m, _ := nb.Metadata.Other[metadataKey].(map[string]any)
	raw, ok := m["provenance"]
	if !ok {
		return nil, nil
	}
	data, err := json.Marshal(raw)
	if err != nil {
		return nil, err
	}
	var p Provenance
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("metadata.lenslog.provenance: %w", err)
	}
	return &p, nil
}

// provenanceLine is the one line at the top of a report that says where
// its figures come from, e.g. "Figures from the sample account (seed 1,
// to 2026-11-05), 2026-10-06 to 2026-11-04, with the notebook's defaults;
// provenance 3f9c2a1b7d04, in full at the end." The full block closes the
// page (provenanceHTML); a reader reaches the answer first.
func provenanceLine(nb *Notebook) string {
	p, err := nb.Provenance()
	if err != nil || p == nil {
		return ""
	}
	var e IndexEntry
	e.Describe(nb)
	parts := []string{"Figures from the " + strings.TrimPrefix(e.Account, "the ")}
	if e.Period != "" {
		parts = append(parts, e.Period)
	}
	parts = append(parts, "with "+formatParameters(p.Parameters))
	return "<p class=\"provenance-line\">" + html.EscapeString(strings.Join(parts, ", ")) +
		"; provenance <a href=\"#provenance\">" + html.EscapeString(nb.Fingerprint()) + "</a>, in full at the end.</p>\n"
}

// provenanceHTML renders nb's provenance as a block for the end of its
// page, or "" when it has none.
func provenanceHTML(nb *Notebook) string {
	p, err := nb.Provenance()
	if err != nil {
		return "<div class=\"banner failed\">" + html.EscapeString(err.Error()) + "</div>\n"
	}
	if p == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("<details class=\"provenance\" id=\"provenance\" open>\n<summary><strong>Provenance</strong> " + html.EscapeString(nb.Fingerprint()) +
		": where these figures come from</summary>\n<table>\n<tbody>\n")
	row := func(k, v string) {
		b.WriteString("<tr><th style=\"text-align: left\">" + k + "</th><td>" + html.EscapeString(v) + "</td></tr>\n")
	}
	row("lenslog", p.Version)
	row("Account", p.Account.Description)
	if !p.Now.IsZero() {
		row("Now", utc(p.Now))
	}
	row("Ran at", utc(p.RanAt))
	row("Parameters", formatParameters(p.Parameters))
	if r := p.Replay; r != nil {
		verdict := "every cell printed the same as the original run"
		if !r.Same {
			verdict = "differs from the original run: " + strings.Join(r.Differs, "; ")
		}
		row("Replay of", fmt.Sprintf("%s (ran %s): %s", r.Of, utc(r.RanAt), verdict))
	}
	for _, n := range p.Notes {
		row("Note", n)
	}
	b.WriteString("</tbody>\n</table>\n")
	if len(p.Reads) > 0 {
		b.WriteString("<table>\n<thead>\n<tr><th>Log</th><th>Span</th><th>From (UTC)</th><th>To (UTC)</th><th>Filter</th>" +
			"<th style=\"text-align: right\">Rows read</th><th style=\"text-align: right\">Highest id</th></tr>\n</thead>\n<tbody>\n")
		for _, r := range p.Reads {
			rows := fmt.Sprint(r.Rows)
			if r.Filter != "" {
				rows = fmt.Sprintf("%d (%d kept)", r.Rows, r.Kept)
			}
			if r.NoData != "" {
				rows = "no data"
			}
			cells := []string{r.Log, r.Span, edge(r.From, "beginning"), edge(r.To, "now"), r.Filter}
			b.WriteString("<tr>")
			for _, c := range cells {
				b.WriteString("<td>" + html.EscapeString(c) + "</td>")
			}
			b.WriteString("<td style=\"text-align: right\">" + rows + "</td><td style=\"text-align: right\">" + fmt.Sprint(r.MaxID) + "</td></tr>\n")
		}
		b.WriteString("</tbody>\n</table>\n")
	}
	b.WriteString("</details>\n")
	return b.String()
}

// utc formats t as "2026-11-05 10:00:00 UTC".
func utc(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }

// edge formats a window edge; zero is open.
func edge(t time.Time, open string) string {
	if t.IsZero() {
		return open
	}
	return utc(t)
}

// formatParameters writes parameters as "period=2026-10, product=3941",
// or "defaults" when there are none.
func formatParameters(ps map[string]any) string {
	if len(ps) == 0 {
		return "the notebook's defaults"
	}
	keys := make([]string, 0, len(ps))
	for k := range ps {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%v", k, ps[k])
	}
	return strings.Join(parts, ", ")
}
