package analysis

import (
	"cmp"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/go-gota/gota/dataframe"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
)

// KeyShare is one key's signs of being shared.
type KeyShare struct {
	Key        string
	ProductID  int
	Requests   int
	Machines   int     // distinct non-empty machine codes
	IPs        int     // distinct non-empty (anonymized) IPs
	Overdrafts int     // 2015 rows: seats taken over the limit
	NoFreeSeat int     // 2024 rows: activations refused, device limit reached
	Score      float64 // see Sharing
	Reason     string  // the signals in words, e.g. "37 machines, 12 IPs, 40 no-free-seat"
}

// Sharing ranks keys by how much they look shared between many people,
// most suspicious first. As a chart it is one bar per key: its score.
//
// The score adds points per doubling of each signal, weighted by how much
// it says about sharing:
//
//	score = 2·log2(1+IPs) + log2(1+machines) + ½·log2(1+overdrafts+no-free-seat)
//
// IPs count double: a key used from many networks has left its owner's
// premises. Machines count once: floating licenses rotate machines by
// design. Refusals (2015 overdrafts and 2024 no-free-seat) count half: they
// show seats in demand more than sharing. A key used by one machine from
// one IP with no refusals scores 3; 45 machines from 46 IPs score about
// 16.6. Logarithms keep any one count from drowning the others, so a key
// must show several signals to rank high. The score ranks keys to look at;
// it does not know each license's seat limit, so read the Reason against
// it.
type Sharing struct {
	Rows []KeyShare
}

