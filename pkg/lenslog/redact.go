package lenslog

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/lenslog/lenslog/pkg/logs"
)

// minRedactKey is the shortest pseudonym key accepted, in bytes: shorter
// keys could be found by trying them all, and every pseudonym reversed.
const minRedactKey = 16

// redactKey returns the pseudonym key: key when given (Config.RedactKey,
// from $LENSLOG_REDACT_KEY, as `kernel report -redact` sets it for every
// notebook of a run); else, in a notebook session, a random key kept in
// the session's private folder (GoNB's, mode 0700, removed when the kernel
// ends), so that the cells (each a process of its own) agree; else a
// random key for this process. There is no fixed key: pseudonyms cannot be
// reversed by hashing every possible value, nor matched across runs. The
// key is never printed.
func redactKey(key []byte, sessionDir string) ([]byte, error) {
	if key != nil {
		return key, nil
	}
	if sessionDir != "" {
		if key, err := sessionKey(sessionDir); err == nil {
			return key, nil
		}
	}
	return randomKey()
}

// sessionKeyFile names the key of one GoNB kernel session inside its
// temporary folder (mode 0700, removed by GoNB when the kernel ends).
const sessionKeyFile = "lenslog-redact.key"

// sessionKey returns the key kept in dir, making it first if need be. Two
// cells that start at once agree: the key is written aside and linked into
// place, and whoever links second reads the first one's key.
func sessionKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, sessionKeyFile)
	if key, err := readKeyFile(path); err == nil {
		return key, nil
	}
	key, err := randomKey()
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, ".lenslog-redact-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	_, err = f.WriteString(hex.EncodeToString(key))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	if err := os.Link(f.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	return readKeyFile(path)
}

// readKeyFile reads a hex key of at least minRedactKey bytes.
func readKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) < minRedactKey {
		return nil, fmt.Errorf("%s does not hold a key", path)
	}
	return key, nil
}

// randomKey returns 32 random bytes.
func randomKey() ([]byte, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("make a redaction key: %w", err)
	}
	return key, nil
}

// learnedWindows records, per log, the windows whose identifiers the
// Account's redactor has learned.
type learnedWindows struct {
	mu  sync.Mutex
	got map[string][]logs.Window
}

func (l *learnedWindows) add(log string, w logs.Window) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.got == nil {
		l.got = map[string][]logs.Window{}
	}
	l.got[log] = append(l.got[log], w)
}

// has reports whether a learned window of log covers w.
func (l *learnedWindows) has(log string, w logs.Window) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, g := range l.got[log] {
		if covers(g, w) {
			return true
		}
	}
	return false
}

// covers reports whether window g holds all of w (a zero bound is open).
func covers(g, w logs.Window) bool {
	from := g.From.IsZero() || !w.From.IsZero() && !w.From.Before(g.From)
	to := g.To.IsZero() || !w.To.IsZero() && !w.To.After(g.To)
	return from && to
}

// learnOthers has the redactor learn the identifiers of every log but
// this one in w, loading those not learned yet, so that free text loses
// a machine code or a friendly name whichever log a cell loaded first.
// A log that cannot be loaded fails the redaction: nothing is shown
// half-redacted.
func (a *Account) learnOthers(this string, w logs.Window) error {
	for _, l := range learnedLogs { // generated: kinds_gen.go
		if l.log == this || a.learned.has(l.log, w) {
			continue
		}
		if err := l.learn(a, w); err != nil {
			return fmt.Errorf("redaction needs the identifiers of the %s log: %w", l.log, err)
		}
		a.learned.add(l.log, w)
	}
	return nil
}
