package logs

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// day0 is a fixed instant the tests build rows around.
var day0 = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func webRows() []cryptolens.WebAPILogRow {
	return []cryptolens.WebAPILogRow{
		{ID: 1, Time: day0.Unix(), ProductID: 7, Key: "AAAAA-BBBBB-CCCCC-DDDDD", IP: "10.1.2.0", State: 2014,
			MachineCode: "m1", FriendlyName: "ann@corp.example", FloatingExpires: day0.Add(time.Hour).Unix()},
		{ID: 2, Time: day0.Add(time.Hour).Unix(), ProductID: 7, Key: "AAAAA-BBBBB-CCCCC-DDDDD", State: 2024,
			IsAnomaly: true, AnomalyProperties: `{"type":"FailureBurst"}`},
		{ID: 5, Time: day0.Add(48 * time.Hour).Unix(), ProductID: 8, Key: "EEEEE-FFFFF-GGGGG-HHHHH", State: 8010,
			DOIntValue: 12, DOID: 99},
	}
}

func TestWebAPIRoundTrip(t *testing.T) {
	var tab WebAPI
	tab.Append(webRows()...)
	if tab.Len() != 3 {
		t.Fatalf("Len = %d, want 3", tab.Len())
	}
	for i, want := range webRows() {
		if got := tab.Row(i); got != want {
			t.Errorf("Row(%d) = %+v, want %+v", i, got, want)
		}
	}
	if !tab.FloatingExpires.At(1).IsZero() {
		t.Errorf("FloatingExpires of a 0 field = %v, want the zero time", tab.FloatingExpires.At(1))
	}
}

func TestWindow(t *testing.T) {
	var tab WebAPI
	tab.Append(webRows()...)
	tests := []struct {
		name string
		w    Window
		ids  []int64
	}{
		{"everything", Window{}, []int64{1, 2, 5}},
		{"from is inclusive", Window{From: day0.Add(time.Hour)}, []int64{2, 5}},
		{"to is exclusive", Window{To: day0.Add(time.Hour)}, []int64{1}},
		{"empty range", Window{From: day0.Add(3 * time.Hour), To: day0.Add(4 * time.Hour)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tab.Window(tt.w).ID
			if len(got) != len(tt.ids) {
				t.Fatalf("ids = %v, want %v", got, tt.ids)
			}
			for i := range got {
				if got[i] != tt.ids[i] {
					t.Fatalf("ids = %v, want %v", got, tt.ids)
				}
			}
		})
	}
}

