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

// syncedName is the file in each log folder that records when a sync of
// the log last finished; it starts with "_" so engines skip it.
const syncedName = "_synced.json"

// synced is the content of syncedName.
type synced struct {
	At time.Time `json:"at"`
}

// LastSync returns when a sync of log l last finished without error, or
// the zero time if none is recorded (a store written before lenslog kept
// the record, or never synced). A sync that found nothing new counts: the
// manifest's own time changes only when rows arrive.
func (s *Store) LastSync(l Log) (time.Time, error) {
	path := filepath.Join(s.logDir(l), syncedName)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("logstore: %s: last sync: %w", l, err)
	}
	var v synced
	if err := json.Unmarshal(data, &v); err != nil {
		return time.Time{}, &CorruptError{Path: path, Reason: "sync record is not valid JSON", Err: err}
	}
	return v.At, nil
}

// recordSync notes that a sync of log l finished at at, replacing the
// record atomically.
func (s *Store) recordSync(l Log, at time.Time) error {
	data, err := json.Marshal(synced{At: at.UTC().Truncate(time.Second)})
	if err != nil {
		return fmt.Errorf("encode sync record: %w", err)
	}
	_, _, err = writeFileAtomic(s.logDir(l), syncedName, func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
	if err != nil {
		return fmt.Errorf("record sync of %s: %w", l, err)
	}
	return nil
}
