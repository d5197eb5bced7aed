package cryptolens

import (
	"bytes"
	"fmt"
	"math"
	"unicode/utf8"
)

// The exported page decoders read one response body (the envelope
// {"result":0,"message":null,"logs":[...]}, or "events" for the Events and
// Object logs) without reflection, several times faster than encoding/json.
//
// They decode as encoding/json would into the same structs, with these
// deliberate differences:
//   - WebAPILogRow.AnomalyProperties takes any JSON value: a string's
//     contents, or the JSON text of an object, array, number or bool
//     (encoding/json rejects anything but a string there).
//   - A payload key given twice replaces the rows of the first (encoding/json
//     merges the second array's elements into the first's).
//   - Errors name the row index, row id, field and byte offset.
//
// They take ownership of body: the rows' strings share its memory rather
// than copying it, so body must not be modified afterwards (a body read
// fresh from a response or a file never is).

// DecodeWebAPILogPage decodes a GetWebAPILog response body. It fails with a
// *DecodeError for a body it cannot read and an *APIError (see the
// sentinels) for a body that reports an error or lacks "result" or "logs".
func DecodeWebAPILogPage(body []byte) ([]WebAPILogRow, error) {
	env, rows, err := decodeWebAPILog(body)
	return checkedPage("GetWebAPILog", "logs", env, rows, err)
}

// DecodeEventsPage decodes a GetEvents response body, as DecodeWebAPILogPage.
func DecodeEventsPage(body []byte) ([]Event, error) {
	env, rows, err := decodeEvents(body)
	return checkedPage("GetEvents", "events", env, rows, err)
}

// DecodeObjectLogPage decodes a GetObjectLog response body, as
// DecodeWebAPILogPage. Its payload key is "events", as Cryptolens sends it.
func DecodeObjectLogPage(body []byte) ([]ObjectLogEntry, error) {
	env, rows, err := decodeObjectLog(body)
	return checkedPage("GetObjectLog", "events", env, rows, err)
}

func checkedPage[T any](method, array string, env envelope, rows []T, err error) ([]T, error) {
	if err != nil {
		return nil, fmt.Errorf("cryptolens: decode %s page: %w", method, err)
	}
	if apiErr := env.check(method, array); apiErr != nil {
		return nil, apiErr
	}
	return rows, nil
}

func decodeWebAPILog(body []byte) (envelope, []WebAPILogRow, error) {
	return decodePage(body, "logs", 220, decodeWebAPIRow, func(r *WebAPILogRow) int64 { return r.ID })
}

func decodeEvents(body []byte) (envelope, []Event, error) {
	return decodePage(body, "events", 250, decodeEvent, func(r *Event) int64 { return r.ID })
}

func decodeObjectLog(body []byte) (envelope, []ObjectLogEntry, error) {
	return decodePage(body, "events", 300, decodeObjectEntry, func(r *ObjectLogEntry) int64 { return r.ID })
}

// rowDecoder decodes one array element into *T and returns the key it was
// decoding when it failed.
type rowDecoder[T any] func(d *decoder, row *T) (field string, err error)

// decodePage decodes an envelope whose payload array is named array.
// rowSize is a typical encoded row size, to size the result.
func decodePage[T any](body []byte, array string, rowSize int, row rowDecoder[T], id func(*T) int64) (env envelope, rows []T, err error) {
	d := newDecoder(body)
	d.ws()
	if null, err := d.isNull(); null || err != nil {
		return env, nil, wrapScan(err, "", -1, 0, "")
	}
	if d.pos >= len(d.buf) {
		return env, nil, wrapScan(d.eofErr(), "", -1, 0, "")
	}
	if d.buf[d.pos] != '{' {
		if !startsValue(d.buf[d.pos]) {
			return env, nil, wrapScan(d.charErr("looking for beginning of value"), "", -1, 0, "")
		}
		return env, nil, wrapScan(d.typeErr("object"), "", -1, 0, "")
	}
	if !d.open('}') {
		if env, rows, err = decodeMembers(d, array, rowSize, row, id); err != nil {
			return env, nil, err
		}
	}
	return env, rows, wrapScan(d.end(), "", -1, 0, "")
}

func startsValue(c byte) bool {
	return c == '"' || c == '{' || c == '[' || c == 't' || c == 'f' || c == 'n' || c == '-' || (c >= '0' && c <= '9')
}

// decodeMembers decodes the envelope's members after its '{'.
func decodeMembers[T any](d *decoder, array string, rowSize int, row rowDecoder[T], id func(*T) int64) (env envelope, rows []T, err error) {
	for {
		k, err := d.key()
		if err != nil {
			return env, nil, wrapScan(err, "", -1, 0, "")
		}
		var field string
		switch {
		case keyIs(k, "result"):
			field = "result"
			err = d.intInto(&env.result, &env.hasResult)
		case keyIs(k, "message"):
			field = "message"
			var s string
			if s, _, err = d.stringValue(); err == nil && s != "" {
				env.message = s
			}
		case keyIs(k, array):
			env.hasPayload = true
			if rows, err = decodeRows(d, array, rowSize, row, id); err != nil {
				return env, nil, err
			}
		default:
			field = string(k)
			err = d.skip(2)
		}
		if err != nil {
			return env, nil, wrapScan(err, "", -1, 0, field)
		}
		more, err := d.next('}')
		if err != nil || !more {
			return env, rows, wrapScan(err, "", -1, 0, "")
		}
	}
}

