package logs

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

func TestPseudonymsCarry64Bits(t *testing.T) {
	r := NewRedactor([]byte("0123456789abcdef"))
	if p := r.Key("AAAAA-BBBBB-CCCCC-DDDDD"); !regexp.MustCompile(`^key-[0-9a-z]{13}$`).MatchString(p) {
		t.Errorf("key pseudonym %q: want key- and 13 base32 characters (64 bits)", p)
	}
	if p := r.Text("10.1.2.3"); !regexp.MustCompile(`^ip-[0-9a-z]{13}$`).MatchString(p) {
		t.Errorf("IP pseudonym %q: want ip- and 13 base32 characters (64 bits)", p)
	}
	obj := &Objects{}
	for id := range int64(200) {
		obj.Append(cryptolens.ObjectLogEntry{ID: id + 1, ObjectOwnerUserID: 1000 + id})
	}
	r.Objects(obj)
	seen, wide := map[int64]bool{}, 0
	for _, p := range obj.ObjectOwnerUserID {
		if p <= 0 || seen[p] {
			t.Fatalf("user id pseudonym %d is not positive or not unique", p)
		}
		seen[p] = true
		if p >= 1<<56 {
			wide++
		}
	}
	if wide < 150 { // of 200 uniform 63-bit numbers, about 197 lie above 2^56
		t.Errorf("only %d of 200 user id pseudonyms use the top bits: not 63-bit pseudonyms", wide)
	}
}

// knownTables are the tables a case's Redactor learns first, as an
// Account's loads would give it.
type knownTables struct {
	machine, name, key, ip string // one Web API row's identifiers
	owner                  int64  // an Object Log owner user id
}

