package cryptolens

import (
	"bytes"
	"hash/maphash"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// This file holds the JSON scanner under the page decoders in pages.go. It
// works on the body as one byte slice, with no reflection, and follows the
// semantics of encoding/json wherever a struct field is involved: null leaves
// a field as it is, keys match field names case-insensitively (exact
// spelling first), invalid UTF-8 and lone surrogates in strings become
// U+FFFD, the last of repeated keys wins.

// maxDepth bounds the nesting of skipped values, as encoding/json does.
const maxDepth = 10000

// DecodeError reports a response body that could not be decoded: where in
// the page it went wrong (row index, row id, field) and what was wrong.
type DecodeError struct {
	Array  string // payload array, "logs" or "events"; "" outside it
	Index  int    // row index in the array; -1 outside a row
	ID     int64  // the row's id when known, else 0
	Field  string // the JSON key being decoded; "" if none
	Offset int    // byte offset in the body
	Msg    string // what was wrong, e.g. "want number, got string"
	// Syntax is true when the body is not valid JSON (truncated, HTML, ...)
	// rather than valid JSON of the wrong shape.
	Syntax bool
}

// Error says where and what, e.g.
// `logs[17] (id 123456): field "state": want number, got string (byte 5678)`.
func (e *DecodeError) Error() string {
	var b []byte
	if e.Index >= 0 && e.Array != "" {
		b = append(b, e.Array...)
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(e.Index), 10)
		b = append(b, ']')
		if e.ID != 0 {
			b = append(b, " (id "...)
			b = strconv.AppendInt(b, e.ID, 10)
			b = append(b, ')')
		}
		b = append(b, ": "...)
	}
	if e.Field != "" {
		b = append(b, "field "...)
		b = strconv.AppendQuote(b, e.Field)
		b = append(b, ": "...)
	}
	if e.Syntax {
		b = append(b, "invalid JSON: "...)
	}
	b = append(b, e.Msg...)
	b = append(b, " (byte "...)
	b = strconv.AppendInt(b, int64(e.Offset), 10)
	b = append(b, ')')
	return string(b)
}

// scanError is the low-level error a value decoder returns; the row and
// page decoders turn it into a *DecodeError with the context they know.
type scanError struct {
	off    int
	msg    string
	syntax bool
}

func (e *scanError) Error() string { return e.msg }

// decoder walks one JSON body.
//
// Strings are either cut from str, a string sharing the body's memory (the
// Decode*Page functions, which take ownership of the body: decoding then
// allocates nothing per string), or copied out through strs (a Decoder,
// which leaves the body to its caller).
type decoder struct {
	buf  []byte
	str  string       // string(buf) without a copy, when strs is nil
	strs *stringTable // where strings are copied to, or nil
	pos  int
	ktmp []byte // scratch for unescaping keys
	vtmp []byte // scratch for unescaping values
}

// newDecoder returns a decoder for body. With strs nil it takes ownership of
// body: decoded strings are cut from one string that shares body's memory
// instead of a copy of it (a page of 1000 rows is about 250 KB, so a copy
// per page added a quarter of a gigabyte per million rows), and body must
// not change after. With strs, decoded strings are copies shared through
// strs and body is the caller's again when decoding returns.
func newDecoder(body []byte, strs *stringTable) *decoder {
	if strs != nil {
		return &decoder{buf: body, strs: strs}
	}
	return &decoder{buf: body, str: unsafe.String(unsafe.SliceData(body), len(body))}
}

// text returns the string of raw bytes buf[start:end], which need no
// unescaping.
func (d *decoder) text(start, end int) string {
	if d.strs != nil {
		return d.strs.get(d.buf[start:end])
	}
	return d.str[start:end]
}

// stringTable hands out one shared copy of each distinct string. It is an
// open-addressing hash table whose slots keep each string's hash beside it,
// so a probe compares eight bytes before it touches a string's bytes, and a
// small direct-mapped cache of recent strings in front: half the strings of
// a page repeat within it. At 87,000 distinct strings (the 5M-row sample)
// a Go map here spent more than half of decoding in cache misses. Its
// slots are bounded: when the largest is 3/4 full it starts over, so a
// column of ever-new values costs a copy per value but never an unbounded
// table.
type stringTable struct {
	seed   maphash.Seed
	slots  []stringSlot // len a power of two, at most 3/4 full
	n      int          // strings in slots
	recent [recentSlots]stringSlot
}

