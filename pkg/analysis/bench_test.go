package analysis

import (
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// benchRows is the size of the benchmark table, the size the performance
// issue compares against pandas.
const benchRows = 1_000_000

// benchStates is a plausible mix of states, activations and seats first.
var benchStates = []cryptolens.State{1010, 1010, 2010, 2011, 2014, 2014, 2014, 2014, 2015, 2024, 6011, 6011,
	2020, 2021, 3010, 7011, 8011, 8021}

// benchTable builds, once, a synthetic Web API table of benchRows rows: 5000
// keys over 120 days, 20 products, up to 50 machines and 20 IPs per key.
var benchTable = sync.OnceValue(func() *logs.WebAPI {
	r := rand.New(rand.NewPCG(1, 2))
	keys := make([]string, 5000)
	for i := range keys {
		keys[i] = "KEY-" + strconv.Itoa(100000+i)
	}
	machines := make([]string, 50)
	for i := range machines {
		machines[i] = "machine-" + strconv.Itoa(i)
	}
	ips := make([]string, 20)
	for i := range ips {
		ips[i] = "10.0." + strconv.Itoa(i) + ".0"
	}
	start := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC).Unix()
	span := int64(120 * 86400)
	api := &logs.WebAPI{}
	for i := range benchRows {
		k := r.IntN(len(keys))
		at := start + span*int64(i)/benchRows
		api.Append(cryptolens.WebAPILogRow{
			ID: int64(i + 1), ProductID: k % 20, Key: keys[k], IP: ips[r.IntN(len(ips))],
			Time: at, State: benchStates[r.IntN(len(benchStates))], MachineCode: machines[r.IntN(len(machines))],
			FriendlyName: machines[r.IntN(10)], FloatingExpires: at + 600, DOIntValue: int64(r.IntN(10)), DOID: int64(k),
		})
	}
	return api
})

func benchAPI(b *testing.B) *logs.WebAPI {
	b.Helper()
	api := benchTable()
	b.ReportAllocs()
	b.ResetTimer()
	return api
}

func BenchmarkSuccessRatio(b *testing.B) {
	api := benchAPI(b)
	for b.Loop() {
		SuccessRatio(api)
	}
}

func BenchmarkHeaviestKeys(b *testing.B) {
	api := benchAPI(b)
	for b.Loop() {
		if _, err := HeaviestKeys(api, 0.01); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRequestsPerDay(b *testing.B) {
	api := benchAPI(b)
	for b.Loop() {
		RequestsPerDay(api)
	}
}

func BenchmarkKeySharing(b *testing.B) {
	api := benchAPI(b)
	for b.Loop() {
		KeySharing(api)
	}
}

func BenchmarkSeatAudit(b *testing.B) {
	api := benchAPI(b)
	for b.Loop() {
		if _, err := SeatAudit(during(api, logs.Window{To: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}), "KEY-100007", 5); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPeakSeats(b *testing.B) {
	api := benchAPI(b)
	for b.Loop() {
		if _, err := PeakSeats(api, nil, 24*time.Hour); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFailureBursts(b *testing.B) {
	api := benchAPI(b)
	for b.Loop() {
		if _, err := FailureBursts(api, BurstOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
