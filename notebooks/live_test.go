package notebooks

import (
	"html"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/sample"
)

// liveToken is the token the live test's server accepts; it doubles as a
// canary that must appear in no report file.
const liveToken = "live-canary-7f1c2e9a"

// TestRedactedReportOnLiveAccount runs the main job, `kernel report
// -redact`, with a token set: the notebooks read a Cryptolens-compatible
// server (the sample account served over HTTP, ending now) through the
// client and the local store, unedited. Every notebook must succeed, and
// no identifier of the served account (license keys, machine codes,
// friendly names, IPs, user ids), nor the token, may appear in any file the
// report wrote.
func TestRedactedReportOnLiveAccount(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every notebook through GoNB: slow")
	}
	acct := sample.Generate(sample.Options{Seed: 11, End: time.Now().UTC()})
	srv := httptest.NewServer(sample.NewServer(acct, liveToken))
	defer srv.Close()
	setLiveEnv(t, srv.URL, liveToken)

	out := t.TempDir()
	cmd := exec.Command("go", "run", "./kernel", "report", "-redact", "-timeout", "10m", "-out", out)
	cmd.Dir = ".."
	log, err := cmd.CombinedOutput()
	t.Logf("kernel report -redact:\n%s", log)
	if err != nil {
		t.Fatalf("report failed: %v", err)
	}
	files, err := filepath.Glob(filepath.Join(out, "*"))
	if err != nil || len(files) < 2*8+1 {
		t.Fatalf("report wrote %d files, want an .ipynb and .html per notebook and index.html", len(files))
	}
	secrets := identifiers(acct)
	for i := 0; i < len(files); i++ { // grows by the folders' files
		f := files[i]
		if fi, err := os.Stat(f); err == nil && fi.IsDir() { // a notebook's exports: its tables' CSVs
			exports, _ := filepath.Glob(filepath.Join(f, "*"))
			files = append(files, exports...)
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := withoutImages(string(data))
		text += "\n" + html.UnescapeString(text)
		if strings.Contains(text, liveToken) {
			t.Errorf("%s shows the token", filepath.Base(f))
		}
		for _, s := range secrets {
			if containsWhole(text, s) {
				t.Errorf("%s shows the identifier %q", filepath.Base(f), s)
			}
		}
	}
}

// identifiers returns the account's identifiers: keys, machine codes,
// friendly names, IPs and user ids.
func identifiers(acct *sample.Account) []string {
	seen := map[string]bool{}
	add := func(v string) {
		if len(v) >= 5 {
			seen[v] = true
		}
	}
	for _, r := range acct.WebAPI {
		add(r.Key)
		add(r.MachineCode)
		add(r.FriendlyName)
		add(r.IP)
	}
	for _, e := range acct.Events {
		add(e.Key)
		add(e.MachineCode)
	}
	for _, o := range acct.Objects {
		add(o.PerformedByUserID)
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	return out
}

// containsWhole reports whether v occurs in text not as part of a longer
// word or number (so user id 4021 is not found inside 40211).
func containsWhole(text, v string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], v)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(v)
		if !wordByte(text, start-1) && !wordByte(text, end) {
			return true
		}
		i = start + 1
	}
}

// wordByte reports whether text[i] exists and continues a word or number.
func wordByte(text string, i int) bool {
	if i < 0 || i >= len(text) {
		return false
	}
	c := text[i]
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// imageData matches base64 image payloads, whose random letters and digits
// could spell an id by chance.
var imageData = regexp.MustCompile(`(data:image/[a-z+]+;base64,|"image/png":\s*")[A-Za-z0-9+/=\\n]+`)

func withoutImages(s string) string { return imageData.ReplaceAllString(s, "$1") }

func TestContainsWhole(t *testing.T) {
	tests := []struct {
		text, v string
		want    bool
	}{
		{"user 40211 changed", "40211", true},
		{"user 402110 changed", "40211", false},
		{"ip 85.230.98.0,", "85.230.98.0", true},
		{"ip 185.230.98.0", "85.230.98.0", false},
		{`"asmith"`, "asmith", true},
		{"key-asmith2", "asmith", false},
	}
	for _, tt := range tests {
		if got := containsWhole(tt.text, tt.v); got != tt.want {
			t.Errorf("containsWhole(%q, %q) = %v, want %v", tt.text, tt.v, got, tt.want)
		}
	}
}