// KeySharing counts, per key in api, the distinct machine codes and IPs,
// the overdrafts and the device-limit refusals, and ranks the keys by
// score (ties by key).
func KeySharing(api *logs.WebAPI) *Sharing {
	api = webAPI(api, logs.WebAPIProductID, logs.WebAPIKey, logs.WebAPIMachineCode, logs.WebAPIIP, logs.WebAPIState)
	n := api.Len()
	// Number every key, machine and IP once; then count distinct values
	// per key by visiting each key's rows together with a stamp array, so
	// no per-key set is ever hashed.
	keyOf, machineOf, ipOf := newNumbering(api.Key), newNumbering(api.MachineCode), newNumbering(api.IP)
	keyIDs, machineIDs, ipIDs := make([]int32, n), make([]int32, n), make([]int32, n)
	var rows []KeyShare
	for i, key := range api.Key.Codes {
		k := keyOf.id(key)
		if int(k) == len(rows) {
			rows = append(rows, KeyShare{Key: api.Key.At(i), ProductID: api.ProductID[i]})
		}
		keyIDs[i] = k
		machineIDs[i], ipIDs[i] = -1, -1
		if m := api.MachineCode.Codes[i]; m != 0 {
			machineIDs[i] = machineOf.id(m)
		}
		if ip := api.IP.Codes[i]; ip != 0 {
			ipIDs[i] = ipOf.id(ip)
		}
		r := &rows[k]
		r.Requests++
		switch api.State[i] {
		case cryptolens.StateFloatingOverdraft:
			r.Overdrafts++
		case cryptolens.StateNoFreeSeat:
			r.NoFreeSeat++
		}
	}
	order := groupByKey(keyIDs, rows)
	distinctPerKey(order, rows, machineIDs, int(machineOf.n), func(r *KeyShare) { r.Machines++ })
	distinctPerKey(order, rows, ipIDs, int(ipOf.n), func(r *KeyShare) { r.IPs++ })
	for i := range rows {
		rows[i].Score = shareScore(rows[i])
		rows[i].Reason = shareReason(rows[i])
	}
	slices.SortFunc(rows, func(a, b KeyShare) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return &Sharing{Rows: rows}
}

// groupByKey returns row indices ordered by key number (a counting sort:
// each key's rows end up together, in row order).
func groupByKey(keyIDs []int32, rows []KeyShare) []int32 {
	start := make([]int32, len(rows)+1)
	for i := range rows {
		start[i+1] = start[i] + int32(rows[i].Requests)
	}
	order := make([]int32, len(keyIDs))
	for i, k := range keyIDs {
		order[start[k]] = int32(i)
		start[k]++
	}
	return order
}

// distinctPerKey walks the rows key by key and calls add once per distinct
// value (ids >= 0) of each key. seen[v] holds the last key that had v.
func distinctPerKey(order []int32, rows []KeyShare, ids []int32, values int, add func(*KeyShare)) {
	seen := make([]int32, values)
	for i := range seen {
		seen[i] = -1
	}
	at := 0
	for k := range rows {
		for _, i := range order[at : at+rows[k].Requests] {
			if v := ids[i]; v >= 0 && seen[v] != int32(k) {
				seen[v] = int32(k)
				add(&rows[k])
			}
		}
		at += rows[k].Requests
	}
}

// numbering numbers the codes of a Strings column 0, 1, 2, ... in order
// of first sight.
type numbering struct {
	ids []int32 // by code; -1 until seen
	n   int32
}

func newNumbering(col logs.Strings) *numbering {
	ids := make([]int32, col.Distinct())
	for i := range ids {
		ids[i] = -1
	}
	return &numbering{ids: ids}
}

// id returns code's number, giving it the next one if it is new.
func (nb *numbering) id(code uint32) int32 {
	if nb.ids[code] < 0 {
		nb.ids[code] = nb.n
		nb.n++
	}
	return nb.ids[code]
}

// shareScore is the documented score of a key.
func shareScore(k KeyShare) float64 {
	l := func(n int) float64 { return math.Log2(1 + float64(n)) }
	return 2*l(k.IPs) + l(k.Machines) + l(k.Overdrafts+k.NoFreeSeat)/2
}

// shareReason puts the signals in words, leaving out zero refusal counts.
func shareReason(k KeyShare) string {
	parts := []string{format.Counted(k.Machines, "machine", "machines"), format.Counted(k.IPs, "IP", "IPs")}
	if k.Overdrafts > 0 {
		parts = append(parts, format.Counted(k.Overdrafts, "overdraft", "overdrafts"))
	}
	if k.NoFreeSeat > 0 {
		parts = append(parts, strconv.Itoa(k.NoFreeSeat)+" no-free-seat")
	}
	return strings.Join(parts, ", ")
}

// Top returns a copy with only the n most suspicious keys.
func (s *Sharing) Top(n int) *Sharing {
	return &Sharing{Rows: slices.Clone(s.Rows[:min(max(n, 0), len(s.Rows))])}
}

// Len returns the number of keys.
func (s *Sharing) Len() int { return len(s.Rows) }

// Label returns key i.
func (s *Sharing) Label(i int) string { return s.Rows[i].Key }

// Value returns key i's score.
func (s *Sharing) Value(i int) float64 { return s.Rows[i].Score }

func (s *Sharing) columns() []col {
	r := s.Rows
	return []col{
		strCol("Key", r, func(k KeyShare) string { return k.Key }),
		intCol("Product", r, func(k KeyShare) int { return k.ProductID }),
		intCol("Requests", r, func(k KeyShare) int { return k.Requests }),
		intCol("Machines", r, func(k KeyShare) int { return k.Machines }),
		intCol("IPs", r, func(k KeyShare) int { return k.IPs }),
		intCol("Overdrafts", r, func(k KeyShare) int { return k.Overdrafts }),
		intCol("No free seat", r, func(k KeyShare) int { return k.NoFreeSeat }),
		floatCol("Score", r, func(k KeyShare) float64 { return k.Score }),
		strCol("Reason", r, func(k KeyShare) string { return k.Reason }),
	}
}

// Frame returns one row per key: Key, Product, Requests, Machines, IPs,
// Overdrafts, No free seat, Score, Reason.
func (s *Sharing) Frame() dataframe.DataFrame { return frameOf(s.columns()) }

// WriteCSV writes the ranking as CSV with the same columns as Frame.
func (s *Sharing) WriteCSV(w io.Writer) error { return writeCols(w, s.columns()) }
