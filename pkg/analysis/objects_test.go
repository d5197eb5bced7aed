package analysis

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

func objectsTable(entries ...cryptolens.ObjectLogEntry) *logs.Objects {
	t := &logs.Objects{}
	for i, e := range entries {
		e.ID = int64(i + 1)
		t.Append(e)
	}
	return t
}

func entry(d int, user string, typ cryptolens.ResourceType, act cryptolens.ResourceAction, data string) cryptolens.ObjectLogEntry {
	return cryptolens.ObjectLogEntry{Created: at(time.Duration(d)*24*h + h), PerformedByUserID: user,
		ResourceType: typ, ResourceAction: act, AffectedObjectID: 100, Data: data}
}

func TestObjectChanges(t *testing.T) {
	obj := objectsTable(
		entry(0, "u1", cryptolens.ResourceLicenseKey, cryptolens.ActionUpdated, `{}`),
		entry(0, "u1", cryptolens.ResourceLicenseKey, cryptolens.ActionUpdated, `{}`),
		entry(0, "u2", cryptolens.ResourceProduct, cryptolens.ActionAdded, `{}`),
		entry(2, "u1", cryptolens.ResourceLicenseKey, cryptolens.ActionDeleted, `{}`),
	)
	c := ObjectChanges(obj)
	var got []string
	for _, r := range c.Rows {
		got = append(got, fmt.Sprintf("%s %s %s %s %d", r.Day.Format(dayLayout), r.User, r.Type, r.Action, r.Changes))
	}
	want := []string{"2026-10-01 u1 LicenseKey Updated 2", "2026-10-01 u2 Product Added 1", "2026-10-03 u1 LicenseKey Deleted 1"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("changes = %v", got)
	}
	if c.Len() != 3 || strings.Join(c.Series(), ",") != "Added,Updated,Deleted" || c.Value(0, 1) != 2 || c.Value(1, 0) != 0 || c.Value(2, 2) != 1 {
		t.Errorf("stacked view: %d %v", c.Len(), c.Series())
	}
	u := ChangesByUser(obj)
	if u.Rows[0].Label != "u1" || u.Rows[0].Requests != 3 || readCSV(t, u)[0][1] != "Changes" {
		t.Errorf("by user = %+v", u.Rows)
	}
}

func TestFieldHistory(t *testing.T) {
	up := cryptolens.ActionUpdated
	key := cryptolens.ResourceLicenseKey
	obj := objectsTable(
		entry(0, "u1", key, up, `{"MaxNoOfMachines":[1,5],"ExpirationDate":["2026-01-01T00:00:00","2027-01-01T00:00:00"]}`),
		entry(0, "u1", key, cryptolens.ActionAdded, `{"not":"a diff"}`), // only Updated entries are read
		entry(1, "u2", key, up, `{"Notes":[null,"hi \"there\""],"F1":[{"a":1},[1, 2]]}`),
		entry(1, "u2", key, up, `not json`),
		entry(1, "u2", key, up, `{"Block":[true]}`),            // a field that is not [old, new]
		entry(1, "u2", key, up, `{"Block":[false,true]} junk`), // trailing data
		entry(1, "u2", key, up, `{"Block":[false,true]`),       // cut short
		entry(1, "u2", key, up, ``),
	)
	hist := FieldHistory(obj)
	var got []string
	for _, r := range hist.Rows {
		got = append(got, fmt.Sprintf("%s %d %s: %s -> %s", r.User, r.EntryID, r.Field, r.Old, r.New))
	}
	want := []string{
		"u1 1 MaxNoOfMachines: 1 -> 5",
		"u1 1 ExpirationDate: 2026-01-01T00:00:00 -> 2027-01-01T00:00:00",
		`u2 3 Notes: null -> hi "there"`,
		`u2 3 F1: {"a":1} -> [1,2]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("history:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if hist.Updates != 7 || hist.BadData != 4 || hist.BadFields != 1 || fmt.Sprint(hist.BadIDs) != "[4 5 6 7 8]" {
		t.Errorf("updates %d bad data %d bad fields %d ids %v", hist.Updates, hist.BadData, hist.BadFields, hist.BadIDs)
	}
	if !strings.Contains(hist.Problems(), "4 updated entries with bad data") {
		t.Errorf("Problems = %q", hist.Problems())
	}
	exp := hist.Fields("expirationdate")
	if exp.Len() != 1 || exp.Rows[0].New != "2027-01-01T00:00:00" || exp.BadData != 4 {
		t.Errorf("Fields = %+v", exp.Rows)
	}
	recs := readCSV(t, exp)
	if strings.Join(recs[0], ",") != "Time,User,Resource type,Object,Field,Old,New,Entry" || recs[1][2] != "LicenseKey" {
		t.Errorf("csv = %v", recs)
	}
}

func FuzzParseDiff(f *testing.F) {
	for _, s := range []string{`{"a":[1,2]}`, `{"a":[1]}`, `{}`, `[`, `{"a":[{"b":[1,2]},"x"]}`, ``, `{"a":[1,2]}{}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		fields, bad, err := parseDiff(data)
		if err != nil && (len(fields) > 0 || bad > 0) {
			t.Fatalf("an error comes with no fields: %v %v %d", err, fields, bad)
		}
	})
}
