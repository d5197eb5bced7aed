package preflight

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/logstore"
)

// StoreState is what the local store of a live account holds.
type StoreState struct {
	Dir    string
	Exists bool // false before the first sync
	Logs   []LogState
	Damage error // what Verify found; nil for a sound store
	// Upgrade is what the next sync or load rewrites once to bring a store
	// of an older format up to date; zero when it is current.
	Upgrade logstore.Upgrade
}

// LogState is one log in the store.
type LogState struct {
	logstore.LogInfo
	Synced time.Time // the last sync that finished; zero if none is recorded
}

// Store reads the state of cfg's store without creating or changing it;
// nil for the sample account or a store turned off.
func Store(cfg lenslog.Config) (*StoreState, error) {
	if cfg.UseSample || cfg.Token == "" || cfg.NoStore {
		return nil, nil
	}
	dir, err := cfg.StoreFolder()
	if err != nil {
		return nil, err
	}
	st := &StoreState{Dir: dir}
	if _, err := os.Stat(filepath.Join(dir, "_lenslog.json")); err != nil {
		return st, nil
	}
	st.Exists = true
	s, err := logstore.Inspect(dir) // changes nothing: an upgrade is left to the next sync, and said
	if err != nil {
		return st, err
	}
	st.Upgrade, _ = logstore.PendingUpgrade(dir)
	for _, l := range logstore.AllLogs() {
		info, err := s.Info(l)
		if err != nil {
			return st, err
		}
		synced, err := s.LastSync(l)
		if err != nil {
			return st, err
		}
		st.Logs = append(st.Logs, LogState{LogInfo: info, Synced: synced})
	}
	st.Damage = s.Verify()
	return st, nil
}

// String describes the store in a few lines.
func (st *StoreState) String() string {
	if !st.Exists {
		return fmt.Sprintf("store %s: none yet (the first sync or report fills it)", st.Dir)
	}
	out := "store " + st.Dir + ":"
	for _, l := range st.Logs {
		synced := "never synced"
		if !l.Synced.IsZero() {
			synced = "last sync " + format.Time(l.Synced)
		}
		out += fmt.Sprintf("\n  %-16s %16s, ids up to %d, %s", l.Log, format.Counted(l.Rows, "row", "rows"), l.LastID, synced)
		if len(l.Gaps) > 0 {
			out += ", " + format.Counted(len(l.Gaps), "gap", "gaps") + " a repair could not fill"
		}
	}
	if st.Upgrade.Segments > 0 {
		out += fmt.Sprintf("\n  written by an older lenslog: the next sync (or load) upgrades it once, %v", st.Upgrade)
	}
	if st.Damage != nil {
		out += fmt.Sprintf("\n  damaged: %v\n  fix: go run ./kernel sync -repair", st.Damage)
	} else {
		out += "\n  every segment matches its checksum"
	}
	return out
}
