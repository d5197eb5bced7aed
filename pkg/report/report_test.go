package report

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

// fakeRuns stands in for Runner.Run: each notebook takes the time its name
// says, and the most notebooks ever running at once is recorded.
type fakeRuns struct {
	mu       sync.Mutex
	now, max int
}

func (f *fakeRuns) run(ctx context.Context, j Job) Outcome {
	path := j.Path
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
	o := Outcome{Path: path, NB: &ipynb.Notebook{}}
	if strings.Contains(path, "fail") {
		o.Failure = &ipynb.Failure{Message: "failed"}
	}
	return o
}

// TestReportAllJobs checks that notebooks run up to -j at a time, and
// that the index keeps the order given whatever order they finish in.
func TestReportAllJobs(t *testing.T) {
	var jobs []Job
	for _, p := range []string{"a/60.ipynb", "b/10-fail.ipynb", "c/30.ipynb", "d/1.ipynb", "e/60.ipynb"} {
		jobs = append(jobs, Job{Path: p})
	}
	for _, parallel := range []int{1, 2, 8} {
		t.Run(fmt.Sprint("j=", parallel), func(t *testing.T) {
			f := &fakeRuns{}
			var stderr bytes.Buffer
			r := Runner{Progress: &stderr, Parallel: parallel, run: f.run}
			entries, failed, err := r.all(context.Background(), jobs, t.TempDir(), &stderr)
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
