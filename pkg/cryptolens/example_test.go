package cryptolens_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// exampleServer serves a ten-row Web API Log, one row a minute, newest
// first from EndingBefore, as Cryptolens does.
func exampleServer() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		if r.PostForm.Get("token") != "my-token" {
			fmt.Fprint(w, `{"result":1,"message":"Unable to authenticate"}`)
			return
		}
		limit, _ := strconv.Atoi(r.PostForm.Get("Limit"))
		before, _ := strconv.Atoi(r.PostForm.Get("EndingBefore"))
		if before == 0 {
			before = 11
		}
		fmt.Fprint(w, `{"result":0,"message":null,"logs":[`)
		for id, n := before-1, 0; id >= 1 && n < limit; id, n = id-1, n+1 {
			if n > 0 {
				fmt.Fprint(w, ",")
			}
			state := 2014
			if id%4 == 0 {
				state = 2024
			}
			fmt.Fprintf(w, `{"id":%d,"key":"ABCDE-FGHIJ","time":%d,"state":%d,"machineCode":null}`,
				id, 1700000000+60*id, state)
		}
		fmt.Fprint(w, `]}`)
	}))
}

// Read the last five minutes of the Web API Log, newest first, in pages of
// three rows.
func ExampleClient_WebAPILogBackward() {
	srv := exampleServer()
	defer srv.Close()

	c := cryptolens.New("my-token")
	c.BaseURL = srv.URL + "/api/" // or set $CRYPTOLENS_API_URL
	since := time.Unix(1700000000+60*6, 0)
	for page, err := range c.WebAPILogBackward(context.Background(), cryptolens.WebAPILogQuery{Limit: 3}, since) {
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, r := range page {
			fmt.Println(r.ID, r.RowTime().Format(time.TimeOnly), r.State, r.State.Outcome())
		}
		fmt.Println("--")
	}
	// Output:
	// 10 22:23:20 2014 Success
	// 9 22:22:20 2014 Success
	// 8 22:21:20 2024 Failure
	// --
	// 7 22:20:20 2014 Success
	// 6 22:19:20 2014 Success
	// 5 22:18:20 2014 Success
	// --
}

// Errors from the server unwrap to sentinels and never show the token.
func ExampleAPIError() {
	srv := exampleServer()
	defer srv.Close()

	c := &cryptolens.Client{BaseURL: srv.URL + "/api", Token: "wrong-token"}
	_, err := c.WebAPILog(context.Background(), cryptolens.WebAPILogQuery{})
	fmt.Println(errors.Is(err, cryptolens.ErrUnauthenticated))
	fmt.Println(err)
	c.BaseURL = cryptolens.DefaultBaseURL
	fmt.Printf("%+v\n", c)
	// Output:
	// true
	// cryptolens: GetWebAPILog: Unable to authenticate (check the access token)
	// cryptolens.Client{BaseURL: "https://api.cryptolens.io/api/", Token: [token redacted]}
}

func ExampleState_Description() {
	for _, s := range []cryptolens.State{2015, 2024, 1010, 7023, 4031} {
		fmt.Printf("%v %v: %s\n", s, s.Group(), s.Description())
	}
	// Output:
	// 2015 activation: floating activation succeeded over the seat limit (overdraft)
	// 2024 activation: floating activation failed: no free seat (device limit reached)
	// 1010 validation: validation succeeded
	// 7023 license change: license change failed (code 7023: detail not documented)
	// 4031 optional field: optional field, outcome unknown (code 4031: detail not documented)
}

func ExampleDecodeWebAPILogPage() {
	rows, err := cryptolens.DecodeWebAPILogPage([]byte(`{"result":0,"message":null,"logs":[
		{"id":17,"productId":3,"key":"ABCDE","time":1700000000,"state":2014,"machineCode":null,
		 "friendlyName":"Zo\u00eb","newField":{"ignored":true}}]}`))
	fmt.Printf("%+v %v\n", rows, err)

	_, err = cryptolens.DecodeWebAPILogPage([]byte(`{"result":0,"logs":[{"id":17},{"id":18,"state":"2015"}]}`))
	fmt.Println(err)
	// Output:
	// [{ID:17 ProductID:3 Key:ABCDE IP: Time:1700000000 State:2014 MachineCode: FriendlyName:Zoë FloatingExpires:0 DOIntValue:0 DOID:0 IsAnomaly:false AnomalyProperties:}] <nil>
	// cryptolens: decode GetWebAPILog page: logs[1] (id 18): field "state": want number, got string (byte 47)
}

func ExampleToken() {
	tok := cryptolens.Token("a-secret-access-token")
	fmt.Println(tok)
	fmt.Printf("%#v %q\n", tok, tok)
	// Output:
	// [token redacted]
	// [token redacted] [token redacted]
}

func ExampleTimeFilter() {
	f := cryptolens.TimeFilter{GTE: 1700000000, LT: 1700086400}
	fmt.Println(f)
	// Output: {"gte":1700000000,"lt":1700086400}
}
