package logstore

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
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
	t, err := loadSegments(dir, []Segment{seg}, logs.Window{}, k, nil)
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
	Log       Log
	Checked   int      // segments checked
	Damaged   []string // paths of damaged or missing segments, now in quarantine
	Recovery  Recovery // what had to be mended first: manifest rebuilt, files moved to quarantine
	Recovered int      // rows re-fetched from the source
	Lost      []Gap    // what the source no longer has
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
		fmt.Fprintf(&b, "%s: %s checked", l.Log, format.Counted(l.Checked, "segment", "segments"))
		if r := l.Recovery.String(); r != "" {
			b.WriteString("; " + r)
		}
		if len(l.Damaged) == 0 {
			b.WriteString(", no damage\n")
			continue
		}
		fmt.Fprintf(&b, ", %s damaged (%s), %s re-fetched", format.Count(len(l.Damaged)), strings.Join(l.Damaged, ", "),
			format.Counted(l.Recovered, "row", "rows"))
		for _, g := range l.Lost {
			fmt.Fprintf(&b, "; lost %s with ids %d..%d: %s", format.Counted(g.Rows, "row", "rows"), g.AfterID+1, g.BeforeID-1, g.Reason)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Repair checks every segment like Verify, moves the damaged ones to
// quarantine and re-fetches their id ranges from c. Rows the source no
// longer has (Events and Object Log entries older than its retention)
// cannot come back: the report lists them (RepairReport.Lost) and the
// manifest records them as gaps. A manifest that is missing or cannot be
// read is first rebuilt from the segment files, and files the store cannot
// account for are moved to quarantine (LogRepair.Recovery).
func (s *Store) Repair(ctx context.Context, c *cryptolens.Client) (RepairReport, error) {
	return s.repair(ctx, clientSources(c))
}

func (s *Store) repair(ctx context.Context, src *sources) (RepairReport, error) {
	lk, err := lockStore(ctx, s.dir)
	if err != nil {
		return RepairReport{}, fmt.Errorf("logstore: repair: %w", err)
	}
	defer lk.unlock()
	if err := s.checkAccount(src.account); err != nil {
		return RepairReport{}, err
	}
	var rep RepairReport
	q := newQuarantine(s.dir, time.Now())
	steps := []func() (LogRepair, error){
		func() (LogRepair, error) { return repairLog(ctx, s, webAPIKind, src.webAPI, q) },
		func() (LogRepair, error) { return repairLog(ctx, s, eventsKind, src.events, q) },
		func() (LogRepair, error) { return repairLog(ctx, s, objectsKind, src.objects, q) },
	}
	for _, step := range steps {
		lr, err := step()
		rep.Logs = append(rep.Logs, lr)
		if err != nil {
			return rep, fmt.Errorf("logstore: repair %s: %w", lr.Log, err)
		}
	}
	return rep, nil
}

func repairLog[R cryptolens.Row, T any](ctx context.Context, s *Store, k kind[R, T], src source[R], q *quarantine) (LogRepair, error) {
	dir := s.logDir(k.log)
	lr := LogRepair{Log: k.log}
	m, rec, err := recoverLog(s, k, q)
	lr.Recovery = rec
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
	if len(damaged) == 0 {
		return lr, nil
	}
	m.Segments = keep
	for _, seg := range damaged {
		if err := refetch(ctx, dir, k, src, m, seg, &lr); err != nil {
			return lr, err
		}
	}
	if err := writeManifest(dir, m); err != nil {
		return lr, err
	}
	for _, seg := range damaged { // unlisted now: keep the bytes, out of the way
		if _, err := os.Lstat(filepath.Join(dir, seg.File)); err == nil {
			if err := q.move(dir, k.log, seg.File, "damaged; what the source still had of its rows was re-fetched", &lr.Recovery); err != nil {
				return lr, err
			}
		}
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
