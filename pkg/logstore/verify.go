package logstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// Verify reads every segment of every log and checks it against its
// manifest: present, same size and checksum, decodable, the listed number
// of rows, ids ascending within the listed range and times within the
// listed span. It returns nil for a sound store, else a *VerifyError
// listing each damaged file by path.
func (s *Store) Verify() error {
	var problems []error
	problems = append(problems, verifyLog(s, webAPIKind)...)
	problems = append(problems, verifyLog(s, eventsKind)...)
	problems = append(problems, verifyLog(s, objectsKind)...)
	if len(problems) > 0 {
		return &VerifyError{Problems: problems}
	}
	return nil
}

func verifyLog[R cryptolens.Row, T any](s *Store, k kind[R, T]) []error {
	dir := s.logDir(k.log)
	m, err := readManifest(dir, k.log)
	if err != nil {
		return []error{err}
	}
	var problems []error
	for _, seg := range m.Segments {
		if err := checkSegment(dir, k, seg); err != nil {
			problems = append(problems, err)
		}
	}
	return problems
}

// checkSegment reads one segment and checks its rows against its entry.
func checkSegment[R cryptolens.Row, T any](dir string, k kind[R, T], seg Segment) error {
	t, err := loadSegments(dir, []Segment{seg}, logs.Window{}, k)
	if err != nil {
		return err
	}
	bad := func(reason string) error {
		return &CorruptError{Path: filepath.Join(dir, seg.File), Reason: reason}
	}
	n := k.len(t)
	if n == 0 || k.row(t, 0).RowID() != seg.MinID || k.row(t, n-1).RowID() != seg.MaxID {
		return bad("id range differs from the manifest")
	}
	for i := range n {
		r := k.row(t, i)
		if i > 0 && r.RowID() <= k.row(t, i-1).RowID() {
			return bad(fmt.Sprintf("ids not ascending at row %d", i))
		}
		if ts := r.RowTime().Unix(); ts < seg.MinTime || ts > seg.MaxTime {
			return bad(fmt.Sprintf("row %d (id %d) is outside the manifest's time span", i, r.RowID()))
		}
	}
	return nil
}

// RepairReport tells what Repair found and did, per log.
type RepairReport struct {
	Logs []LogRepair
}

// LogRepair is the repair of one log.
type LogRepair struct {
	Log             Log
	Checked         int      // segments checked
	Damaged         []string // paths of damaged or missing segments, now removed
	RebuiltManifest bool     // the manifest was unreadable and was rebuilt from the segments
	Recovered       int      // rows re-fetched from the source
	Lost            []Gap    // what the source no longer has
}

// Lost reports whether any row could not be recovered.
func (r RepairReport) Lost() bool {
	for _, l := range r.Logs {
		if len(l.Lost) > 0 {
			return true
		}
	}
	return false
}