// stringSlot is one string and its hash; hash 0 marks an empty slot (get
// sets the low bit of every hash).
type stringSlot struct {
	hash uint64
	s    string
}

const (
	// maxSlots bounds a stringTable at 12 MiB of slots and 393,216
	// strings. The 5M-row sample has 87,000 distinct keys, IPs, machine
	// codes and names.
	maxSlots    = 1 << 19
	recentSlots = 1 << 10 // 24 KiB: stays in the CPU's nearest caches
)

// get returns the shared copy of b, making one when b is new.
func (t *stringTable) get(b []byte) string {
	if t.slots == nil {
		t.seed = maphash.MakeSeed()
		t.slots = make([]stringSlot, 1024)
	}
	h := maphash.Bytes(t.seed, b) | 1
	r := &t.recent[h&(recentSlots-1)]
	if r.hash == h && r.s == string(b) {
		return r.s
	}
	s := t.find(h, b)
	*r = stringSlot{h, s}
	return s
}

// find looks b up by its hash h, adding a copy when it is new.
func (t *stringTable) find(h uint64, b []byte) string {
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		sl := &t.slots[i]
		if sl.hash == h && sl.s == string(b) {
			return sl.s
		}
		if sl.hash == 0 {
			s := string(b)
			*sl = stringSlot{h, s}
			t.n++
			if t.n*4 >= len(t.slots)*3 {
				t.grow()
			}
			return s
		}
	}
}

// grow doubles the slots, or starts over when they are maxSlots already.
// The recent cache keeps its strings: they are still valid copies.
func (t *stringTable) grow() {
	if len(t.slots) >= maxSlots {
		clear(t.slots)
		t.n = 0
		return
	}
	old := t.slots
	t.slots = make([]stringSlot, 2*len(old))
	mask := uint64(len(t.slots) - 1)
	for _, sl := range old {
		if sl.hash == 0 {
			continue
		}
		i := sl.hash & mask
		for t.slots[i].hash != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = sl
	}
}

func (d *decoder) syntaxErr(msg string) *scanError {
	return &scanError{off: d.pos, msg: msg, syntax: true}
}

func (d *decoder) eofErr() *scanError {
	return &scanError{off: d.pos, msg: "unexpected end of input", syntax: true}
}

// charErr reports an unexpected byte at the current position.
func (d *decoder) charErr(context string) *scanError {
	if d.pos >= len(d.buf) {
		return d.eofErr()
	}
	return d.syntaxErr("unexpected " + quoteByte(d.buf[d.pos]) + " " + context)
}

func quoteByte(c byte) string {
	if c < utf8.RuneSelf {
		return strconv.QuoteRune(rune(c))
	}
	return "byte 0x" + strconv.FormatUint(uint64(c), 16)
}

// typeErr reports a value of the wrong JSON kind at the current position.
func (d *decoder) typeErr(want string) *scanError {
	return &scanError{off: d.pos, msg: "want " + want + ", got " + kindAt(d.buf, d.pos)}
}

// kindAt names the JSON kind of the value starting at buf[i].
func kindAt(buf []byte, i int) string {
	if i >= len(buf) {
		return "end of input"
	}
	switch c := buf[i]; {
	case c == '"':
		return "string"
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == 't' || c == 'f':
		return "bool"
	case c == 'n':
		return "null"
	case c == '-' || (c >= '0' && c <= '9'):
		return "number"
	default:
		return quoteByte(c)
	}
}

// ws skips JSON whitespace.
func (d *decoder) ws() {
	for d.pos < len(d.buf) {
		switch d.buf[d.pos] {
		case ' ', '\n', '\r', '\t':
			d.pos++
		default:
			return
		}
	}
}

