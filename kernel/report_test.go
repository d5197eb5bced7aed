package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/ipynb"
)

// fakeRuns stands in for runOne: each notebook takes the time its name
// says, and the most notebooks ever running at once is recorded.
type fakeRuns struct {
	mu       sync.Mutex
	now, max int
}

func (f *fakeRuns) run(ctx context.Context, cfg runConfig, j job) outcome {
	path := j.path
	f.mu.Lock()
	f.now++
	f.max = max(f.max, f.now)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.now--
		f.mu.Unlock()
	}()
	var ms int
	fmt.Sscanf(filepath.Base(path), "%d", &ms)
	time.Sleep(time.Duration(ms) * time.Millisecond)
	o := outcome{path: path, nb: &ipynb.Notebook{}}
	if strings.Contains(path, "fail") {
		o.failure = &ipynb.Failure{Message: "failed"}
	}
	return o
}

// TestReportAllJobs checks that notebooks run up to -j at a time, and
// that the index keeps the order given whatever order they finish in.
func TestReportAllJobs(t *testing.T) {
	var jobs []job
	for _, p := range []string{"a/60.ipynb", "b/10-fail.ipynb", "c/30.ipynb", "d/1.ipynb", "e/60.ipynb"} {
		jobs = append(jobs, job{path: p})
	}
	for _, parallel := range []int{1, 2, 8} {
		t.Run(fmt.Sprint("j=", parallel), func(t *testing.T) {
			f := &fakeRuns{}
			defer func(orig func(context.Context, runConfig, job) outcome) { runNotebook = orig }(runNotebook)
			runNotebook = f.run
			var stderr bytes.Buffer
			cfg := runConfig{progress: &stderr, parallel: parallel}
			entries, failed, err := reportAll(context.Background(), cfg, jobs, t.TempDir(), &stderr)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range entries {
				names = append(names, e.Name)
			}
			if got, want := strings.Join(names, " "), "60 10-fail 30 1 60-2"; got != want {
				t.Errorf("index order %q, want %q", got, want)
			}
			if failed != 1 {
				t.Errorf("%d failed, want 1", failed)
			}
			if f.max > parallel || (parallel > 1) != (f.max > 1) {
				t.Errorf("at most %d notebooks ran at once with -j %d", f.max, parallel)
			}
		})
	}
}
