package logstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// syncedName is the file at the store's root that records when a sync of
// each log last finished; it starts with "_" so engines skip it, and it
// lives outside the log folders, which hold only a manifest and segments.
const syncedName = "_synced.json"

// LastSync returns when a sync of log l last finished without error, or
// the zero time if none is recorded (a store written before lenslog kept
// the record, or never synced). A sync that found nothing new counts: the
// manifest changes only when rows arrive.
func (s *Store) LastSync(l Log) (time.Time, error) {
	rec, err := s.readSynced()
	if err != nil {
		return time.Time{}, fmt.Errorf("logstore: %s: last sync: %w", l, err)
	}
	return rec[l], nil
}

// readSynced reads the sync record; a missing one is empty.
func (s *Store) readSynced() (map[Log]time.Time, error) {
	path := filepath.Join(s.dir, syncedName)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[Log]time.Time{}, nil
	}
	if err != nil {
		return nil, err
	}
	rec := map[Log]time.Time{}
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, &CorruptError{Path: path, Reason: "sync record is not valid JSON", Err: err}
	}
	return rec, nil
}

// recordSync notes that a sync of log l finished at at, replacing the
// record atomically. The caller holds the store's lock. A damaged record
// is replaced: it only ever holds these times.
func (s *Store) recordSync(l Log, at time.Time) error {
	rec, err := s.readSynced()
	if err != nil {
		rec = map[Log]time.Time{}
	}
	rec[l] = at.UTC().Truncate(time.Second)
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return fmt.Errorf("encode sync record: %w", err)
	}
	_, _, err = writeFileAtomic(s.dir, syncedName, func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
	if err != nil {
		return fmt.Errorf("record sync of %s: %w", l, err)
	}
	return nil
}
