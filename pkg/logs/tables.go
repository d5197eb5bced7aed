package logs

import (
	"time"

	"github.com/lenslog/lenslog/internal/prefault"
	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// unixUTC turns unix seconds into a UTC time, and 0 into the zero time.
func unixUTC(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

// unixOf is the inverse of unixUTC.
func unixOf(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// indexes lists the rows in [0, n) for which keep is true.
func indexes(n int, keep func(i int) bool) []int {
	var idx []int
	for i := 0; i < n; i++ {
		if keep(i) {
			idx = append(idx, i)
		}
	}
	return idx
}

// grow returns s with room for n more elements, as slices.Grow does, but
// with the new backing array's memory backed up front (see
// internal/prefault): a load of a million rows writes over a hundred
// megabytes of fresh memory, and faulting it in page by page was most of
// a fresh process's load time.
func grow[E any](s []E, n int) []E {
	if n <= cap(s)-len(s) {
		return s
	}
	c := max(len(s)+n, cap(s)+cap(s)/4) // amortised, like append
	g := make([]E, len(s), c)
	prefault.Slice(g)
	copy(g, s)
	return g
}

// gather returns col's values at idx, in order.
func gather[T any](col []T, idx []int) []T {
	out := make([]T, len(idx))
	for j, i := range idx {
		out[j] = col[i]
	}
	return out
}

// WebAPI is the Web API Log as columns.
type WebAPI struct {
	ID              []int64
	Time            []time.Time
	ProductID       []int
	Key             []string
	IP              []string
	State           []cryptolens.State
	MachineCode     []string
	FriendlyName    []string
	FloatingExpires []time.Time // zero when the activation is not floating
	DOIntValue      []int64
	DOID            []int64
}

// Len returns the number of rows.
func (t *WebAPI) Len() int { return len(t.ID) }

// Grow makes room for n more rows, so that appending them copies no
// column (Go grows large slices by only a quarter at a time).
func (t *WebAPI) Grow(n int) {
	t.ID, t.Time, t.ProductID = grow(t.ID, n), grow(t.Time, n), grow(t.ProductID, n)
	t.Key, t.IP, t.State = grow(t.Key, n), grow(t.IP, n), grow(t.State, n)
	t.MachineCode, t.FriendlyName = grow(t.MachineCode, n), grow(t.FriendlyName, n)
	t.FloatingExpires, t.DOIntValue, t.DOID = grow(t.FloatingExpires, n), grow(t.DOIntValue, n), grow(t.DOID, n)
}

// Append adds rows at the end; callers keep ids ascending.
func (t *WebAPI) Append(rows ...cryptolens.WebAPILogRow) {
	t.Grow(len(rows))
	for _, r := range rows {
		t.ID = append(t.ID, r.ID)
		t.Time = append(t.Time, unixUTC(r.Time))
		t.ProductID = append(t.ProductID, r.ProductID)
		t.Key = append(t.Key, r.Key)
		t.IP = append(t.IP, r.IP)
		t.State = append(t.State, r.State)
		t.MachineCode = append(t.MachineCode, r.MachineCode)
		t.FriendlyName = append(t.FriendlyName, r.FriendlyName)
		t.FloatingExpires = append(t.FloatingExpires, unixUTC(r.FloatingExpires))
		t.DOIntValue = append(t.DOIntValue, r.DOIntValue)
		t.DOID = append(t.DOID, r.DOID)
	}
}

// Row returns row i in wire form.
func (t *WebAPI) Row(i int) cryptolens.WebAPILogRow {
	return cryptolens.WebAPILogRow{
		ID: t.ID[i], Time: unixOf(t.Time[i]), ProductID: t.ProductID[i], Key: t.Key[i],
		IP: t.IP[i], State: t.State[i], MachineCode: t.MachineCode[i],
		FriendlyName: t.FriendlyName[i], FloatingExpires: unixOf(t.FloatingExpires[i]),
		DOIntValue: t.DOIntValue[i], DOID: t.DOID[i],
	}
}

// Where returns a new table with the rows for which keep is true.
func (t *WebAPI) Where(keep func(i int) bool) *WebAPI { return t.Take(indexes(len(t.ID), keep)) }

// Take returns a new table with rows idx, in that order.
func (t *WebAPI) Take(idx []int) *WebAPI {
	return &WebAPI{
		ID: gather(t.ID, idx), Time: gather(t.Time, idx), ProductID: gather(t.ProductID, idx),
		Key: gather(t.Key, idx), IP: gather(t.IP, idx), State: gather(t.State, idx),
		MachineCode: gather(t.MachineCode, idx), FriendlyName: gather(t.FriendlyName, idx),
		FloatingExpires: gather(t.FloatingExpires, idx), DOIntValue: gather(t.DOIntValue, idx),
		DOID: gather(t.DOID, idx),
	}
}

// Window returns the rows whose time falls in w.
func (t *WebAPI) Window(w Window) *WebAPI {
	return t.Where(func(i int) bool { return w.Contains(t.Time[i]) })
}

// Events is the Events Log as columns.
type Events struct {
	ID          []int64
	Time        []time.Time
	ProductID   []int
	Key         []string
	MachineCode []string
	FeatureName []string
	EventName   []string
	Value       []int64 // money times 100
	Currency    []string
	Metadata    []string // JSON text or empty
}

// Len returns the number of rows.
func (t *Events) Len() int { return len(t.ID) }

// Grow makes room for n more rows, as WebAPI.Grow.
func (t *Events) Grow(n int) {
	t.ID, t.Time, t.ProductID = grow(t.ID, n), grow(t.Time, n), grow(t.ProductID, n)
	t.Key, t.MachineCode = grow(t.Key, n), grow(t.MachineCode, n)
	t.FeatureName, t.EventName = grow(t.FeatureName, n), grow(t.EventName, n)
	t.Value, t.Currency, t.Metadata = grow(t.Value, n), grow(t.Currency, n), grow(t.Metadata, n)
}

// Append adds rows at the end; callers keep ids ascending.
func (t *Events) Append(rows ...cryptolens.Event) {
	t.Grow(len(rows))
	for _, r := range rows {
		t.ID = append(t.ID, r.ID)
		t.Time = append(t.Time, unixUTC(r.Time))
		t.ProductID = append(t.ProductID, r.ProductID)
		t.Key = append(t.Key, r.Key)
		t.MachineCode = append(t.MachineCode, r.MachineCode)
		t.FeatureName = append(t.FeatureName, r.FeatureName)
		t.EventName = append(t.EventName, r.EventName)
		t.Value = append(t.Value, r.Value)
		t.Currency = append(t.Currency, r.Currency)
		t.Metadata = append(t.Metadata, r.Metadata)
	}
}

// Row returns row i in wire form.
func (t *Events) Row(i int) cryptolens.Event {
	return cryptolens.Event{
		ID: t.ID[i], Time: unixOf(t.Time[i]), ProductID: t.ProductID[i], Key: t.Key[i],
		MachineCode: t.MachineCode[i], FeatureName: t.FeatureName[i], EventName: t.EventName[i],
		Value: t.Value[i], Currency: t.Currency[i], Metadata: t.Metadata[i],
	}
}

// Where returns a new table with the rows for which keep is true.
func (t *Events) Where(keep func(i int) bool) *Events { return t.Take(indexes(len(t.ID), keep)) }

// Take returns a new table with rows idx, in that order.
func (t *Events) Take(idx []int) *Events {
	return &Events{
		ID: gather(t.ID, idx), Time: gather(t.Time, idx), ProductID: gather(t.ProductID, idx),
		Key: gather(t.Key, idx), MachineCode: gather(t.MachineCode, idx),
		FeatureName: gather(t.FeatureName, idx), EventName: gather(t.EventName, idx),
		Value: gather(t.Value, idx), Currency: gather(t.Currency, idx), Metadata: gather(t.Metadata, idx),
	}
}

// Window returns the rows whose time falls in w.
func (t *Events) Window(w Window) *Events {
	return t.Where(func(i int) bool { return w.Contains(t.Time[i]) })
}

// Objects is the Object Log as columns.
type Objects struct {
	ID                []int64
	Time              []time.Time // the entry's created time
	ResourceType      []cryptolens.ResourceType
	ResourceAction    []cryptolens.ResourceAction
	AffectedObjectID  []int64
	ObjectOwnerUserID []int64
	PerformedByUserID []string
	Data              []string // JSON text
}

// Len returns the number of rows.
func (t *Objects) Len() int { return len(t.ID) }

// Grow makes room for n more rows, as WebAPI.Grow.
func (t *Objects) Grow(n int) {
	t.ID, t.Time = grow(t.ID, n), grow(t.Time, n)
	t.ResourceType, t.ResourceAction = grow(t.ResourceType, n), grow(t.ResourceAction, n)
	t.AffectedObjectID, t.ObjectOwnerUserID = grow(t.AffectedObjectID, n), grow(t.ObjectOwnerUserID, n)
	t.PerformedByUserID, t.Data = grow(t.PerformedByUserID, n), grow(t.Data, n)
}

// Append adds rows at the end; callers keep ids ascending.
func (t *Objects) Append(rows ...cryptolens.ObjectLogEntry) {
	t.Grow(len(rows))
	for _, r := range rows {
		t.ID = append(t.ID, r.ID)
		t.Time = append(t.Time, unixUTC(r.Created))
		t.ResourceType = append(t.ResourceType, r.ResourceType)
		t.ResourceAction = append(t.ResourceAction, r.ResourceAction)
		t.AffectedObjectID = append(t.AffectedObjectID, r.AffectedObjectID)
		t.ObjectOwnerUserID = append(t.ObjectOwnerUserID, r.ObjectOwnerUserID)
		t.PerformedByUserID = append(t.PerformedByUserID, r.PerformedByUserID)
		t.Data = append(t.Data, r.Data)
	}
}

// Row returns row i in wire form.
func (t *Objects) Row(i int) cryptolens.ObjectLogEntry {
	return cryptolens.ObjectLogEntry{
		ID: t.ID[i], Created: unixOf(t.Time[i]), ResourceType: t.ResourceType[i],
		ResourceAction: t.ResourceAction[i], AffectedObjectID: t.AffectedObjectID[i],
		ObjectOwnerUserID: t.ObjectOwnerUserID[i], PerformedByUserID: t.PerformedByUserID[i],
		Data: t.Data[i],
	}
}

// Where returns a new table with the rows for which keep is true.
func (t *Objects) Where(keep func(i int) bool) *Objects { return t.Take(indexes(len(t.ID), keep)) }

// Take returns a new table with rows idx, in that order.
func (t *Objects) Take(idx []int) *Objects {
	return &Objects{
		ID: gather(t.ID, idx), Time: gather(t.Time, idx), ResourceType: gather(t.ResourceType, idx),
		ResourceAction: gather(t.ResourceAction, idx), AffectedObjectID: gather(t.AffectedObjectID, idx),
		ObjectOwnerUserID: gather(t.ObjectOwnerUserID, idx),
		PerformedByUserID: gather(t.PerformedByUserID, idx), Data: gather(t.Data, idx),
	}
}

// Window returns the rows whose time falls in w.
func (t *Objects) Window(w Window) *Objects {
	return t.Where(func(i int) bool { return w.Contains(t.Time[i]) })
}