// literal consumes the literal lit (true, false, null) at the position.
func (d *decoder) literal(lit string) error {
	end := d.pos + len(lit)
	if end > len(d.buf) {
		if bytes.HasPrefix([]byte(lit), d.buf[d.pos:]) {
			d.pos = len(d.buf)
			return d.eofErr()
		}
		return d.charErr("in literal")
	}
	if string(d.buf[d.pos:end]) != lit {
		for i := 0; i < len(lit); i++ {
			if d.buf[d.pos] != lit[i] {
				break
			}
			d.pos++
		}
		return d.charErr("in literal " + lit)
	}
	d.pos = end
	return nil
}

// isNull consumes a null at the position and reports whether there was one.
func (d *decoder) isNull() (bool, error) {
	if d.pos < len(d.buf) && d.buf[d.pos] == 'n' {
		return true, d.literal("null")
	}
	return false, nil
}

// int64Value decodes an integer at the position. ok is false for null,
// which leaves the field as it is.
func (d *decoder) int64Value() (v int64, ok bool, err error) {
	if d.pos >= len(d.buf) {
		return 0, false, d.eofErr()
	}
	c := d.buf[d.pos]
	if c != '-' && (c < '0' || c > '9') {
		if c == 'n' {
			return 0, false, d.literal("null")
		}
		return 0, false, d.typeErr("number")
	}
	start := d.pos
	neg := c == '-'
	if neg {
		d.pos++
	}
	var u uint64
	overflow := false
	digits := d.pos
	for d.pos < len(d.buf) {
		c := d.buf[d.pos]
		if c < '0' || c > '9' {
			break
		}
		if u > (1<<63)/10 {
			overflow = true
		}
		u = u*10 + uint64(c-'0')
		d.pos++
	}
	if err := d.numberTail(start, digits); err != nil {
		return 0, false, err
	}
	if d.pos != d.endOfDigits(digits) {
		return 0, false, &scanError{off: start, msg: "want integer, got number " + string(d.buf[start:d.pos])}
	}
	if overflow || u > 1<<63 || (!neg && u == 1<<63) {
		return 0, false, &scanError{off: start, msg: "number " + string(d.buf[start:d.pos]) + " overflows int64"}
	}
	if neg {
		return -int64(u), true, nil
	}
	return int64(u), true, nil
}

// endOfDigits returns the index of the first non-digit at or after i.
func (d *decoder) endOfDigits(i int) int {
	for i < len(d.buf) && d.buf[i] >= '0' && d.buf[i] <= '9' {
		i++
	}
	return i
}

// numberTail checks the number that started at start (its integer digits at
// digits, the position after them) and consumes any fraction and exponent.
func (d *decoder) numberTail(start, digits int) error {
	switch n := d.pos - digits; {
	case n == 0:
		return d.charErr("in number")
	case n > 1 && d.buf[digits] == '0':
		d.pos = digits + 1
		return d.charErr("after leading zero")
	}
	if d.pos < len(d.buf) && d.buf[d.pos] == '.' {
		d.pos++
		f := d.pos
		d.pos = d.endOfDigits(f)
		if d.pos == f {
			return d.charErr("after decimal point")
		}
	}
	if d.pos < len(d.buf) && (d.buf[d.pos] == 'e' || d.buf[d.pos] == 'E') {
		d.pos++
		if d.pos < len(d.buf) && (d.buf[d.pos] == '+' || d.buf[d.pos] == '-') {
			d.pos++
		}
		e := d.pos
		d.pos = d.endOfDigits(e)
		if d.pos == e {
			return d.charErr("in exponent")
		}
	}
	_ = start
	return nil
}

// skipNumber consumes any JSON number.
func (d *decoder) skipNumber() error {
	start := d.pos
	if d.buf[d.pos] == '-' {
		d.pos++
	}
	digits := d.pos
	d.pos = d.endOfDigits(digits)
	return d.numberTail(start, digits)
}

// boolValue decodes true or false; ok is false for null.
func (d *decoder) boolValue() (v, ok bool, err error) {
	if d.pos >= len(d.buf) {
		return false, false, d.eofErr()
	}
	switch d.buf[d.pos] {
	case 't':
		return true, true, d.literal("true")
	case 'f':
		return false, true, d.literal("false")
	case 'n':
		return false, false, d.literal("null")
	}
	return false, false, d.typeErr("bool")
}

