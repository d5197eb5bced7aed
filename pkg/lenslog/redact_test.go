package lenslog

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/janpfeifer/gonb/gonbui/protocol"
	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/sample"
)

const someKey = "AAAAA-BBBBB-CCCCC-DDDDD"

// openRedacted opens the small sample account with redaction on.
func openRedacted(t *testing.T) *Account {
	t.Helper()
	t.Setenv(EnvSampleEnd, "2026-11-01")
	t.Setenv(EnvSampleRows, "2000")
	a, err := openWith(t, func(c *Config) {
		c.Redact = true
		c.Note = &bytes.Buffer{}
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestRedactKeyRandomPerRun(t *testing.T) {
	clearEnv(t)
	t.Setenv(protocol.GONB_TMP_DIR_ENV, "")
	a, b := openRedacted(t), openRedacted(t)
	if a.Key(someKey) == b.Key(someKey) {
		t.Errorf("two runs without %s gave %s the same pseudonym %q: the key is fixed", EnvRedactKey, someKey, a.Key(someKey))
	}
	public := logs.NewRedactor([]byte("lenslog-default-redaction"))
	if a.Key(someKey) == public.Key(someKey) {
		t.Error("pseudonyms are made with the old public key")
	}
}

func TestRedactKeySharedByANotebookSession(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	t.Setenv(protocol.GONB_TMP_DIR_ENV, dir)
	a, b := openRedacted(t), openRedacted(t)
	if a.Key(someKey) != b.Key(someKey) {
		t.Errorf("two cells of one GoNB session disagree: %q, %q", a.Key(someKey), b.Key(someKey))
	}
	if fi, err := os.Stat(filepath.Join(dir, sessionKeyFile)); err != nil {
		t.Errorf("no session key file: %v", err)
	} else if fi.Mode().Perm() != 0o600 {
		t.Errorf("session key file has mode %v, want 0600", fi.Mode().Perm())
	}
	t.Setenv(protocol.GONB_TMP_DIR_ENV, t.TempDir())
	if c := openRedacted(t); c.Key(someKey) == a.Key(someKey) {
		t.Error("another session got the same pseudonyms")
	}
}

func TestRedactKeyFromEnvironment(t *testing.T) {
	const key = "00112233445566778899aabbccddeeff"
	tests := []struct {
		name, value, wantErr string
	}{
		{"a run's shared key", key, ""},
		{"too short", "00112233", "too short"},
		{"not hex", "secret-phrase-not-hex-but-long-enough", "not hex"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			t.Setenv(EnvRedactKey, tt.value)
			t.Setenv(EnvSampleRows, "2000")
			a, err := openWith(t, func(c *Config) {
				c.Redact = true
				c.Note = &bytes.Buffer{}
			})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), EnvRedactKey) {
					t.Fatalf("err = %v, want %q naming %s", err, tt.wantErr, EnvRedactKey)
				}
				if strings.Contains(err.Error(), tt.value) {
					t.Errorf("the error shows the key: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			k, _ := hex.DecodeString(key)
			if want := logs.NewRedactor(k).Key(someKey); a.Key(someKey) != want {
				t.Errorf("Key = %q, want %q from $%s", a.Key(someKey), want, EnvRedactKey)
			}
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x"} {
				for _, v := range []any{a, *a.Redactor(), a.Redactor()} {
					if s := fmt.Sprintf(verb, v); strings.Contains(s, key) || strings.Contains(s, fmt.Sprint(k)) {
						t.Errorf("%T printed with %s shows the key: %s", v, verb, s)
					}
				}
			}
		})
	}
}

// TestRedactWhicheverLogFirst plants a machine code and a friendly name of
// the Web API Log in Object Log data and event metadata under field names
// no rule knows, then loads those logs before the Web API Log: neither
// survives, and the result is the same as when the Web API Log came first.
func TestRedactWhicheverLogFirst(t *testing.T) {
	clearEnv(t)
	acct := sample.Generate(sample.Options{Seed: 5, End: time.Now().UTC(), WebAPIRows: 4000})
	row := acct.WebAPI[len(acct.WebAPI)-1]
	for i := len(acct.WebAPI) - 1; row.MachineCode == "" || row.FriendlyName == ""; i-- {
		row = acct.WebAPI[i]
	}
	planted := fmt.Sprintf(`{"Mid":%q,"Dev":%q,"Seen":"on %s today"}`, row.MachineCode, row.FriendlyName, row.FriendlyName)
	acct.Objects[len(acct.Objects)-1].Data = planted
	acct.Events[len(acct.Events)-1].Metadata = planted
	url := serve(t, acct, "tok")
	t.Setenv(EnvRedactKey, "00112233445566778899aabbccddeeff")
	span := Last(30 * Day)

	open := func() *Account {
		a, err := openWith(t, func(c *Config) {
			c.Token = "tok"
			c.BaseURL = url
			c.NoStore = true
			c.Redact = true
			c.Note = &bytes.Buffer{}
		})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	first := open()
	obj1, ev1 := Must(first.Objects(span)), Must(first.Events(span))
	second := open()
	Must(second.WebAPI(span))
	obj2, ev2 := Must(second.Objects(span)), Must(second.Events(span))

	got := []string{obj1.Data[obj1.Len()-1], ev1.Metadata[ev1.Len()-1]}
	for _, s := range got {
		if strings.Contains(s, row.MachineCode) || strings.Contains(s, row.FriendlyName) {
			t.Errorf("an identifier survived: %s", s)
		}
	}
	if got[0] != obj2.Data[obj2.Len()-1] || got[1] != ev2.Metadata[ev2.Len()-1] {
		t.Errorf("redaction depends on which log was loaded first:\n%v\n%v", got,
			[]string{obj2.Data[obj2.Len()-1], ev2.Metadata[ev2.Len()-1]})
	}
}

// TestRedactAnomalyPropertiesLearnsTheOtherLogs plants an Object Log user
// id, under a field name no rule knows, in a Web API row's anomaly
// properties (free text, as a store synced with AnomalyClassification
// holds it) and loads only the Web API Log: the id does not survive,
// because a table with free text learns the other logs' identifiers
// before it is redacted.
func TestRedactAnomalyPropertiesLearnsTheOtherLogs(t *testing.T) {
	acct := sample.Generate(sample.Options{Seed: 5, End: time.Now().UTC(), WebAPIRows: 4000})
	var user string
	for _, o := range acct.Objects {
		if len(o.PerformedByUserID) >= 4 {
			user = o.PerformedByUserID
		}
	}
	if user == "" {
		t.Fatal("no user id in the sample's Object Log")
	}
	last := &acct.WebAPI[len(acct.WebAPI)-1]
	last.AnomalyProperties = fmt.Sprintf(`{"Zq":%q}`, user)
	a := &Account{ctx: context.Background(), src: &sampleSource{acct: acct},
		redactor: logs.NewRedactor([]byte("00112233445566778899aabbccddeeff"))}
	api := Must(a.WebAPI(All()))
	got := api.AnomalyProperties[api.Len()-1]
	if got == "" || strings.Contains(got, user) {
		t.Errorf("anomaly properties after redaction = %q, want the user id %s replaced", got, user)
	}
}
