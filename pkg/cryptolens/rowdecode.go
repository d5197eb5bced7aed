package cryptolens

// The row decoders, one per row type. Each matches keys by exact spelling
// first (one switch, no allocation), then case-insensitively, and skips any
// key it does not know.

// fieldName names the field a decoder failed in: the struct's JSON name for
// a known key, else the key as sent.
func fieldName(f int, k []byte, names []string) string {
	if f >= 0 {
		return names[f]
	}
	return string(k)
}

var webAPIKeys = []string{"id", "productId", "key", "ip", "time", "state", "machineCode",
	"friendlyName", "floatingExpires", "doIntValue", "doId", "isAnomaly", "anomalyProperties"}

func webAPIKeyIndex(k []byte) int {
	switch string(k) {
	case "id":
		return 0
	case "productId":
		return 1
	case "key":
		return 2
	case "ip":
		return 3
	case "time":
		return 4
	case "state":
		return 5
	case "machineCode":
		return 6
	case "friendlyName":
		return 7
	case "floatingExpires":
		return 8
	case "doIntValue":
		return 9
	case "doId":
		return 10
	case "isAnomaly":
		return 11
	case "anomalyProperties":
		return 12
	}
	return fieldIndex(k, webAPIKeys)
}

// decodeWebAPIRow decodes one Web API Log row (or null) into r.
func decodeWebAPIRow(d *decoder, r *WebAPILogRow) (string, error) {
	more, err := d.openRow()
	if !more || err != nil {
		return "", err
	}
	for {
		k, err := d.key()
		if err != nil {
			return "", err
		}
		f := webAPIKeyIndex(k)
		switch f {
		case 0:
			err = d.int64Into(&r.ID)
		case 1:
			err = d.intInto(&r.ProductID, nil)
		case 2:
			err = d.stringInto(&r.Key)
		case 3:
			err = d.stringInto(&r.IP)
		case 4:
			err = d.int64Into(&r.Time)
		case 5:
			err = d.intInto((*int)(&r.State), nil)
		case 6:
			err = d.stringInto(&r.MachineCode)
		case 7:
			err = d.stringInto(&r.FriendlyName)
		case 8:
			err = d.int64Into(&r.FloatingExpires)
		case 9:
			err = d.int64Into(&r.DOIntValue)
		case 10:
			err = d.int64Into(&r.DOID)
		case 11:
			err = d.boolInto(&r.IsAnomaly)
		case 12:
			err = d.rawInto(&r.AnomalyProperties)
		default:
			err = d.skip(4)
		}
		if err != nil {
			return fieldName(f, k, webAPIKeys), err
		}
		if more, err = d.next('}'); err != nil || !more {
			return "", err
		}
	}
}

var eventKeys = []string{"id", "productId", "key", "machineCode", "featureName", "eventName",
	"time", "value", "currency", "metadata"}

func eventKeyIndex(k []byte) int {
	switch string(k) {
	case "id":
		return 0
	case "productId":
		return 1
	case "key":
		return 2
	case "machineCode":
		return 3
	case "featureName":
		return 4
	case "eventName":
		return 5
	case "time":
		return 6
	case "value":
		return 7
	case "currency":
		return 8
	case "metadata":
		return 9
	}
	return fieldIndex(k, eventKeys)
}

// decodeEvent decodes one Events Log row (or null) into e.
func decodeEvent(d *decoder, e *Event) (string, error) {
	more, err := d.openRow()
	if !more || err != nil {
		return "", err
	}
	for {
		k, err := d.key()
		if err != nil {
			return "", err
		}
		f := eventKeyIndex(k)
		switch f {
		case 0:
			err = d.int64Into(&e.ID)
		case 1:
			err = d.intInto(&e.ProductID, nil)
		case 2:
			err = d.stringInto(&e.Key)
		case 3:
			err = d.stringInto(&e.MachineCode)
		case 4:
			err = d.stringInto(&e.FeatureName)
		case 5:
			err = d.stringInto(&e.EventName)
		case 6:
			err = d.int64Into(&e.Time)
		case 7:
			err = d.int64Into(&e.Value)
		case 8:
			err = d.stringInto(&e.Currency)
		case 9:
			err = d.stringInto(&e.Metadata)
		default:
			err = d.skip(4)
		}
		if err != nil {
			return fieldName(f, k, eventKeys), err
		}
		if more, err = d.next('}'); err != nil || !more {
			return "", err
		}
	}
}

var objectKeys = []string{"id", "created", "resourceType", "resourceAction", "affectedObjectId",
	"objectOwnerUserId", "performedByUserId", "data"}

func objectKeyIndex(k []byte) int {
	switch string(k) {
	case "id":
		return 0
	case "created":
		return 1
	case "resourceType":
		return 2
	case "resourceAction":
		return 3
	case "affectedObjectId":
		return 4
	case "objectOwnerUserId":
		return 5
	case "performedByUserId":
		return 6
	case "data":
		return 7
	}
	return fieldIndex(k, objectKeys)
}

// decodeObjectEntry decodes one Object Log row (or null) into o.
func decodeObjectEntry(d *decoder, o *ObjectLogEntry) (string, error) {
	more, err := d.openRow()
	if !more || err != nil {
		return "", err
	}
	for {
		k, err := d.key()
		if err != nil {
			return "", err
		}
		f := objectKeyIndex(k)
		switch f {
		case 0:
			err = d.int64Into(&o.ID)
		case 1:
			err = d.int64Into(&o.Created)
		case 2:
			err = d.intInto((*int)(&o.ResourceType), nil)
		case 3:
			err = d.intInto((*int)(&o.ResourceAction), nil)
		case 4:
			err = d.int64Into(&o.AffectedObjectID)
		case 5:
			err = d.int64Into(&o.ObjectOwnerUserID)
		case 6:
			err = d.stringInto(&o.PerformedByUserID)
		case 7:
			err = d.stringInto(&o.Data)
		default:
			err = d.skip(4)
		}
		if err != nil {
			return fieldName(f, k, objectKeys), err
		}
		if more, err = d.next('}'); err != nil || !more {
			return "", err
		}
	}
}