func TestRedactFreeText(t *testing.T) {
	tests := []struct {
		name  string
		known knownTables
		in    string
		gone  []string // must not survive
		kept  []string // must survive as they are
	}{
		{name: "machine code under a field of another name", known: knownTables{machine: "HX7731"},
			in: `{"Dev":"HX7731","OS":"Windows 11"}`, gone: []string{"HX7731"}, kept: []string{`"OS":"Windows 11"`}},
		{name: "friendly name inside a sentence", known: knownTables{name: "Ann's laptop"},
			in: `{"Note":"moved from Ann's laptop, today"}`, gone: []string{"Ann's laptop"}, kept: []string{"moved from", ", today"}},
		{name: "learned key of any shape", known: knownTables{key: "zz9"},
			in: `{"Ref":"zz9"}`, gone: []string{"zz9"}},
		{name: "key with digits in its groups", in: `{"Lic":"MYAPP-2024-77X1","Other":"9f8e-77aa-bb01"}`,
			gone: []string{"MYAPP-2024-77X1", "9f8e-77aa-bb01"}},
		{name: "key hidden by a JSON escape", in: `{"k":"\u0041BCDE-FGHIJ-KLMNO-PQRST"}`,
			gone: []string{"BCDE-FGHIJ"}},
		{name: "IPv6 address", in: `{"from":"2001:db8::7"}`, gone: []string{"2001:db8::7"}},
		{name: "learned IP under another name", known: knownTables{ip: "10.9.8.7"},
			in: `{"src":"10.9.8.7"}`, gone: []string{"10.9.8.7"}},
		{name: "user id as a number", known: knownTables{owner: 24817},
			in: `{"By":24817,"Quantity":1}`, gone: []string{"24817"}, kept: []string{`"Quantity":1`}},
		{name: "user id as a string", known: knownTables{owner: 24817},
			in: `{"Who":"24817"}`, gone: []string{"24817"}},
		{name: "e-mail under any name", in: `{"x":["bo@x.example"]}`, gone: []string{"bo@x.example"}},
		{name: "hash-like machine code", in: `{"h":"3f9a2c1b0e4d5a6c7b8a9d0e"}`, gone: []string{"3f9a2c1b0e4d5a6c7b8a9d0e"}},
		{name: "identifier as a member name", known: knownTables{machine: "HX7731"},
			in: `{"HX7731":{"seen":2}}`, gone: []string{"HX7731"}, kept: []string{`"seen":2`}},
		{name: "plain text", known: knownTables{machine: "HX7731"},
			in: `machine HX7731 at 10.0.0.7.`, gone: []string{"HX7731", "10.0.0.7"}, kept: []string{"machine ", " at "}},
		{name: "ordinary values stay", known: knownTables{machine: "m1"},
			in:   `{"MaxNoOfMachines":[3,5],"ExpirationDate":["2026-11-05","2027-11-05"],"Notes":["","Invoice 1234"],"Arch":"x64","m":"item1"}`,
			kept: []string{`[3,5]`, `"2026-11-05"`, `"Invoice 1234"`, `"x64"`, `"item1"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRedactor([]byte("0123456789abcdef"))
			learnFrom(r, tt.known)
			ev := &Events{}
			ev.Append(cryptolens.Event{ID: 1, Metadata: tt.in})
			out := r.Events(ev).Metadata[0]
			for _, g := range tt.gone {
				if strings.Contains(out, g) {
					t.Errorf("%q survived: %s", g, out)
				}
			}
			for _, k := range tt.kept {
				if !strings.Contains(out, k) {
					t.Errorf("%q was changed: %s", k, out)
				}
			}
			if json.Valid([]byte(tt.in)) && !json.Valid([]byte(out)) {
				t.Errorf("redacted JSON is no longer JSON: %s", out)
			}
		})
	}
}

// learnFrom shows r the identifiers in known the way an Account does: by
// redacting the tables that hold them.
func learnFrom(r *Redactor, known knownTables) {
	api := &WebAPI{}
	api.Append(cryptolens.WebAPILogRow{ID: 1, Key: known.key, IP: known.ip, MachineCode: known.machine, FriendlyName: known.name})
	r.WebAPI(api)
	obj := &Objects{}
	obj.Append(cryptolens.ObjectLogEntry{ID: 1, ObjectOwnerUserID: known.owner, Data: "{}"})
	r.Objects(obj)
}

// TestRedactIndependentOfOrder redacts the same Object Log data after
// the Web API Log (which names the machine) and before it, with Learn: the
// results agree and hold no identifier.
func TestRedactIndependentOfOrder(t *testing.T) {
	api := func() *WebAPI {
		a := &WebAPI{}
		a.Append(cryptolens.WebAPILogRow{ID: 1, Key: "K-77", MachineCode: "HX7731", FriendlyName: "Ann's laptop", IP: "10.9.8.7"})
		return a
	}
	data := `{"Mid":"HX7731","Host":"x","Who":"on Ann's laptop","Key":"K-77"}`
	objects := func() *Objects {
		o := &Objects{}
		o.Append(cryptolens.ObjectLogEntry{ID: 1, Data: data})
		return o
	}

	first := NewRedactor([]byte("0123456789abcdef"))
	first.WebAPI(api())
	afterAPI := first.Objects(objects()).Data[0]

	second := NewRedactor([]byte("0123456789abcdef"))
	second.Learn(api(), nil, nil)
	learnedFirst := second.Objects(objects()).Data[0]

	if afterAPI != learnedFirst {
		t.Errorf("redaction depends on the order of loads:\n%s\n%s", afterAPI, learnedFirst)
	}
	for _, s := range []string{"HX7731", "Ann's laptop", "K-77"} {
		if strings.Contains(learnedFirst, s) {
			t.Errorf("%q survived: %s", s, learnedFirst)
		}
	}
}

func TestRedactorHidesSecret(t *testing.T) {
	secret := []byte("s3cr3t-redaction-key")
	r := NewRedactor(secret)
	r.Key("AAAAA-BBBBB-CCCCC-DDDDD")
	forms := []string{string(secret), hex.EncodeToString(secret), fmt.Sprint(secret), strconv.Quote(string(secret)), "AAAAA-BBBBB"}
	for _, v := range []any{r, *r} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%q"} {
			text := fmt.Sprintf(verb, v)
			for _, f := range forms {
				if strings.Contains(text, f) {
					t.Errorf("%T printed with %s shows %q: %s", v, verb, f, text)
				}
			}
		}
	}
}

// TestRedactTextAfterLearning: a text redacted before an identifier was
// learned is not served from the memo afterwards.
func TestRedactTextAfterLearning(t *testing.T) {
	r := NewRedactor([]byte("0123456789abcdef"))
	in := `{"a":"HX7731"}`
	if out := r.Text(in); out != in {
		t.Fatalf("an unknown, ordinary value changed: %s", out)
	}
	api := &WebAPI{}
	api.Append(cryptolens.WebAPILogRow{ID: 1, MachineCode: "HX7731"})
	r.Learn(api, nil, nil)
	if out := r.Text(in); strings.Contains(out, "HX7731") {
		t.Errorf("the memo kept a text from before the machine was learned: %s", out)
	}
}

// The Web API Log's anomaly properties are free text: the identifiers in
// them go, including the table's own key and IP, as in event metadata.
func TestRedactWebAPIAnomalyProperties(t *testing.T) {
	tab := &WebAPI{}
	tab.Append(cryptolens.WebAPILogRow{ID: 1, Key: "AAAAA-BBBBB-CCCCC-DDDDD", IP: "10.9.8.7", State: 2024, IsAnomaly: true,
		AnomalyProperties: `{"type":"FailureBurst","key":"AAAAA-BBBBB-CCCCC-DDDDD","from":"10.9.8.7","count":9}`})
	NewRedactor([]byte("0123456789abcdef")).WebAPI(tab)
	got := tab.AnomalyProperties[0]
	for _, gone := range []string{"AAAAA-BBBBB-CCCCC-DDDDD", "10.9.8.7"} {
		if strings.Contains(got, gone) {
			t.Errorf("anomaly properties %s still hold %s", got, gone)
		}
	}
	if !strings.Contains(got, `"type":"FailureBurst"`) || !strings.Contains(got, `"count":9`) || !tab.IsAnomaly[0] {
		t.Errorf("anomaly properties %s (flag %v) lost what is not personal", got, tab.IsAnomaly[0])
	}
}
