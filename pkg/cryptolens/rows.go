package cryptolens

import "time"

// WebAPILogRow is one row of the Web API Log as the API sends it.
type WebAPILogRow struct {
	ID              int64  `json:"id"`              // unique, increasing; the paging cursor
	ProductID       int    `json:"productId"`       // product the key belongs to
	Key             string `json:"key"`             // license key string
	IP              string `json:"ip"`              // caller IP, already anonymized by Cryptolens
	Time            int64  `json:"time"`            // unix seconds, UTC
	State           State  `json:"state"`           // four-digit state code
	MachineCode     string `json:"machineCode"`     // device id, when the method has one
	FriendlyName    string `json:"friendlyName"`    // device or seat label, often a user name
	FloatingExpires int64  `json:"floatingExpires"` // unix seconds a floating seat expires, 0 if not floating
	DOIntValue      int64  `json:"doIntValue"`      // data-object operations: the integer passed
	DOID            int64  `json:"doId"`            // data-object operations: the data object's id
	// IsAnomaly and AnomalyProperties are only sent when the request asked for
	// AnomalyClassification. AnomalyProperties is kept as raw JSON text.
	IsAnomaly         bool   `json:"isAnomaly,omitempty"`
	AnomalyProperties string `json:"anomalyProperties,omitempty"`
}

// RowID returns the row's id, the paging cursor.
func (r WebAPILogRow) RowID() int64 { return r.ID }

// RowTime returns when the request was logged, in UTC.
func (r WebAPILogRow) RowTime() time.Time { return time.Unix(r.Time, 0).UTC() }

// Event is one row of the Events Log.
type Event struct {
	ID          int64  `json:"id"`
	ProductID   int    `json:"productId"`
	Key         string `json:"key"`
	MachineCode string `json:"machineCode"`
	FeatureName string `json:"featureName"` // up to 100 characters
	EventName   string `json:"eventName"`   // up to 100 characters
	Time        int64  `json:"time"`        // unix seconds, UTC
	Value       int64  `json:"value"`       // money times 100: 25.30 arrives as 2530
	Currency    string `json:"currency"`    // e.g. "USD"
	Metadata    string `json:"metadata"`    // JSON text (e.g. OS statistics) or empty
}

// RowID returns the event's id, the paging cursor.
func (e Event) RowID() int64 { return e.ID }

// RowTime returns when the event happened, in UTC.
func (e Event) RowTime() time.Time { return time.Unix(e.Time, 0).UTC() }

// ObjectLogEntry is one row of the Object Log: one object added, updated or
// deleted by a user of the account.
type ObjectLogEntry struct {
	ID                int64          `json:"id"`
	Created           int64          `json:"created"` // unix seconds, UTC
	ResourceType      ResourceType   `json:"resourceType"`
	ResourceAction    ResourceAction `json:"resourceAction"`
	AffectedObjectID  int64          `json:"affectedObjectId"`
	ObjectOwnerUserID int64          `json:"objectOwnerUserId"`
	PerformedByUserID string         `json:"performedByUserId"` // a string on the wire
	// Data is JSON text: on Added a copy of the object; on Updated an object
	// mapping each changed field name to [old, new].
	Data string `json:"data"`
}

// RowID returns the entry's id, the paging cursor.
func (o ObjectLogEntry) RowID() int64 { return o.ID }

// RowTime returns when the change was made, in UTC.
func (o ObjectLogEntry) RowTime() time.Time { return time.Unix(o.Created, 0).UTC() }

// Row is what the three row types share: an id to page by and a time to cut
// by.
type Row interface {
	WebAPILogRow | Event | ObjectLogEntry
	RowID() int64
	RowTime() time.Time
}