// String summarises the repair, one line per log.
func (r RepairReport) String() string {
	var b strings.Builder
	for _, l := range r.Logs {
		fmt.Fprintf(&b, "%s: %d segments checked", l.Log, l.Checked)
		if l.RebuiltManifest {
			b.WriteString(", manifest rebuilt")
		}
		if len(l.Damaged) == 0 {
			b.WriteString(", no damage\n")
			continue
		}
		fmt.Fprintf(&b, ", %d damaged (%s), %d rows re-fetched", len(l.Damaged), strings.Join(l.Damaged, ", "), l.Recovered)
		for _, g := range l.Lost {
			fmt.Fprintf(&b, "; lost %d rows with ids %d..%d: %s", g.Rows, g.AfterID+1, g.BeforeID-1, g.Reason)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Repair checks every segment like Verify, removes the damaged or missing
// ones and re-fetches their id ranges from c. Rows the source no longer has
// (Events and Object Log entries older than its retention) cannot come
// back: the report lists them and the manifest records them as gaps. A
// manifest that cannot be read is rebuilt from the segments that can.
func (s *Store) Repair(ctx context.Context, c *cryptolens.Client) (RepairReport, error) {
	return s.repair(ctx, clientSources(c))
}

func (s *Store) repair(ctx context.Context, src *sources) (RepairReport, error) {
	lk, err := lockStore(ctx, s.dir)
	if err != nil {
		return RepairReport{}, fmt.Errorf("logstore: repair: %w", err)
	}
	defer lk.unlock()
	var rep RepairReport
	steps := []func() (LogRepair, error){
		func() (LogRepair, error) { return repairLog(ctx, s, webAPIKind, src.webAPI) },
		func() (LogRepair, error) { return repairLog(ctx, s, eventsKind, src.events) },
		func() (LogRepair, error) { return repairLog(ctx, s, objectsKind, src.objects) },
	}
	for _, step := range steps {
		lr, err := step()
		rep.Logs = append(rep.Logs, lr)
		if err != nil {
			return rep, fmt.Errorf("logstore: repair %s: %w", lr.Log, err)
		}
	}
	s.tidy()
	return rep, nil
}

func repairLog[R cryptolens.Row, T any](ctx context.Context, s *Store, k kind[R, T], src source[R]) (LogRepair, error) {
	dir := s.logDir(k.log)
	lr := LogRepair{Log: k.log}
	m, err := readManifest(dir, k.log)
	if errors.Is(err, ErrCorrupt) {
		m, err = rebuildManifest(dir, k)
		lr.RebuiltManifest = true
	}
	if err != nil {
		return lr, err
	}
	var keep []Segment
	var damaged []Segment
	for _, seg := range m.Segments {
		lr.Checked++
		if checkSegment(dir, k, seg) == nil {
			keep = append(keep, seg)
			continue
		}
		damaged = append(damaged, seg)
		lr.Damaged = append(lr.Damaged, filepath.Join(dir, seg.File))
	}
	m.Segments = keep
	for _, seg := range damaged {
		if err := refetch(ctx, dir, k, src, m, seg, &lr); err != nil {
			return lr, err
		}
		os.Remove(filepath.Join(dir, seg.File))
	}
	if lr.RebuiltManifest || len(damaged) > 0 {
		return lr, writeManifest(dir, m)
	}
	return lr, nil
}

// refetch re-fetches the ids of a damaged segment into new segments of m,
// recording a gap for rows the source no longer has.
func refetch[R cryptolens.Row, T any](ctx context.Context, dir string, k kind[R, T], src source[R],
	m *manifest, seg Segment, lr *LogRepair) error {
	rows, err := fetchRange(ctx, src, seg.MinID-1, seg.MaxID)
	if err != nil {
		return fmt.Errorf("re-fetch ids %d..%d: %w", seg.MinID, seg.MaxID, err)
	}
	if len(rows) > 0 {
		fresh, err := writeSegment(dir, k, rows)
		if err != nil {
			return err
		}
		m.Segments = append(m.Segments, fresh)
		slices.SortFunc(m.Segments, func(a, b Segment) int { return cmpInt64(a.MinID, b.MinID) })
	}
	lr.Recovered += len(rows)
	if lost := seg.Rows - len(rows); lost > 0 {
		g := Gap{AfterID: seg.MinID - 1, BeforeID: seg.MaxID + 1, Rows: lost,
			Reason: "the source no longer has them (" + retention(k.log) + ")"}
		m.Gaps = append(m.Gaps, g)
		lr.Lost = append(lr.Lost, g)
	}
	return nil
}

// fetchRange pages forward from after and returns the rows with ids up to
// last.
func fetchRange[R cryptolens.Row](ctx context.Context, src source[R], after, last int64) ([]R, error) {
	var out []R
	for {
		page, err := src.page(ctx, after)
		if err != nil {
			return nil, err
		}
		if len(page) == 0 {
			return sortRows(out), nil
		}
		for _, r := range page {
			if id := r.RowID(); id > after && id <= last {
				out = append(out, r)
			}
		}
		next := page[len(page)-1].RowID()
		if next > last || next <= after {
			return sortRows(out), nil
		}
		after = next
	}
}

func retention(l Log) string {
	switch l {
	case Events:
		return "Cryptolens keeps events at least 30 days"
	case Objects:
		return "Cryptolens keeps the Object Log 30 days"
	}
	return "missing from the source"
}

// rebuildManifest lists the readable segments of a log folder whose
// manifest is lost or damaged. Where two overlap (a compaction was cut
// short) the wider one is kept. How far back history is complete is
// forgotten; the next sync finds out again.
func rebuildManifest[R cryptolens.Row, T any](dir string, k kind[R, T]) (*manifest, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("rebuild manifest: %w", err)
	}
	var segs []Segment
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), segmentExt) || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if seg, ok := describeSegment(dir, k, e.Name()); ok {
			segs = append(segs, seg)
		}
	}
	slices.SortFunc(segs, func(a, b Segment) int {
		if c := cmpInt64(a.MinID, b.MinID); c != 0 {
			return c
		}
		return cmpInt64(b.MaxID, a.MaxID)
	})
	m := &manifest{Format: FormatVersion, Log: k.log}
	for _, seg := range segs {
		if n := len(m.Segments); n > 0 && seg.MinID <= m.Segments[n-1].MaxID {
			continue
		}
		m.Segments = append(m.Segments, seg)
	}
	return m, nil
}

// describeSegment reads a segment file that no manifest describes.
func describeSegment[R cryptolens.Row, T any](dir string, k kind[R, T], name string) (Segment, bool) {
	seg, err := statSegment(dir, name)
	if err != nil {
		return Segment{}, false
	}
	t, err := loadSegments(dir, []Segment{seg}, logs.Window{}, k)
	if err != nil || k.len(t) == 0 {
		return Segment{}, false
	}
	rows := k.rowsOf(t)
	seg.MinID, seg.MaxID = rows[0].RowID(), rows[len(rows)-1].RowID()
	seg.MinTime, seg.MaxTime = rows[0].RowTime().Unix(), rows[0].RowTime().Unix()
	for _, r := range rows {
		ts := r.RowTime().Unix()
		seg.MinTime, seg.MaxTime = min(seg.MinTime, ts), max(seg.MaxTime, ts)
	}
	return seg, true
}