func TestOverlaps(t *testing.T) {
	w := Window{From: day0, To: day0.Add(24 * time.Hour)}
	tests := []struct {
		name        string
		first, last time.Time
		want        bool
	}{
		{"before", day0.Add(-2 * time.Hour), day0.Add(-time.Hour), false},
		{"touching the start", day0.Add(-time.Hour), day0, true},
		{"inside", day0.Add(time.Hour), day0.Add(2 * time.Hour), true},
		{"starting at the end", day0.Add(24 * time.Hour), day0.Add(25 * time.Hour), false},
	}
	for _, tt := range tests {
		if got := w.Overlaps(tt.first, tt.last); got != tt.want {
			t.Errorf("%s: Overlaps = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestWebAPIFrame(t *testing.T) {
	var tab WebAPI
	tab.Append(webRows()...)
	df := tab.Frame()
	if df.Err != nil {
		t.Fatal(df.Err)
	}
	if df.Nrow() != 3 {
		t.Fatalf("Nrow = %d, want 3", df.Nrow())
	}
	if got := df.Col("Outcome").Records(); strings.Join(got, ",") != "Success,Failure,Success" {
		t.Errorf("Outcome = %v", got)
	}
	if got := df.Col("Method group").Records()[2]; got != "data object" {
		t.Errorf("Method group of 8010 = %q", got)
	}
	if got := df.Col("Time (UTC)").Records()[0]; got != "2026-11-01 00:00:00" {
		t.Errorf("Time = %q", got)
	}
	if got := df.Col("Floating expires (UTC)").Records()[1]; got != "" {
		t.Errorf("absent floating expiry shown as %q, want empty", got)
	}
}

func TestWebAPICSV(t *testing.T) {
	var tab WebAPI
	tab.Append(webRows()[:2]...)
	var b bytes.Buffer
	if err := tab.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	want := "id,time,productId,key,ip,state,machineCode,friendlyName,floatingExpires,doIntValue,doId,isAnomaly,anomalyProperties\n" +
		"1,2026-11-01 00:00:00,7,AAAAA-BBBBB-CCCCC-DDDDD,10.1.2.0,2014,m1,ann@corp.example,2026-11-01 01:00:00,0,0,false,\n" +
		"2,2026-11-01 01:00:00,7,AAAAA-BBBBB-CCCCC-DDDDD,,2024,,,,0,0,true,\"{\"\"type\"\":\"\"FailureBurst\"\"}\"\n"
	if b.String() != want {
		t.Errorf("csv:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestEventsAndObjectsFrames(t *testing.T) {
	var ev Events
	ev.Append(cryptolens.Event{ID: 1, Time: day0.Unix(), FeatureName: "Buy", EventName: "purchase", Value: 2530, Currency: "USD"})
	df := ev.Frame()
	if got := df.Col("Amount").Float()[0]; got != 25.30 {
		t.Errorf("Amount = %v, want 25.30", got)
	}
	var ob Objects
	ob.Append(cryptolens.ObjectLogEntry{ID: 3, Created: day0.Unix(), ResourceType: cryptolens.ResourceLicenseKey,
		ResourceAction: cryptolens.ActionUpdated, PerformedByUserID: "42", Data: `{"MaxNoOfMachines":[3,5]}`})
	df = ob.Frame()
	if got := df.Col("Action").Records()[0]; got != "Updated" {
		t.Errorf("Action = %q", got)
	}
	if got := df.Col("Resource type").Records()[0]; got != "LicenseKey" {
		t.Errorf("Resource type = %q", got)
	}
}

func TestRedactor(t *testing.T) {
	r := NewRedactor([]byte("secret"))
	var tab WebAPI
	tab.Append(webRows()...)
	r.WebAPI(&tab)
	if tab.Key.At(0) != tab.Key.At(1) {
		t.Errorf("same key got two pseudonyms: %q, %q", tab.Key.At(0), tab.Key.At(1))
	}
	if tab.Key.At(0) == tab.Key.At(2) {
		t.Errorf("different keys got one pseudonym %q", tab.Key.At(0))
	}
	for _, col := range [][]string{tab.Key.Values(), tab.IP.Values(), tab.MachineCode.Values(), tab.FriendlyName.Values()} {
		for _, v := range col {
			if strings.Contains(v, "AAAAA") || strings.Contains(v, "ann@") || strings.Contains(v, "10.1.2") || v == "m1" {
				t.Errorf("identifier left in %q", v)
			}
		}
	}
	if !strings.HasSuffix(tab.FriendlyName.At(0), "@example.invalid") {
		t.Errorf("an e-mail friendly name should stay e-mail shaped, got %q", tab.FriendlyName.At(0))
	}
	if tab.IP.At(1) != "" {
		t.Errorf("empty IP became %q", tab.IP.At(1))
	}
	if got := r.Key("AAAAA-BBBBB-CCCCC-DDDDD"); got != tab.Key.At(0) {
		t.Errorf("Key() = %q, table has %q", got, tab.Key.At(0))
	}
	other := NewRedactor([]byte("other"))
	if other.Key("AAAAA-BBBBB-CCCCC-DDDDD") == tab.Key.At(0) {
		t.Error("pseudonyms match under different secrets")
	}
}

func TestRedactText(t *testing.T) {
	r := NewRedactor([]byte("s"))
	in := `{"Key":"ABCDE-FGHIJ-KLMNO-PQRST","Email":"bo@x.example","IP":"85.230.98.0","MaxNoOfMachines":[3,5],` +
		`"Name":"Ann Berg","Customer":["Old AB","New \"AB\""],"CompanyName":""}`
	out := r.Text(in)
	if !strings.Contains(out, `"CompanyName":""`) {
		t.Errorf("an empty name was changed: %s", out)
	}
	for _, secret := range []string{"ABCDE-FGHIJ", "bo@x.example", "85.230.98.0", "Ann Berg", "Old AB", "New"} {
		if strings.Contains(out, secret) {
			t.Errorf("%q left in %s", secret, out)
		}
	}
	if !strings.Contains(out, `"MaxNoOfMachines":[3,5]`) {
		t.Errorf("non-identifiers changed: %s", out)
	}
	var nilR *Redactor
	if nilR.Text(in) != in {
		t.Error("a nil Redactor changed text")
	}
}

func TestStateCodes(t *testing.T) {
	df := StateCodes()
	if df.Err != nil {
		t.Fatal(df.Err)
	}
	rows := map[string]string{}
	for i, code := range df.Col("State").Records() {
		rows[code] = df.Col("Outcome").Records()[i] + " / " + df.Col("Meaning").Records()[i]
	}
	for code, want := range map[string]string{
		"2015": "Success / floating activation succeeded over the seat limit (overdraft)",
		"2024": "Failure / floating activation failed: no free seat (device limit reached)",
		"6011": "Success / floating seat released (floating deactivation)",
	} {
		if rows[code] != want {
			t.Errorf("%s: %q, want %q", code, rows[code], want)
		}
	}
}
