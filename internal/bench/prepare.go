package bench

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/lenslog"
	"github.com/lenslog/lenslog/pkg/sample"
)

// benchData is one prepared size of the bench: the sample account, its
// server on loopback (for the sync steps), and the folder with the JSON
// pages and bench.json.
type benchData struct {
	cfg     benchConfig
	cfgPath string
	acct    *sample.Account
	srv     *sample.Server
	hs      *httptest.Server
	token   string
}

// prepareBench generates a sample account of about rows Web API rows,
// writes its Web API Log into dir as the API's own response bodies (one
// 1000-row page per file) and starts its server on loopback. token is the
// server's access token; empty means a random one. Call close when done.
func prepareBench(dir string, rows int, token string) (*benchData, error) {
	return prepare(dir, rows, token, true)
}

// prepareStore is prepareBench without the JSON pages: for a size at
// which only the store is measured.
func prepareStore(dir string, rows int, token string) (*benchData, error) {
	return prepare(dir, rows, token, false)
}

// prepare generates the sample account, writes its pages when asked, and
// starts its server.
func prepare(dir string, rows int, token string, pages bool) (*benchData, error) {
	if token == "" {
		token = randomToken()
	}
	// The history ends an hour ago, so rows a re-sync adds "now" fall after
	// the window the other steps load.
	end := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	acct := sample.Generate(sample.Options{End: end, WebAPIRows: rows})
	d := &benchData{acct: acct, srv: sample.NewServer(acct, token), token: token}
	d.cfg = benchConfig{
		Rows:     len(acct.WebAPI),
		Pages:    filepath.Join(dir, "pages"),
		Store:    filepath.Join(dir, "store"),
		Frame:    filepath.Join(dir, "pandas-frame.pkl"),
		WindowTo: end.Unix() + 1,
	}
	d.cfg.AuditKey, d.cfg.AuditSeats = busiestFloatingKey(acct)
	if pages {
		if err := d.writePages(); err != nil {
			return nil, err
		}
	}
	d.cfgPath = filepath.Join(dir, "bench.json")
	b, err := json.MarshalIndent(d.cfg, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(d.cfgPath, b, 0o600); err != nil {
		return nil, fmt.Errorf("writing the bench config: %w", err)
	}
	d.hs = httptest.NewServer(d.srv)
	return d, nil
}

// close stops the server and lets go of the account.
func (d *benchData) close() {
	if d.hs != nil {
		d.hs.Close()
		d.hs = nil
	}
	d.acct, d.srv = nil, nil
}

// syncEnv is the environment a sync step needs: the server's URL and
// token. It goes to the child in its environment, never on a command line.
func (d *benchData) syncEnv() []string {
	return []string{lenslog.EnvAPIURL + "=" + d.hs.URL + "/api/", lenslog.EnvToken + "=" + d.token}
}

// writePages asks the server for every 1000-row page of the Web API Log,
// oldest first, as a client paging with StartingAfter does, and writes
// each response body as it came.
func (d *benchData) writePages() error {
	if err := os.MkdirAll(d.cfg.Pages, 0o700); err != nil {
		return err
	}
	rows := d.acct.WebAPI
	var after int64
	for page := 1; len(rows) > 0; page++ {
		n := min(len(rows), cryptolens.MaxWebAPILogLimit)
		body, err := d.page(after)
		if err != nil {
			return fmt.Errorf("page %d: %w", page, err)
		}
		name := filepath.Join(d.cfg.Pages, fmt.Sprintf("page-%06d.json", page))
		if err := os.WriteFile(name, body, 0o600); err != nil {
			return fmt.Errorf("writing the JSON pages: %w", err)
		}
		d.cfg.PageCount++
		d.cfg.PageBytes += int64(len(body))
		after = rows[n-1].ID
		rows = rows[n:]
	}
	return nil
}

// page returns the server's response body for one GetWebAPILog request.
func (d *benchData) page(after int64) ([]byte, error) {
	url := "/api/ai/GetWebAPILog?token=" + d.token + "&Limit=" + strconv.Itoa(cryptolens.MaxWebAPILogLimit) +
		"&StartingAfter=" + strconv.FormatInt(after, 10)
	rec := httptest.NewRecorder()
	d.srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, url, nil))
	if rec.Code != http.StatusOK {
		return nil, fmt.Errorf("sample server answered %d", rec.Code)
	}
	return rec.Body.Bytes(), nil
}

// busiestFloatingKey picks the license the seat audit replays: the
// floating key with the most requests, the audit's hardest case.
func busiestFloatingKey(acct *sample.Account) (key string, seats int) {
	best := -1
	for _, l := range acct.FloatingKeys() {
		if n := acct.Requests(l.Key); n > best {
			best, key, seats = n, l.Key, l.MaxNoOfMachines
		}
	}
	return key, seats
}

// randomToken returns a fresh token for the sample server.
func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}
