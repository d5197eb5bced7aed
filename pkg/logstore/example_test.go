package logstore_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/logstore"
	"github.com/lenslog/lenslog/pkg/sample"
)

// Sync a store from the sample account's server, load the last 30 days,
// and sync again: with nothing new that is one request per log.
func Example() {
	end := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	acct := sample.Generate(sample.Options{End: end, WebAPIRows: 5000})
	srv := httptest.NewServer(sample.NewServer(acct, "token"))
	defer srv.Close()
	c := cryptolens.New("token")
	c.BaseURL = srv.URL + "/api/"

	dir, _ := os.MkdirTemp("", "lenslog-example")
	defer os.RemoveAll(dir)
	store, err := logstore.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := store.Sync(ctx, c, logstore.SyncOptions{}); err != nil {
		log.Fatal(err)
	}
	last30 := logs.Window{From: end.Add(-30 * 24 * time.Hour)}
	api, err := store.WebAPI(last30)
	if err != nil {
		log.Fatal(err)
	}
	want := 0
	for _, r := range acct.WebAPI {
		if last30.Contains(r.RowTime()) {
			want++
		}
	}
	fmt.Println("loaded the last 30 days:", api.Len() == want && want > 0)

	again, err := store.Sync(ctx, c, logstore.SyncOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range again {
		fmt.Println(r) // the line kernel sync prints
	}
	// Output:
	// loaded the last 30 days: true
	// webapi: +0 rows, 1 request, 16,395 total
	// events: +0 rows, 1 request, 888 total
	// objects: +0 rows, 1 request, 241 total
}

func ExampleSyncResult_String() {
	fmt.Println(logstore.SyncResult{Log: logstore.Events, NewRows: 1200, Requests: 13, Total: 48200})
	fmt.Println(logstore.SyncResult{Log: logstore.WebAPI, NewRows: 1, Requests: 1, Total: 183053})
	// Output:
	// events: +1,200 rows, 13 requests, 48,200 total
	// webapi: +1 row, 1 request, 183,053 total
}

func ExampleParseLog() {
	for _, s := range []string{"webapi", "audit"} {
		l, err := logstore.ParseLog(s)
		fmt.Printf("%q %v\n", l, err)
	}
	// Output:
	// "webapi" <nil>
	// "" logstore: unknown log "audit" (want webapi, events or objects)
}
