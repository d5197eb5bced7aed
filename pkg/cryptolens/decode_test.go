package cryptolens

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

func TestDecodeWebAPILogPage(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []WebAPILogRow
	}{
		{"empty page", `{"result":0,"message":null,"logs":[]}`, []WebAPILogRow{}},
		{"null logs", `{"result":0,"message":null,"logs":null}`, nil},
		{"all fields", `{"result":0,"message":"","logs":[{"id":7,"productId":3,"key":"AAAA-BBBB","ip":"85.230.98.0",
			"time":1700000000,"state":2014,"machineCode":"mc","friendlyName":"alice","floatingExpires":1700000300,
			"doIntValue":-5,"doId":9,"isAnomaly":true,"anomalyProperties":{"reason":"burst","n":[1,2]}}]}`,
			[]WebAPILogRow{{ID: 7, ProductID: 3, Key: "AAAA-BBBB", IP: "85.230.98.0", Time: 1700000000, State: 2014,
				MachineCode: "mc", FriendlyName: "alice", FloatingExpires: 1700000300, DOIntValue: -5, DOID: 9,
				IsAnomaly: true, AnomalyProperties: `{"reason":"burst","n":[1,2]}`}}},
		{"nulls everywhere", `{"result":0,"message":null,"logs":[{"id":1,"productId":null,"key":null,"ip":null,
			"time":null,"state":null,"machineCode":null,"friendlyName":null,"floatingExpires":null,"doIntValue":null,
			"doId":null,"isAnomaly":null,"anomalyProperties":null}]}`, []WebAPILogRow{{ID: 1}}},
		{"null row", `{"result":0,"logs":[null,{"id":2}]}`, []WebAPILogRow{{}, {ID: 2}}},
		{"unknown fields of every kind", `{"result":0,"new":{"deep":[[[{"x":"]}"}]]]},"logs":[{"id":1,
			"u1":"s","u2":-0.5e-7,"u3":[],"u4":{},"u5":true,"u6":false,"u7":null,"u8":[{"a":{"b":[1]}}],"key":"k"}],"zz":1}`,
			[]WebAPILogRow{{ID: 1, Key: "k"}}},
		{"escapes", `{"result":0,"logs":[{"id":1,"friendlyName":"a\"b\\c\/d\b\f\n\r\t\u00e9\u6771\uD83D\uDE00",
			"key":"\ud800x\udc00\ud800\u0041"}]}`,
			[]WebAPILogRow{{ID: 1, FriendlyName: "a\"b\\c/d\b\f\n\r\té東😀", Key: "\uFFFDx\uFFFD\uFFFDA"}}},
		{"invalid UTF-8 replaced per byte", "{\"result\":0,\"logs\":[{\"id\":1,\"key\":\"a\xff\xfeb\"}]}",
			[]WebAPILogRow{{ID: 1, Key: "a\uFFFD\uFFFDb"}}},
		{"keys in other cases and escaped", `{"RESULT":0,"Logs":[{"ID":5,"MachineCODE":"m","\u0073tate":2024}]}`,
			[]WebAPILogRow{{ID: 5, MachineCode: "m", State: 2024}}},
		{"last repeated key wins, null keeps", `{"result":0,"logs":[{"id":1,"id":2,"key":"a","key":null}]}`,
			[]WebAPILogRow{{ID: 2, Key: "a"}}},
		{"extreme integers", `{"result":0,"logs":[{"id":9223372036854775807,"doIntValue":-9223372036854775808,"doId":-0}]}`,
			[]WebAPILogRow{{ID: 9223372036854775807, DOIntValue: -9223372036854775808}}},
		{"anomaly properties as string", `{"result":0,"logs":[{"id":1,"anomalyProperties":"{\"a\":1}"}]}`,
			[]WebAPILogRow{{ID: 1, AnomalyProperties: `{"a":1}`}}},
		{"whitespace", " \t\r\n{ \"result\" : 0 , \"logs\" : [ { \"id\" : 3 } ] } \n",
			[]WebAPILogRow{{ID: 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeWebAPILogPage([]byte(tt.body))
			if err != nil {
				t.Fatalf("DecodeWebAPILogPage: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestDecodeWebAPILogPageErrors(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		want   string // the error text must contain this
		syntax bool   // a *DecodeError with Syntax set
		is     error  // else errors.Is must hold for this
	}{
		{"wrong type names row and id", `{"result":0,"logs":[{"id":1},{"id":123456,"state":"2014"}]}`,
			`logs[1] (id 123456): field "state": want number, got string`, false, nil},
		{"id after the bad field", `{"result":0,"logs":[{"key":5,"id":77}]}`,
			`logs[0] (id 77): field "key": want string, got number`, false, nil},
		{"no id at all", `{"result":0,"logs":[{"isAnomaly":1}]}`,
			`logs[0]: field "isAnomaly": want bool, got number`, false, nil},
		{"fraction for an integer", `{"result":0,"logs":[{"id":1,"time":1.5}]}`,
			`field "time": want integer, got number 1.5`, false, nil},
		{"exponent for an integer", `{"result":0,"logs":[{"id":1e3}]}`, `want integer, got number 1e3`, false, nil},
		{"overflow", `{"result":0,"logs":[{"id":9223372036854775808}]}`, `overflows int64`, false, nil},
		{"row not an object", `{"result":0,"logs":[1]}`, `logs[0]: want object, got number`, false, nil},
		{"logs not an array", `{"result":0,"logs":{}}`, `field "logs": want array, got object`, false, nil},
		{"result not a number", `{"result":"0","logs":[]}`, `field "result": want number, got string`, false, nil},
		{"body not an object", `[{"id":1}]`, `want object, got array`, false, nil},
		{"truncated", `{"result":0,"logs":[{"id":1,"key":"ab`, `logs[0] (id 1): field "key": invalid JSON: unexpected end of input`, true, nil},
		{"truncated after row", `{"result":0,"logs":[{"id":1}`, `unexpected end of input`, true, nil},
		{"html", `<html>502 Bad Gateway</html>`, `invalid JSON: unexpected '<'`, true, nil},
		{"empty body", ``, `unexpected end of input`, true, nil},
		{"trailing garbage", `{"result":0,"logs":[]} x`, `after top-level value`, true, nil},
		{"leading zero", `{"result":0,"logs":[{"id":01}]}`, `after leading zero`, true, nil},
		{"bad escape", `{"result":0,"logs":[{"key":"\x"}]}`, `invalid escape`, true, nil},
		{"control character", "{\"result\":0,\"logs\":[{\"key\":\"a\nb\"}]}", `control character`, true, nil},
		{"bad literal", `{"result":0,"logs":[{"isAnomaly":tru}]}`, `in literal true`, true, nil},
		{"bad unknown value", `{"result":0,"logs":[{"x":[1,]}]}`, `looking for beginning of value`, true, nil},
		{"missing colon", `{"result" 0}`, `after object key`, true, nil},
		{"unauthenticated", `{"result":1,"message":"Unable to authenticate"}`, "Unable to authenticate", false, ErrUnauthenticated},
		{"access denied", `{"result":1,"message":"Access denied"}`, "Access denied", false, ErrAccessDenied},
		{"not enough permission", `{"result":1,"message":"Not enough permission and/or key not found."}`, "Not enough permission", false, ErrAccessDenied},
		{"bad input", `{"result":1,"message":"The input parameters were incorrect."}`, "incorrect", false, ErrBadInput},
		{"no subscription", `{"result":1,"message":"No active subscription found. Please contact support."}`, "No active subscription", false, ErrNoSubscription},
		{"something went wrong", `{"result":1,"message":"Something went wrong. Please contact support@cryptolens.io"}`, "Something went wrong", false, ErrTransient},
		{"message only", `{"message":"An error has occurred."}`, "only a message: An error has occurred.", false, ErrTransient},
		{"no logs", `{"result":0,"message":null}`, `no "logs" array`, false, ErrTransient},
		{"null body", `null`, `no "result"`, false, ErrTransient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := DecodeWebAPILogPage([]byte(tt.body))
			if err == nil {
				t.Fatalf("got rows %+v, want an error containing %q", rows, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			var de *DecodeError
			if isDecode := errors.As(err, &de); tt.is == nil && !isDecode {
				t.Errorf("error %v is not a *DecodeError", err)
			} else if isDecode && de.Syntax != tt.syntax {
				t.Errorf("Syntax = %v, want %v", de.Syntax, tt.syntax)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
		})
	}
}

func TestDecodeUnknownAPIError(t *testing.T) {
	_, err := DecodeEventsPage([]byte(`{"result":1,"message":"Brand new failure"}`))
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("got %v, want an *APIError", err)
	}
	if apiErr.Err != nil || apiErr.Message != "Brand new failure" || apiErr.Method != "GetEvents" {
		t.Errorf("got %#v", *apiErr)
	}
}

func TestDecodeEventsPage(t *testing.T) {
	body := `{"result":0,"message":null,"events":[{"id":1,"productId":2,"key":"K","machineCode":null,
		"featureName":"export","eventName":"purchase","time":1700000000,"value":2530,"currency":"USD",
		"metadata":"{\"os\":\"Linux\"}","newField":[1]}]}`
	want := []Event{{ID: 1, ProductID: 2, Key: "K", FeatureName: "export", EventName: "purchase",
		Time: 1700000000, Value: 2530, Currency: "USD", Metadata: `{"os":"Linux"}`}}
	got, err := DecodeEventsPage([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	_, err = DecodeEventsPage([]byte(`{"result":0,"events":[{"id":4,"value":"25.30"}]}`))
	if err == nil || !strings.Contains(err.Error(), `events[0] (id 4): field "value": want number, got string`) {
		t.Errorf("got %v", err)
	}
}

func TestDecodeObjectLogPage(t *testing.T) {
	body, err := os.ReadFile("testdata/objectlog_page.json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeObjectLogPage(body)
	if err != nil {
		t.Fatal(err)
	}
	var want struct{ Events []ObjectLogEntry }
	if err := json.Unmarshal(body, &want); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || !reflect.DeepEqual(got, want.Events) {
		t.Errorf("got  %+v\nwant %+v", got, want.Events)
	}
	if got[1].ResourceAction != ActionUpdated || got[1].Data != `{"Notes":["old","new"]}` {
		t.Errorf("row 1 = %+v", got[1])
	}
	_, err = DecodeObjectLogPage([]byte(`{"result":0,"events":[{"id":4,"performedByUserId":12}]}`))
	if err == nil || !strings.Contains(err.Error(), `events[0] (id 4): field "performedByUserId": want string, got number`) {
		t.Errorf("got %v", err)
	}
}

// TestDecodeMatchesEncodingJSON cross-checks the decoders against
// encoding/json on many generated pages.
func TestDecodeMatchesEncodingJSON(t *testing.T) {
	n := 200
	if testing.Short() {
		n = 30
	}
	for seed := range uint64(n) {
		rng := rand.New(rand.NewPCG(seed, 7))
		rows := genWebAPIRows(rng, int64(seed*1000+1), rng.IntN(60))
		for _, body := range [][]byte{pageJSON(t, "logs", rows), noisyWebAPIPage(rng, rows)} {
			got, err := DecodeWebAPILogPage(body)
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			assertSameAsJSON(t, body, got)
		}
		evs := genEvents(rng, 1, rng.IntN(30))
		gotEv, err := DecodeEventsPage(pageJSON(t, "events", evs))
		if err != nil || !reflect.DeepEqual(gotEv, evs) {
			t.Fatalf("seed %d: events differ (err %v)", seed, err)
		}
		objs := genObjects(rng, 1, rng.IntN(30))
		gotObj, err := DecodeObjectLogPage(pageJSON(t, "events", objs))
		if err != nil || !reflect.DeepEqual(gotObj, objs) {
			t.Fatalf("seed %d: object log differs (err %v)", seed, err)
		}
	}
}

// assertSameAsJSON decodes body with encoding/json and compares.
func assertSameAsJSON(t *testing.T, body []byte, got []WebAPILogRow) {
	t.Helper()
	var want struct{ Logs []WebAPILogRow }
	if err := json.Unmarshal(body, &want); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	if len(got) == 0 && len(want.Logs) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want.Logs) {
		t.Fatalf("differs from encoding/json on\n%s\ngot  %+v\nwant %+v", body, got, want.Logs)
	}
}

// TestStringTable checks that the table returns equal strings, shares one
// copy per distinct value while it holds it, keeps finding old strings as
// it grows, and starts over instead of growing past maxSlots.
func TestStringTable(t *testing.T) {
	var tab stringTable
	name := func(i int) []byte { return []byte("value-" + strconv.Itoa(i)) }
	first := map[int]string{}
	const distinct = maxSlots*3/4 - 1 // the most it holds
	for i := range distinct {
		s := tab.get(name(i))
		if s != string(name(i)) {
			t.Fatalf("get(%q) = %q", name(i), s)
		}
		first[i] = s
	}
	if len(tab.slots) != maxSlots {
		t.Fatalf("%d slots after %d strings, want %d", len(tab.slots), distinct, maxSlots)
	}
	for _, i := range []int{0, 1, 777, distinct / 2, distinct - 2} {
		if s := tab.get(name(i)); unsafe.StringData(s) != unsafe.StringData(first[i]) {
			t.Errorf("string %d was copied again after the table grew", i)
		}
	}
	// One more fills the largest table: it starts over, and keeps working.
	tab.get(name(distinct))
	if tab.n != 0 || len(tab.slots) != maxSlots {
		t.Fatalf("after overflow: %d strings in %d slots, want a cleared table of %d", tab.n, len(tab.slots), maxSlots)
	}
	if s := tab.get(name(5)); s != string(name(5)) {
		t.Fatalf("get after starting over = %q", s)
	}
}
