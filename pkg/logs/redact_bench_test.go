package logs

import (
	"slices"
	"sync"
	"testing"

	"github.com/lenslog/lenslog/pkg/sample"
)

// benchAccount generates, once, the benchmarks' sample account at about a
// million Web API rows, with its Events and Object logs.
var benchAccount = sync.OnceValue(func() *sample.Account {
	return sample.Generate(sample.Options{End: benchEnd, WebAPIRows: 1_000_000})
})

// BenchmarkRedact1M redacts the three logs of a million-row account with a
// fresh Redactor, as a notebook process does when it loads them redacted.
// Copying the tables is outside the timer.
func BenchmarkRedact1M(b *testing.B) {
	acct := benchAccount()
	var api WebAPI
	var ev Events
	var obj Objects
	api.Append(acct.WebAPI...)
	ev.Append(acct.Events...)
	obj.Append(acct.Objects...)
	rows := api.Len() + ev.Len() + obj.Len()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		a, e, o := cloneWebAPI(&api), cloneEvents(&ev), cloneObjects(&obj)
		r := NewRedactor([]byte("0123456789abcdef0123456789abcdef"))
		b.StartTimer()
		r.WebAPI(a)
		r.Events(e)
		r.Objects(o)
	}
	perRow(b, rows)
}

// The clones copy only the columns redaction rewrites in place (it
// replaces the Strings columns with new ones).
func cloneWebAPI(t *WebAPI) *WebAPI {
	c := *t
	c.AnomalyProperties = slices.Clone(t.AnomalyProperties)
	return &c
}

func cloneEvents(t *Events) *Events {
	c := *t
	c.Metadata = slices.Clone(t.Metadata)
	return &c
}

func cloneObjects(t *Objects) *Objects {
	c := *t
	c.ObjectOwnerUserID, c.Data = slices.Clone(t.ObjectOwnerUserID), slices.Clone(t.Data)
	return &c
}