// stringValue decodes a string; ok is false for null.
func (d *decoder) stringValue() (s string, ok bool, err error) {
	if d.pos >= len(d.buf) {
		return "", false, d.eofErr()
	}
	switch d.buf[d.pos] {
	case '"':
	case 'n':
		return "", false, d.literal("null")
	default:
		return "", false, d.typeErr("string")
	}
	start, end, plain, err := d.scanString()
	if err != nil {
		return "", false, err
	}
	if plain {
		return d.text(start, end), true, nil
	}
	d.vtmp = unescape(d.vtmp[:0], d.buf[start:end])
	if d.strs != nil {
		return d.strs.get(d.vtmp), true, nil
	}
	return string(d.vtmp), true, nil
}

// rawValue decodes any value into text: a string's contents, or the JSON
// text of any other value; ok is false for null.
func (d *decoder) rawValue() (s string, ok bool, err error) {
	if d.pos >= len(d.buf) {
		return "", false, d.eofErr()
	}
	switch d.buf[d.pos] {
	case '"':
		return d.stringValue()
	case 'n':
		return "", false, d.literal("null")
	}
	start := d.pos
	if err := d.skip(1); err != nil {
		return "", false, err
	}
	return d.text(start, d.pos), true, nil
}

// scanString consumes a string at the position (which holds '"') and
// returns where its raw bytes between the quotes start and end. plain is
// true when they need no unescaping or UTF-8 repair.
func (d *decoder) scanString() (start, end int, plain bool, err error) {
	d.pos++
	start = d.pos
	plain = true
	buf := d.buf
	for i := start; i < len(buf); {
		c := buf[i]
		switch {
		case c == '"':
			d.pos = i + 1
			return start, i, plain, nil
		case c == '\\':
			plain = false
			n, err := escapeLen(buf, i)
			if err != nil {
				d.pos = i
				return 0, 0, false, err
			}
			i += n
		case c < 0x20:
			d.pos = i
			return 0, 0, false, d.syntaxErr("control character " + quoteByte(c) + " in string")
		case c >= utf8.RuneSelf:
			plain = false
			i++
		default:
			i++
		}
	}
	d.pos = len(buf)
	return 0, 0, false, d.eofErr()
}

// escapeLen checks the escape at buf[i] (a backslash) and returns its length.
func escapeLen(buf []byte, i int) (int, error) {
	if i+1 >= len(buf) {
		return 0, &scanError{off: len(buf), msg: "unexpected end of input", syntax: true}
	}
	switch buf[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, nil
	case 'u':
		for k := i + 2; k < i+6; k++ {
			if k >= len(buf) {
				return 0, &scanError{off: len(buf), msg: "unexpected end of input", syntax: true}
			}
			if hexVal(buf[k]) < 0 {
				return 0, &scanError{off: k, msg: "invalid " + quoteByte(buf[k]) + " in \\u escape", syntax: true}
			}
		}
		return 6, nil
	}
	return 0, &scanError{off: i + 1, msg: "invalid escape \\" + string(rune(buf[i+1])), syntax: true}
}

func hexVal(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c - 'a' + 10)
	case c >= 'A' && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

// hex4 reads the four hex digits at raw[i:], or -1 when there are none.
func hex4(raw []byte, i int) rune {
	if i+4 > len(raw) {
		return -1
	}
	var r rune
	for _, c := range raw[i : i+4] {
		v := hexVal(c)
		if v < 0 {
			return -1
		}
		r = r<<4 | v
	}
	return r
}

// unescape appends the decoded contents of a checked raw string to dst:
// escapes resolved (surrogate pairs joined, lone ones U+FFFD) and each
// invalid UTF-8 byte replaced by U+FFFD, as encoding/json does.
func unescape(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\\':
			var n int
			dst, n = unescapeOne(dst, raw, i)
			i += n
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			i++
		default:
			r, size := utf8.DecodeRune(raw[i:])
			dst = utf8.AppendRune(dst, r) // RuneError for a bad byte
			i += size
		}
	}
	return dst
}

