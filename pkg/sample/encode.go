package sample

import (
	"strconv"
	"unicode/utf8"

	"github.com/lenslog/lenslog/pkg/cryptolens"
)

// The server writes its JSON by hand: a 1000-row page is a few appends per
// field, with no reflection, so syncing millions of rows stays cheap.

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || size != 1 {
				i += size
				continue
			}
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			if c < 0x20 {
				const hex = "0123456789abcdef"
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			} else {
				b = append(b, `\ufffd`...) // invalid UTF-8 byte
			}
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendNullable appends s as a JSON string, or null when it is empty, as
// Cryptolens sends absent text fields.
func appendNullable(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return appendString(b, s)
}

// appendField appends ,"name": (or "name": for the first field).
func appendField(b []byte, name string, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, name...)
	return append(b, '"', ':')
}

func appendInt(b []byte, name string, v int64) []byte {
	return strconv.AppendInt(appendField(b, name, false), v, 10)
}

// appendWebRow appends one Web API Log row; with anomaly it adds
// isAnomaly and anomalyProperties (props is JSON text, or "" for null).
func appendWebRow(b []byte, r *cryptolens.WebAPILogRow, anomaly bool, props string) []byte {
	b = strconv.AppendInt(appendField(append(b, '{'), "id", true), r.ID, 10)
	b = appendInt(b, "productId", int64(r.ProductID))
	b = appendNullable(appendField(b, "key", false), r.Key)
	b = appendNullable(appendField(b, "ip", false), r.IP)
	b = appendInt(b, "time", r.Time)
	b = appendInt(b, "state", int64(r.State))
	b = appendNullable(appendField(b, "machineCode", false), r.MachineCode)
	b = appendNullable(appendField(b, "friendlyName", false), r.FriendlyName)
	b = appendInt(b, "floatingExpires", r.FloatingExpires)
	b = appendInt(b, "doIntValue", r.DOIntValue)
	b = appendInt(b, "doId", r.DOID)
	if anomaly {
		b = strconv.AppendBool(appendField(b, "isAnomaly", false), props != "")
		b = appendField(b, "anomalyProperties", false)
		if props == "" {
			b = append(b, "null"...)
		} else {
			b = append(b, props...)
		}
	}
	return append(b, '}')
}

// appendEvent appends one Events Log row.
func appendEvent(b []byte, e *cryptolens.Event) []byte {
	b = strconv.AppendInt(appendField(append(b, '{'), "id", true), e.ID, 10)
	b = appendInt(b, "productId", int64(e.ProductID))
	b = appendNullable(appendField(b, "key", false), e.Key)
	b = appendNullable(appendField(b, "machineCode", false), e.MachineCode)
	b = appendNullable(appendField(b, "featureName", false), e.FeatureName)
	b = appendNullable(appendField(b, "eventName", false), e.EventName)
	b = appendInt(b, "time", e.Time)
	b = appendInt(b, "value", e.Value)
	b = appendNullable(appendField(b, "currency", false), e.Currency)
	b = appendNullable(appendField(b, "metadata", false), e.Metadata)
	return append(b, '}')
}

// appendObject appends one Object Log row; data stays JSON text in a
// string, as Cryptolens sends it.
func appendObject(b []byte, o *cryptolens.ObjectLogEntry) []byte {
	b = strconv.AppendInt(appendField(append(b, '{'), "id", true), o.ID, 10)
	b = appendInt(b, "created", o.Created)
	b = appendInt(b, "resourceType", int64(o.ResourceType))
	b = appendInt(b, "resourceAction", int64(o.ResourceAction))
	b = appendInt(b, "affectedObjectId", o.AffectedObjectID)
	b = appendInt(b, "objectOwnerUserId", o.ObjectOwnerUserID)
	b = appendNullable(appendField(b, "performedByUserId", false), o.PerformedByUserID)
	b = appendNullable(appendField(b, "data", false), o.Data)
	return append(b, '}')
}

// appendEnvelopeStart begins a successful response: result, message and
// the payload array named key.
func appendEnvelopeStart(b []byte, key string) []byte {
	b = append(b, `{"result":0,"message":null,"`...)
	b = append(b, key...)
	return append(b, `":[`...)
}

// errorBody is the body of an error response.
func errorBody(message string) []byte {
	b := append([]byte(nil), `{"result":1,"message":`...)
	b = appendString(b, message)
	return append(b, '}')
}
