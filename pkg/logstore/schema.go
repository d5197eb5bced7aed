package logstore

import (
	"fmt"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// Log names one of the three Cryptolens logs; it is also the name of the
// log's folder in a store.
type Log string

// The logs a store keeps.
const (
	WebAPI  Log = "webapi"  // the Web API Log (ai/GetWebAPILog)
	Events  Log = "events"  // the Events Log (ai/GetEvents)
	Objects Log = "objects" // the Object Log (ai/GetObjectLog)
)

// AllLogs lists the three logs in the order Sync visits them.
func AllLogs() []Log { return []Log{WebAPI, Events, Objects} }

// ParseLog turns "webapi", "events" or "objects" into a Log.
func ParseLog(s string) (Log, error) {
	switch l := Log(s); l {
	case WebAPI, Events, Objects:
		return l, nil
	}
	return "", fmt.Errorf("logstore: unknown log %q (want webapi, events or objects)", s)
}

// micros is the number of microseconds in a second: times are stored as
// TIMESTAMP(MICROS, UTC), the unit every outside engine reads natively.
const micros = 1_000_000

// webAPIRecord is one Web API Log row as a segment stores it. The order of
// the fields is the order of the columns, the API's own order.
type webAPIRecord struct {
	ID              int64  `parquet:"id"`
	ProductID       int32  `parquet:"product_id"`
	Key             string `parquet:"key,dict"`
	IP              string `parquet:"ip,dict"`
	Time            int64  `parquet:"time,timestamp(microsecond:utc)"`
	State           int32  `parquet:"state"`
	MachineCode     string `parquet:"machine_code,dict"`
	FriendlyName    string `parquet:"friendly_name,dict"`
	FloatingExpires int64  `parquet:"floating_expires,optional,timestamp(microsecond:utc)"`
	DOIntValue      int64  `parquet:"do_int_value"`
	DOID            int64  `parquet:"do_id"`
}

func webAPIRecordOf(r cryptolens.WebAPILogRow) webAPIRecord {
	return webAPIRecord{
		ID: r.ID, ProductID: int32(r.ProductID), Key: r.Key, IP: r.IP, Time: r.Time * micros,
		State: int32(r.State), MachineCode: r.MachineCode, FriendlyName: r.FriendlyName,
		FloatingExpires: r.FloatingExpires * micros, DOIntValue: r.DOIntValue, DOID: r.DOID,
	}
}

// eventRecord is one Events Log row as a segment stores it.
type eventRecord struct {
	ID          int64  `parquet:"id"`
	ProductID   int32  `parquet:"product_id"`
	Key         string `parquet:"key,dict"`
	MachineCode string `parquet:"machine_code,dict"`
	FeatureName string `parquet:"feature_name,dict"`
	EventName   string `parquet:"event_name,dict"`
	Time        int64  `parquet:"time,timestamp(microsecond:utc)"`
	Value       int64  `parquet:"value"`
	Currency    string `parquet:"currency,dict"`
	Metadata    string `parquet:"metadata,dict"`
}

func eventRecordOf(e cryptolens.Event) eventRecord {
	return eventRecord{
		ID: e.ID, ProductID: int32(e.ProductID), Key: e.Key, MachineCode: e.MachineCode,
		FeatureName: e.FeatureName, EventName: e.EventName, Time: e.Time * micros,
		Value: e.Value, Currency: e.Currency, Metadata: e.Metadata,
	}
}

// objectRecord is one Object Log entry as a segment stores it. Data is
// mostly unique JSON text, so it is stored plain, not as a dictionary.
type objectRecord struct {
	ID                int64  `parquet:"id"`
	Created           int64  `parquet:"created,timestamp(microsecond:utc)"`
	ResourceType      int32  `parquet:"resource_type"`
	ResourceAction    int32  `parquet:"resource_action"`
	AffectedObjectID  int64  `parquet:"affected_object_id"`
	ObjectOwnerUserID int64  `parquet:"object_owner_user_id"`
	PerformedByUserID string `parquet:"performed_by_user_id,dict"`
	Data              string `parquet:"data"`
}

func objectRecordOf(o cryptolens.ObjectLogEntry) objectRecord {
	return objectRecord{
		ID: o.ID, Created: o.Created * micros, ResourceType: int32(o.ResourceType),
		ResourceAction: int32(o.ResourceAction), AffectedObjectID: o.AffectedObjectID,
		ObjectOwnerUserID: o.ObjectOwnerUserID, PerformedByUserID: o.PerformedByUserID, Data: o.Data,
	}
}
