package cryptolens

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// The fuzz tests check that the decoders never panic and that whenever
// encoding/json accepts a body into the same structs, both agree. The one
// input class skipped is a repeated payload key, where the semantics differ
// on purpose (see pages.go).

func FuzzDecodeWebAPILogPage(f *testing.F) {
	rng := rand.New(rand.NewPCG(1, 2))
	rows := genWebAPIRows(rng, 1, 3)
	f.Add(pageJSON(f, "logs", rows))
	f.Add(noisyWebAPIPage(rng, rows))
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		env, got, err := decodeWebAPILog(body)
		var want struct {
			Result  int
			Message string
			Logs    []WebAPILogRow
		}
		compareWithJSON(t, body, "logs", err, json.Unmarshal(body, &want))
		compareEnvelope(t, env, want.Result, want.Message)
		compareRows(t, got, want.Logs)
		checkDecoder(t, body, DecodeWebAPILogPage, (*Decoder).AppendWebAPILog)
	})
}

func FuzzDecodeEventsPage(f *testing.F) {
	rng := rand.New(rand.NewPCG(3, 4))
	f.Add(pageJSON(f, "events", genEvents(rng, 1, 3)))
	for _, s := range fuzzSeeds {
		f.Add([]byte(bytes.ReplaceAll([]byte(s), []byte(`"logs"`), []byte(`"events"`))))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		env, got, err := decodeEvents(body)
		var want struct {
			Result  int
			Message string
			Events  []Event
		}
		compareWithJSON(t, body, "events", err, json.Unmarshal(body, &want))
		compareEnvelope(t, env, want.Result, want.Message)
		compareRows(t, got, want.Events)
		checkDecoder(t, body, DecodeEventsPage, (*Decoder).AppendEvents)
	})
}

func FuzzDecodeObjectLogPage(f *testing.F) {
	rng := rand.New(rand.NewPCG(5, 6))
	f.Add(pageJSON(f, "events", genObjects(rng, 1, 3)))
	f.Add([]byte(`{"result":0,"events":[{"id":1,"resourceType":null,"performedByUserId":"\u00e9","data":"{}"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		env, got, err := decodeObjectLog(body)
		var want struct {
			Result  int
			Message string
			Events  []ObjectLogEntry
		}
		compareWithJSON(t, body, "events", err, json.Unmarshal(body, &want))
		compareEnvelope(t, env, want.Result, want.Message)
		compareRows(t, got, want.Events)
		checkDecoder(t, body, DecodeObjectLogPage, (*Decoder).AppendObjectLog)
	})
}

// checkDecoder decodes a copy of body with a Decoder, appending to one row
// already there, and checks that it agrees with decode (the decoder that
// owns its body) and that overwriting the copy afterwards changes none of
// the rows: a Decoder keeps nothing of the body.
func checkDecoder[T any](t *testing.T, body []byte, decode func([]byte) ([]T, error),
	appendPage func(*Decoder, []T, []byte) ([]T, error)) {
	t.Helper()
	want, wantErr := decode(body)
	var dec Decoder
	buf := bytes.Clone(body)
	got, err := appendPage(&dec, make([]T, 1), buf)
	if fmt.Sprint(err) != fmt.Sprint(wantErr) {
		t.Fatalf("Decoder error %v, Decode*Page error %v", err, wantErr)
	}
	if len(got) != 1+len(want) {
		t.Fatalf("Decoder appended %d rows to 1, Decode*Page decoded %d", len(got), len(want))
	}
	before := fmt.Sprintf("%#v", got)
	for i := range buf {
		buf[i] = 'x'
	}
	if after := fmt.Sprintf("%#v", got); after != before {
		t.Fatalf("rows changed when the body was overwritten:\n%s\n%s", before, after)
	}
	for i := range want {
		if !reflect.DeepEqual(got[1+i], want[i]) {
			t.Fatalf("row %d: Decoder %+v, Decode*Page %+v", i, got[1+i], want[i])
		}
	}
}

var fuzzSeeds = []string{
	`{"result":0,"message":null,"logs":[]}`,
	`{"result":1,"message":"Access denied"}`,
	`{"result":0,"logs":[null,{"id":1,"key":null,"ip":"\ud83d\ude00\ud800","state":2014}]}`,
	`{"RESULT":0,"Logs":[{"ID":5,"\u0073tate":2024,"x":{"y":[1,2.5e3,true]}}]}`,
	`{"result":0,"logs":[{"id":1,"anomalyProperties":"{}","isAnomaly":false}]}`,
	"{\"result\":0,\"logs\":[{\"key\":\"\xff\"}]}",
	`{"result":0,"logs":[{"id":-0,"time":1e3}]}`,
	`null`,
	`{"result":0,"logs":[{"id":1}],"logs":[{"key":"a"}]}`,
}

// compareWithJSON skips the inputs encoding/json rejects, or where the
// semantics differ on purpose, and fails when only the decoder rejects.
func compareWithJSON(t *testing.T, body []byte, array string, err, jsonErr error) {
	t.Helper()
	if jsonErr != nil || repeatedKey(body, array) {
		t.SkipNow()
	}
	if err != nil {
		t.Fatalf("encoding/json accepts %q, decoder says %v", body, err)
	}
}

func compareEnvelope(t *testing.T, env envelope, result int, message string) {
	t.Helper()
	if env.result != result || env.message != message {
		t.Fatalf("envelope result %d message %q, encoding/json %d %q", env.result, env.message, result, message)
	}
}

func compareRows[T any](t *testing.T, got, want []T) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows differ:\ngot  %+v\nwant %+v", got, want)
	}
}

// repeatedKey reports whether the top-level object of a valid JSON body
// has the key array (in any case) more than once.
func repeatedKey(body []byte, array string) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
	n := 0
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if k, _ := tok.(string); bytes.EqualFold([]byte(k), []byte(array)) {
			n++
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return false
		}
	}
	return n > 1
}