// decodeRows decodes the payload array (or null, which leaves no rows).
func decodeRows[T any](d *decoder, array string, rowSize int, row rowDecoder[T], id func(*T) int64) ([]T, error) {
	if null, err := d.isNull(); null || err != nil {
		return nil, wrapScan(err, "", -1, 0, array)
	}
	if d.pos >= len(d.buf) || d.buf[d.pos] != '[' {
		return nil, wrapScan(d.typeErr("array"), "", -1, 0, array)
	}
	rows := make([]T, 0, min(len(d.buf)/rowSize+1, 2048))
	if d.open(']') {
		return rows, nil
	}
	for i := 0; ; i++ {
		d.ws()
		start := d.pos
		rows = append(rows, *new(T))
		r := &rows[len(rows)-1]
		if field, err := row(d, r); err != nil {
			rid := id(r)
			if rid == 0 {
				rid = findID(d.buf, start)
			}
			return nil, wrapScan(err, array, i, rid, field)
		}
		more, err := d.next(']')
		if err != nil {
			return nil, wrapScan(err, array, i, id(r), "")
		}
		if !more {
			return rows, nil
		}
	}
}

// wrapScan turns a scanner error into a *DecodeError with context; nil
// stays nil.
func wrapScan(err error, array string, index int, id int64, field string) error {
	if err == nil {
		return nil
	}
	se, ok := err.(*scanError)
	if !ok {
		return err
	}
	return &DecodeError{Array: array, Index: index, ID: id, Field: field, Offset: se.off, Msg: se.msg, Syntax: se.syntax}
}

// findID looks for the "id" of the object starting at buf[start], for error
// messages about a row whose id came after the bad field. It returns 0 when
// there is none to find.
func findID(buf []byte, start int) int64 {
	d := &decoder{buf: buf, pos: start}
	if d.pos >= len(buf) || buf[d.pos] != '{' || d.open('}') {
		return 0
	}
	var id int64
	for {
		k, err := d.key()
		if err != nil {
			return id
		}
		if keyIs(k, "id") {
			if v, ok, err := d.int64Value(); err == nil && ok {
				id = v
			}
		} else if d.skip(4) != nil {
			return id
		}
		if more, err := d.next('}'); err != nil || !more {
			return id
		}
	}
}

// keyIs reports whether key k names the field name, as encoding/json
// matches: exactly, else case-insensitively with Unicode folding.
func keyIs(k []byte, name string) bool {
	if string(k) == name {
		return true
	}
	return foldEq(k, name)
}

// foldEq is bytes.EqualFold, with a cheap length test for ASCII keys.
func foldEq(k []byte, name string) bool {
	if len(k) != len(name) {
		for _, c := range k {
			if c >= utf8.RuneSelf {
				return bytes.EqualFold(k, []byte(name))
			}
		}
		return false
	}
	return bytes.EqualFold(k, []byte(name))
}

// fieldIndex returns the index of k in names (exact spelling tried by the
// caller first), matching case-insensitively, or -1.
func fieldIndex(k []byte, names []string) int {
	for i, n := range names {
		if foldEq(k, n) {
			return i
		}
	}
	return -1
}

// int64Into decodes an integer into *p; null leaves *p as it is.
func (d *decoder) int64Into(p *int64) error {
	v, ok, err := d.int64Value()
	if ok {
		*p = v
	}
	return err
}

// intInto decodes an integer that must fit an int into *p, and records in
// *set (if not nil) that a number was present.
func (d *decoder) intInto(p *int, set *bool) error {
	start := d.pos
	v, ok, err := d.int64Value()
	if err != nil || !ok {
		return err
	}
	if v < math.MinInt || v > math.MaxInt {
		return &scanError{off: start, msg: "number " + string(d.buf[start:d.pos]) + " overflows int"}
	}
	*p = int(v)
	if set != nil {
		*set = true
	}
	return nil
}

// stringInto decodes a string into *p; null leaves *p as it is.
func (d *decoder) stringInto(p *string) error {
	s, ok, err := d.stringValue()
	if ok {
		*p = s
	}
	return err
}

// boolInto decodes a bool into *p; null leaves *p as it is.
func (d *decoder) boolInto(p *bool) error {
	v, ok, err := d.boolValue()
	if ok {
		*p = v
	}
	return err
}

// rawInto decodes any value as text into *p; null leaves *p as it is.
func (d *decoder) rawInto(p *string) error {
	s, ok, err := d.rawValue()
	if ok {
		*p = s
	}
	return err
}

// openRow starts a row: it consumes null (done) or '{', and reports whether
// members follow.
func (d *decoder) openRow() (members bool, err error) {
	if d.pos >= len(d.buf) {
		return false, d.eofErr()
	}
	switch d.buf[d.pos] {
	case '{':
		return !d.open('}'), nil
	case 'n':
		return false, d.literal("null")
	}
	return false, d.typeErr("object")
}