// unescapeOne decodes the escape at raw[i] and returns the bytes consumed.
func unescapeOne(dst, raw []byte, i int) ([]byte, int) {
	switch c := raw[i+1]; c {
	case 'b':
		return append(dst, '\b'), 2
	case 'f':
		return append(dst, '\f'), 2
	case 'n':
		return append(dst, '\n'), 2
	case 'r':
		return append(dst, '\r'), 2
	case 't':
		return append(dst, '\t'), 2
	case 'u':
		r := hex4(raw, i+2)
		if !utf16.IsSurrogate(r) {
			return utf8.AppendRune(dst, r), 6
		}
		if i+7 < len(raw) && raw[i+6] == '\\' && raw[i+7] == 'u' {
			if dec := utf16.DecodeRune(r, hex4(raw, i+8)); dec != utf8.RuneError {
				return utf8.AppendRune(dst, dec), 12
			}
		}
		return utf8.AppendRune(dst, utf8.RuneError), 6
	default: // '"', '\\', '/'
		return append(dst, c), 2
	}
}

// key reads an object key and the colon after it. The returned bytes are
// valid until the next call.
func (d *decoder) key() ([]byte, error) {
	d.ws()
	if d.pos >= len(d.buf) {
		return nil, d.eofErr()
	}
	if d.buf[d.pos] != '"' {
		return nil, d.charErr("looking for object key")
	}
	start, end, plain, err := d.scanString()
	if err != nil {
		return nil, err
	}
	raw := d.buf[start:end]
	if !plain {
		d.ktmp = unescape(d.ktmp[:0], raw)
		raw = d.ktmp
	}
	d.ws()
	if d.pos >= len(d.buf) {
		return nil, d.eofErr()
	}
	if d.buf[d.pos] != ':' {
		return nil, d.charErr("after object key")
	}
	d.pos++
	d.ws()
	return raw, nil
}

// next consumes the ',' or the closing bracket after a member or element
// and reports whether more follow.
func (d *decoder) next(closing byte) (more bool, err error) {
	d.ws()
	if d.pos >= len(d.buf) {
		return false, d.eofErr()
	}
	switch d.buf[d.pos] {
	case ',':
		d.pos++
		return true, nil
	case closing:
		d.pos++
		return false, nil
	}
	if closing == '}' {
		return false, d.charErr("after object member")
	}
	return false, d.charErr("after array element")
}

// open consumes the opening bracket of an object or array and reports
// whether it is empty (the closing bracket consumed too).
func (d *decoder) open(closing byte) (empty bool) {
	d.pos++
	d.ws()
	if d.pos < len(d.buf) && d.buf[d.pos] == closing {
		d.pos++
		return true
	}
	return false
}

// skip consumes any JSON value, checking its syntax. depth is the nesting
// of the value being skipped.
func (d *decoder) skip(depth int) error {
	if d.pos >= len(d.buf) {
		return d.eofErr()
	}
	switch c := d.buf[d.pos]; {
	case c == '"':
		_, _, _, err := d.scanString()
		return err
	case c == '{' || c == '[':
		if depth > maxDepth {
			return d.syntaxErr("nesting deeper than " + strconv.Itoa(maxDepth))
		}
		return d.skipComposite(depth)
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return d.skipNumber()
	}
	return d.charErr("looking for beginning of value")
}

// skipComposite consumes an object or array.
func (d *decoder) skipComposite(depth int) error {
	closing := byte(']')
	if d.buf[d.pos] == '{' {
		closing = '}'
	}
	if d.open(closing) {
		return nil
	}
	for {
		if closing == '}' {
			if _, err := d.key(); err != nil {
				return err
			}
		} else {
			d.ws()
		}
		if err := d.skip(depth + 1); err != nil {
			return err
		}
		more, err := d.next(closing)
		if err != nil || !more {
			return err
		}
	}
}

// end checks that only whitespace follows the top-level value.
func (d *decoder) end() error {
	d.ws()
	if d.pos < len(d.buf) {
		return d.charErr("after top-level value")
	}
	return nil
}
