package cryptolens_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/sample"
)

// echoToken has letters of both cases, digits and characters that
// percent-encoding and JSON treat specially.
const echoToken = "Tk9-Secret_Value.42+xY/z"

func TestEchoedTokenNeverLeaks(t *testing.T) {
	a := sample.Generate(sample.Options{Seed: 3, End: sampleEnd, WebAPIRows: 2000})
	for _, place := range []sample.EchoPlace{sample.EchoMessage, sample.EchoRedirect, sample.EchoHeader, sample.EchoField} {
		for _, sp := range sample.AllSpellings() {
			t.Run(place.String()+"/"+sp.String(), func(t *testing.T) {
				s := sample.NewServer(a, echoToken)
				s.SetLive(sample.Live{Echo: sample.Echo{In: place, Spelling: sp}})
				srv := httptest.NewServer(s)
				defer srv.Close()
				var observed []string
				c := &cryptolens.Client{BaseURL: srv.URL + "/api/", Token: echoToken,
					Retry:   cryptolens.RetryPolicy{Attempts: 2, MinDelay: time.Millisecond, MaxDelay: time.Millisecond},
					Observe: func(r cryptolens.Request) { observed = append(observed, fmt.Sprintf("%+v %v", r, r.Err)) }}
				_, err := c.Events(context.Background(), cryptolens.EventsQuery{Limit: 5})
				if err == nil {
					t.Fatal("no error from a server that answers every request with an error")
				}
				for _, text := range append([]string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)}, observed...) {
					if how, ok := sample.FindSpelling(text, echoToken); ok {
						t.Errorf("the token (%s) shows in %q", how, text)
					}
				}
			})
		}
	}
}
