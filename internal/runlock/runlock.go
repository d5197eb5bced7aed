// Package runlock keeps two runs of a scheduled job from overlapping: the
// first takes a lock file, a second finds it held and says by whom.
//
// On Unix the lock is an flock on the file, which the kernel drops when
// its holder dies, however it dies: a killed run never leaves the job
// locked. The file also records the holder (pid, command, start), so that
// a run refused the lock can say who holds it, and a run that takes a lock
// whose record was never cleared knows the previous run was killed.
// Elsewhere the lock only records the holder and guards nothing.
package runlock

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/lenslog/lenslog/pkg/format"
	"os"
	"strings"
	"time"
)

// Holder is who holds (or held) a lock.
type Holder struct {
	PID     int       `json:"pid"`
	Command string    `json:"command"`
	Started time.Time `json:"started"`
}

func (h Holder) String() string {
	return fmt.Sprintf("pid %d (%s), started %s", h.PID, h.Command, format.Time(h.Started))
}

// HeldError reports a lock another run holds.
type HeldError struct {
	Path   string
	Holder *Holder // nil when the record could not be read
}

func (e *HeldError) Error() string {
	who := "another run"
	if e.Holder != nil {
		who = fmt.Sprintf("another run, %s,", e.Holder)
	}
	return fmt.Sprintf("%s holds the lock %s: not starting a second run beside it", who, e.Path)
}

// ErrHeld is matched by every *HeldError.
var ErrHeld = errors.New("lock held by another run")

// Is makes a *HeldError match ErrHeld.
func (e *HeldError) Is(target error) bool { return target == ErrHeld }

// Lock is a held lock; Release it when the run ends.
type Lock struct {
	f    *os.File
	path string
	// Stale is the record of a previous run that took the lock and ended
	// without releasing it (it was killed); nil when the last run ended
	// well or there was none.
	Stale *Holder
}

// Acquire takes the lock file at path for the current process, recording
// command as what runs. It does not wait: when another run holds the lock
// it returns a *HeldError at once.
func Acquire(path, command string) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	prev := readHolder(f)
	if held {
		f.Close()
		return nil, &HeldError{Path: path, Holder: prev}
	}
	l := &Lock{f: f, path: path, Stale: prev}
	if err := l.write(&Holder{PID: os.Getpid(), Command: command, Started: time.Now().UTC()}); err != nil {
		l.Release()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return l, nil
}

// Release clears the record and drops the lock.
func (l *Lock) Release() {
	l.write(nil)
	unlock(l.f)
	l.f.Close()
}

// write replaces the file's record with h (nil: none).
func (l *Lock) write(h *Holder) error {
	if err := l.f.Truncate(0); err != nil {
		return err
	}
	if h == nil {
		return nil
	}
	data, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if _, err := l.f.WriteAt(append(data, '\n'), 0); err != nil {
		return err
	}
	return l.f.Sync()
}

// readHolder reads the record in f, or nil when it is empty or unreadable.
func readHolder(f *os.File) *Holder {
	buf := make([]byte, 4096)
	n, _ := f.ReadAt(buf, 0)
	text := strings.TrimSpace(string(buf[:n]))
	if text == "" {
		return nil
	}
	var h Holder
	if json.Unmarshal([]byte(text), &h) != nil {
		return nil
	}
	return &h
}
