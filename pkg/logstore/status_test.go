package logstore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestLastSync(t *testing.T) {
	s := openTest(t)
	a := newFakeAccount(600)
	for _, l := range AllLogs() {
		if at, err := s.LastSync(l); err != nil || !at.IsZero() {
			t.Fatalf("%s before any sync: %v, %v", l, at, err)
		}
	}
	before := time.Now().Truncate(time.Second)
	syncFake(t, s, a, SyncOptions{Logs: []Log{WebAPI}})
	at, err := s.LastSync(WebAPI)
	if err != nil || at.Before(before) || at.After(time.Now()) {
		t.Errorf("after a sync: %v, %v; want about now", at, err)
	}
	if ev, _ := s.LastSync(Events); !ev.IsZero() {
		t.Errorf("events were not synced but record %v", ev)
	}
	// A sync that brings nothing new is still a sync: the record moves,
	// though the manifest is not rewritten.
	old := at.Add(-48 * time.Hour)
	if err := s.recordSync(WebAPI, old); err != nil {
		t.Fatal(err)
	}
	syncFake(t, s, a, SyncOptions{Logs: []Log{WebAPI}})
	if at, _ := s.LastSync(WebAPI); !at.After(old) {
		t.Errorf("a sync with nothing new left the record at %v", at)
	}
	// A failed sync does not count.
	if err := s.recordSync(Events, old); err != nil {
		t.Fatal(err)
	}
	a.events.failAt = 1
	if _, err := s.sync(context.Background(), a.sources(), SyncOptions{Logs: []Log{Events}}); err == nil {
		t.Fatal("a cancelled sync succeeded")
	}
	if at, _ := s.LastSync(Events); !at.Equal(old) {
		t.Errorf("a failed sync moved the record to %v", at)
	}
	// The record is not a stray: opening the store keeps it.
	if _, err := Open(s.Dir()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), syncedName)); err != nil {
		t.Errorf("record removed: %v", err)
	}
}

func TestLastSyncDamaged(t *testing.T) {
	s := openTest(t)
	if err := os.WriteFile(filepath.Join(s.Dir(), syncedName), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LastSync(Objects); !errors.Is(err, ErrCorrupt) {
		t.Errorf("damaged record: %v, want ErrCorrupt", err)
	}
	// The next sync replaces it.
	syncFake(t, s, newFakeAccount(10), SyncOptions{Logs: []Log{Objects}})
	if at, err := s.LastSync(Objects); err != nil || at.IsZero() {
		t.Errorf("after a sync: %v, %v", at, err)
	}
}
