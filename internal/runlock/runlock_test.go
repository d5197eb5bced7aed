//go:build unix

package runlock

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestMain lets the test binary be the other run: with RUNLOCK_HOLD set it
// takes that lock, says "held" and waits to be killed.
func TestMain(m *testing.M) {
	if path := os.Getenv("RUNLOCK_HOLD"); path != "" {
		if _, err := Acquire(path, "holder"); err != nil {
			os.Stdout.WriteString("error: " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Stdout.WriteString("held\n")
		select {}
	}
	os.Exit(m.Run())
}

// holder starts another process that takes the lock at path and returns
// it once it holds it.
func holder(t *testing.T, path string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "RUNLOCK_HOLD="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, _ := bufio.NewReader(out).ReadString('\n')
	if line != "held\n" {
		t.Fatalf("the holder says %q", line)
	}
	return cmd
}

func TestOverlappingRuns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "daily.lock")
	cmd := holder(t, path)
	_, err := Acquire(path, "second")
	var held *HeldError
	if !errors.As(err, &held) || !errors.Is(err, ErrHeld) {
		t.Fatalf("error %v, want a *HeldError", err)
	}
	if held.Holder == nil || held.Holder.PID != cmd.Process.Pid || held.Holder.Command != "holder" {
		t.Errorf("holder %+v, want pid %d", held.Holder, cmd.Process.Pid)
	}
	if !strings.Contains(err.Error(), "pid ") || !strings.Contains(err.Error(), path) {
		t.Errorf("the error %q does not say who holds which lock", err)
	}
}

func TestKilledRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "daily.lock")
	cmd := holder(t, path)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	l, err := Acquire(path, "next")
	if err != nil {
		t.Fatalf("the lock of a killed run is still held: %v", err)
	}
	defer l.Release()
	if l.Stale == nil || l.Stale.PID != cmd.Process.Pid {
		t.Errorf("stale record %+v, want the killed run's pid %d", l.Stale, cmd.Process.Pid)
	}
}

func TestReleasedRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "daily.lock")
	l, err := Acquire(path, "first")
	if err != nil {
		t.Fatal(err)
	}
	l.Release()
	l, err = Acquire(path, "second")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if l.Stale != nil {
		t.Errorf("a released lock looks stale: %+v", l.Stale)
	}
}
