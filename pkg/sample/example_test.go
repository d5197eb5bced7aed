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
