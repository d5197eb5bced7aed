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
// The Decode*Page functions take ownership of body: the rows' strings
// share its memory rather than copying it, so body must not be modified
// afterwards (a body read fresh from a response or a file never is). A
// Decoder copies instead, once per distinct string, and leaves body to its
// caller.

// DecodeWebAPILogPage decodes a GetWebAPILog response body. It fails with a
// *DecodeError for a body it cannot read and an *APIError (see the
// sentinels) for a body that reports an error or lacks "result" or "logs".
func DecodeWebAPILogPage(body []byte) ([]WebAPILogRow, error) {
	return webAPIPages.checked(newDecoder(body, nil), nil)
}

// DecodeEventsPage decodes a GetEvents response body, as DecodeWebAPILogPage.
func DecodeEventsPage(body []byte) ([]Event, error) {
	return eventPages.checked(newDecoder(body, nil), nil)
}

// DecodeObjectLogPage decodes a GetObjectLog response body, as
// DecodeWebAPILogPage. Its payload key is "events", as Cryptolens sends it.
func DecodeObjectLogPage(body []byte) ([]ObjectLogEntry, error) {
	return objectPages.checked(newDecoder(body, nil), nil)
}

// A Decoder decodes page after page, for a program that reads many: unlike
// the Decode*Page functions it appends to a slice the caller can reuse, and
// it copies the strings it keeps out of the body, one copy per distinct
// value shared by every row that has it. The body is not kept, so its
// buffer can be reused for the next page, and a million rows with a few
// thousand keys hold a few thousand key strings instead of the pages they
// came in. The zero Decoder is ready to use; it is not safe for concurrent
// use, and must not be copied after first use.
type Decoder struct {
	strings stringTable
}

// AppendWebAPILog decodes a GetWebAPILog response body and appends its rows
// to dst. It fails as DecodeWebAPILogPage does, and then returns dst as it
// was.
func (dec *Decoder) AppendWebAPILog(dst []WebAPILogRow, body []byte) ([]WebAPILogRow, error) {
	return webAPIPages.checked(newDecoder(body, &dec.strings), dst)
}

// AppendEvents decodes a GetEvents response body and appends its rows to dst.
func (dec *Decoder) AppendEvents(dst []Event, body []byte) ([]Event, error) {
	return eventPages.checked(newDecoder(body, &dec.strings), dst)
}

// AppendObjectLog decodes a GetObjectLog response body and appends its
// entries to dst.
func (dec *Decoder) AppendObjectLog(dst []ObjectLogEntry, body []byte) ([]ObjectLogEntry, error) {
	return objectPages.checked(newDecoder(body, &dec.strings), dst)
}

// pageSpec says how to decode one method's response pages.
type pageSpec[T any] struct {
	method  string        // the API method, for errors
	array   string        // the payload array's key
	rowSize int           // a typical encoded row size, to size a new result
	row     rowDecoder[T] // decodes one array element
	id      func(*T) int64
}

var (
	webAPIPages = pageSpec[WebAPILogRow]{"GetWebAPILog", "logs", 220, decodeWebAPILogRow,
		func(r *WebAPILogRow) int64 { return r.ID }}
	eventPages = pageSpec[Event]{"GetEvents", "events", 250, decodeEvent,
		func(r *Event) int64 { return r.ID }}
	objectPages = pageSpec[ObjectLogEntry]{"GetObjectLog", "events", 300, decodeObjectLogEntry,
		func(r *ObjectLogEntry) int64 { return r.ID }}
)

// checked decodes a page, appending its rows to dst, and turns an envelope
// that reports an error into an *APIError. On error it returns dst's
// original contents (nil when dst was nil).
func (s pageSpec[T]) checked(d *decoder, dst []T) ([]T, error) {
	env, rows, err := s.decode(d, dst)
	if err != nil {
		return dst, fmt.Errorf("cryptolens: decode %s page: %w", s.method, err)
	}
	if apiErr := env.check(s.method, s.array); apiErr != nil {
		return dst, apiErr
	}
	return rows, nil
}

