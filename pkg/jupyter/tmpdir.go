package jupyter

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
)

// A run's temporary folders are named for the process that owns them:
// PREFIX-oPID.START-RANDOM, START being when that process started (so that
// a later process given the same id is not taken for the owner). A folder
// whose owner is gone was left by a run that was killed: sweepTemp, which
// Start calls, removes it, with the connection key inside.

// ownedName matches the name of an owned temporary folder: the owner's
// pid and start.
var ownedName = regexp.MustCompile(`^lenslog-[a-z]+-o(\d+)\.(\d+)-\d+$`)

// MkdirTemp creates a new temporary folder named prefix (e.g.
// "lenslog-run-") plus this process's mark, which a later run's Start
// removes should this process die without removing it. prefix must be
// "lenslog-" and a lower-case word followed by "-".
func MkdirTemp(prefix string) (string, error) {
	if !regexp.MustCompile(`^lenslog-[a-z]+-$`).MatchString(prefix) {
		return "", fmt.Errorf("jupyter: temp folder prefix %q is not lenslog-WORD-", prefix)
	}
	start, _ := processStart(os.Getpid())
	if _, err := strconv.ParseUint(start, 10, 64); err != nil {
		start = "0"
	}
	return os.MkdirTemp("", fmt.Sprintf("%so%d.%s-*", prefix, os.Getpid(), start))
}

// sweepTemp removes the owned temporary folders whose owner is no longer
// running, and returns the paths it removed. A folder it cannot remove is
// left for the next sweep.
func sweepTemp() []string {
	dir := os.TempDir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		m := ownedName.FindStringSubmatch(e.Name())
		if m == nil || !e.IsDir() {
			continue
		}
		pid, err := strconv.Atoi(m[1])
		if err != nil {
			continue
		}
		if start, ok := processStart(pid); ok && (start == m[2] || m[2] == "0") {
			continue // the owner still runs
		}
		path := filepath.Join(dir, e.Name())
		if os.RemoveAll(path) == nil {
			removed = append(removed, path)
		}
	}
	return removed
}
