package sample_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/sample"
)

// A notebook generates the sample account, picks the busiest floating key
// for a seat audit and finds the planted facts.
func ExampleGenerate() {
	a := sample.Generate(sample.Options{End: time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC), WebAPIRows: 20_000})
	for _, p := range a.Products {
		fmt.Println(p.ID, p.Name)
	}
	key := a.FloatingKeys()[0]
	fmt.Println("floating:", key.Floating, "seats:", key.MaxNoOfMachines > 0)
	fmt.Println("burst state:", a.Planted.BurstState, "silent keys:", len(a.Planted.SilentKeys))
	// Output:
	// 3349 PixelForge Studio
	// 3350 PixelForge CLI
	// 4812 RenderGrid Server
	// 5377 FieldNotes Mobile
	// floating: true seats: true
	// burst state: 2024 silent keys: 3
}

// The server speaks the Cryptolens wire protocol: here the three newest
// rows, as the Python SDK would ask for them.
func ExampleNewServer() {
	a := sample.Generate(sample.Options{End: time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC), WebAPIRows: 20_000})
	srv := httptest.NewServer(sample.NewServer(a, "my-token"))
	defer srv.Close()

	resp, err := http.PostForm(srv.URL+"/api/ai/getwebapilog", url.Values{
		"token": {"my-token"}, "Limit": {"3"}, "EndingBefore": {"0"}, "OrderBy": {"Id descending"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var page struct {
		Result  int                       `json:"result"`
		Message *string                   `json:"message"`
		Logs    []cryptolens.WebAPILogRow `json:"logs"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		fmt.Println(err)
		return
	}
	newest := a.WebAPI[len(a.WebAPI)-1]
	fmt.Println("result:", page.Result, "rows:", len(page.Logs), "newest first:", page.Logs[0].ID == newest.ID)
	// Output:
	// result: 0 rows: 3 newest first: true
}

// A live-like account for a test: rows keep arriving, a second token may
// read the logs but not Usage Analytics, and the server has no Object Log.
func ExampleServer_SetLive() {
	a := sample.Generate(sample.Options{End: time.Now(), WebAPIRows: 20_000})
	s := sample.NewServer(a, "owner-token")
	s.SetLive(sample.Live{
		Every: 10 * time.Millisecond, WebAPIRows: 2, Events: 1,
		Tokens:  map[string][]string{"reader-token": {"GetWebAPILog", "GetEvents"}},
		Missing: []string{"GetObjectLog"},
	})
	srv := httptest.NewServer(s)
	defer srv.Close()

	ask := func(method, token string) string {
		resp, err := http.PostForm(srv.URL+"/api/ai/"+method, url.Values{"token": {token}, "Limit": {"1000"},
			"StartingAfter": {fmt.Sprint(a.WebAPI[len(a.WebAPI)-1].ID)}})
		if err != nil {
			return err.Error()
		}
		defer resp.Body.Close()
		var page struct {
			Message string                    `json:"message"`
			Logs    []cryptolens.WebAPILogRow `json:"logs"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&page)
		return fmt.Sprintf("%d %q new rows: %v", resp.StatusCode, page.Message, len(page.Logs) > 0)
	}
	time.Sleep(50 * time.Millisecond)
	fmt.Println("GetWebAPILog:", ask("GetWebAPILog", "reader-token"))
	fmt.Println("GetKeyDevices:", ask("GetKeyDevices", "reader-token"))
	fmt.Println("GetObjectLog:", ask("GetObjectLog", "owner-token"))
	fmt.Println("unknown token:", ask("GetEvents", "guess"))
	// Output:
	// GetWebAPILog: 200 "" new rows: true
	// GetKeyDevices: 200 "Access denied" new rows: false
	// GetObjectLog: 404 "No HTTP resource was found that matches the request URI." new rows: false
	// unknown token: 200 "Unable to authenticate" new rows: false
}
