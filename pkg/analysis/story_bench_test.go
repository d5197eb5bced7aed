package analysis

import (
	"sync"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/logs"
	"github.com/lenslog/lenslog/pkg/sample"
)

// benchAccount is a sample account of about a million Web API rows, with
// its three logs as tables.
var benchAccount = sync.OnceValues(func() (*sample.Account, [3]any) {
	a := sample.Generate(sample.Options{End: sampleEnd, WebAPIRows: benchRows})
	api, ev, obj := logsOf(a)
	return a, [3]any{api, ev, obj}
})

func BenchmarkLicenseTimeline1M(b *testing.B) {
	a, l := benchAccount()
	api, ev, obj := l[0].(*logs.WebAPI), l[1].(*logs.Events), l[2].(*logs.Objects)
	w := logs.Window{From: a.Now.AddDate(0, 0, -30), To: a.Now}
	for b.Loop() {
		if _, err := LicenseTimeline(during(api, w), ev, obj, a.Planted.BlockedKey); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkChangeImpact1M(b *testing.B) {
	_, l := benchAccount()
	api, obj := l[0].(*logs.WebAPI), l[2].(*logs.Objects)
	for b.Loop() {
		if _, err := ChangeImpact(api, obj, ImpactOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDataHealth1M(b *testing.B) {
	a, l := benchAccount()
	in := HealthInput{Now: a.Now.Add(time.Second), WebAPI: l[0].(*logs.WebAPI), Events: l[1].(*logs.Events), Objects: l[2].(*logs.Objects)}
	for b.Loop() {
		DataHealth(in)
	}
}