func decodeWebAPILog(body []byte) (envelope, []WebAPILogRow, error) {
	return webAPIPages.decode(newDecoder(body, nil), nil)
}

func decodeEvents(body []byte) (envelope, []Event, error) {
	return eventPages.decode(newDecoder(body, nil), nil)
}

func decodeObjectLog(body []byte) (envelope, []ObjectLogEntry, error) {
	return objectPages.decode(newDecoder(body, nil), nil)
}

// rowDecoder decodes one array element into *T and returns the key it was
// decoding when it failed.
type rowDecoder[T any] func(d *decoder, row *T) (field string, err error)

// decode decodes an envelope, appending the payload's rows to dst. On error
// the rows it returns are dst as it was.
func (s pageSpec[T]) decode(d *decoder, dst []T) (env envelope, rows []T, err error) {
	d.ws()
	if null, err := d.isNull(); null || err != nil {
		return env, dst, wrapScan(err, "", -1, 0, "")
	}
	if d.pos >= len(d.buf) {
		return env, dst, wrapScan(d.eofErr(), "", -1, 0, "")
	}
	if d.buf[d.pos] != '{' {
		if !startsValue(d.buf[d.pos]) {
			return env, dst, wrapScan(d.charErr("looking for beginning of value"), "", -1, 0, "")
		}
		return env, dst, wrapScan(d.typeErr("object"), "", -1, 0, "")
	}
	rows = dst
	if !d.open('}') {
		if env, rows, err = s.members(d, dst); err != nil {
			return env, dst, err
		}
	}
	if err := d.end(); err != nil {
		return env, dst, wrapScan(err, "", -1, 0, "")
	}
	return env, rows, nil
}

func startsValue(c byte) bool {
	return c == '"' || c == '{' || c == '[' || c == 't' || c == 'f' || c == 'n' || c == '-' || (c >= '0' && c <= '9')
}

// members decodes the envelope's members after its '{', appending the
// payload's rows to dst.
func (s pageSpec[T]) members(d *decoder, dst []T) (env envelope, rows []T, err error) {
	rows = dst
	for {
		k, err := d.key()
		if err != nil {
			return env, dst, wrapScan(err, "", -1, 0, "")
		}
		var field string
		switch {
		case keyIs(k, "result"):
			field = "result"
			err = d.intInto(&env.result, &env.hasResult)
		case keyIs(k, "message"):
			field = "message"
			var m string
			if m, _, err = d.stringValue(); err == nil && m != "" {
				env.message = m
			}
		case keyIs(k, s.array):
			env.hasPayload = true
			if rows, err = s.rows(d, dst); err != nil { // a second payload key replaces the first's rows
				return env, dst, err
			}
		default:
			field = string(k)
			err = d.skip(2)
		}
		if err != nil {
			return env, dst, wrapScan(err, "", -1, 0, field)
		}
		more, err := d.next('}')
		if err != nil || !more {
			return env, rows, wrapScan(err, "", -1, 0, "")
		}
	}
}

// rows decodes the payload array (or null, which adds no rows), appending
// to dst.
func (s pageSpec[T]) rows(d *decoder, dst []T) ([]T, error) {
	if null, err := d.isNull(); null || err != nil {
		return dst, wrapScan(err, "", -1, 0, s.array)
	}
	if d.pos >= len(d.buf) || d.buf[d.pos] != '[' {
		return dst, wrapScan(d.typeErr("array"), "", -1, 0, s.array)
	}
	rows := dst
	if rows == nil {
		rows = make([]T, 0, min(len(d.buf)/s.rowSize+1, 2048))
	}
	if d.open(']') {
		return rows, nil
	}
	for i := 0; ; i++ {
		d.ws()
		start := d.pos
		rows = append(rows, *new(T))
		r := &rows[len(rows)-1]
		if field, err := s.row(d, r); err != nil {
			rid := s.id(r)
			if rid == 0 {
				rid = findID(d.buf, start)
			}
			return dst, wrapScan(err, s.array, i, rid, field)
		}
		more, err := d.next(']')
		if err != nil {
			return dst, wrapScan(err, s.array, i, s.id(r), "")
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
