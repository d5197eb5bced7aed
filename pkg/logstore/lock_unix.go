//go:build unix

package logstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// fileLock is an exclusive flock on the store's lock file. The kernel drops
// it when the holder dies, however it dies, so a killed sync never leaves a
// store locked.
type fileLock struct{ f *os.File }

// lockStore takes the store's write lock, waiting (polling) until it is free
// or ctx is done.
func lockStore(ctx context.Context, dir string) (*fileLock, error) {
	wait := 20 * time.Millisecond
	for {
		l, err := tryLockStore(dir)
		if err != nil || l != nil {
			return l, err
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for another sync of %s to finish: %w", dir, ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, 500*time.Millisecond)
	}
}

// tryLockStore takes the lock if it is free; it returns nil, nil when
// another process holds it.
func tryLockStore(dir string) (*fileLock, error) {
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	if errors.Is(err, unix.EWOULDBLOCK) {
		f.Close()
		return nil, nil
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return &fileLock{f: f}, nil
}

// unlock releases the lock.
func (l *fileLock) unlock() {
	unix.Flock(int(l.f.Fd()), unix.LOCK_UN)
	l.f.Close()
}
