package logs

import (
	"strings"
	"testing"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// The Usage Analytics tables are generated like the logs': rows go in and
// come back out, frames and CSV show every column, and redaction gives a
// key and a machine code the pseudonyms they get in the Web API Log.
func TestUsageTables(t *testing.T) {
	rows := []cryptolens.LicenseActivityBucket{
		{ID: 1, ProductID: 7, KeyID: 11, Key: "AAAAA-BBBBB", MachineCode: "m1", BucketStartUtc: 1767225600,
			RefreshCount: 3, FirstEventUtc: 1767225601, LastEventUtc: 1767227000, LastEventState: 2015, GapFromPreviousEventSeconds: 7200},
		{ID: 2, ProductID: 7, KeyID: 11, Key: "AAAAA-BBBBB", MachineCode: "m2", BucketStartUtc: 1767227400, DeactivationCount: 1,
			LastEventState: 6011},
	}
	b := &UsageBuckets{}
	b.Append(rows...)
	for i, want := range rows {
		if got := b.Row(i); got != want {
			t.Fatalf("row %d = %+v, want %+v", i, got, want)
		}
	}
	if got := b.BucketStartUtc.At(1).Format(TimeLayout); got != "2026-01-01 00:30:00" {
		t.Errorf("bucket start %s", got)
	}
	if names := strings.Join(b.Frame().Names(), ","); !strings.Contains(names, "ID,Bucket start (UTC),Product,Key ID") || !strings.Contains(names, "Gap (s)") {
		t.Errorf("frame columns %s", names)
	}
	var csv strings.Builder
	if err := b.WriteCSV(&csv); err != nil || !strings.HasPrefix(csv.String(), "id,bucketStartUtc,productId,keyId,key,machineCode,") {
		t.Errorf("CSV: %v\n%s", err, csv.String())
	}

	r := NewRedactor([]byte("0123456789abcdef0123456789abcdef"))
	api := &WebAPI{}
	api.Append(cryptolens.WebAPILogRow{ID: 1, Time: 1767225600, Key: "AAAAA-BBBBB", MachineCode: "m1"})
	r.WebAPI(api)
	r.UsageBuckets(b)
	if b.Key.At(0) != api.Key.At(0) || b.MachineCode.At(0) != api.MachineCode.At(0) {
		t.Errorf("usage pseudonyms %q %q, Web API Log's %q %q", b.Key.At(0), b.MachineCode.At(0), api.Key.At(0), api.MachineCode.At(0))
	}
	for _, v := range append(b.Key.Values(), b.MachineCode.Values()...) {
		if v == "AAAAA-BBBBB" || v == "m1" || v == "m2" {
			t.Errorf("identifier %q left after redaction", v)
		}
	}
	for c := range b.Key.Dict.Len() {
		if v := b.Key.Dict.Value(uint32(c)); v == "AAAAA-BBBBB" || v == "m1" {
			t.Errorf("the redacted table's dictionary still holds %q", v)
		}
	}
}
