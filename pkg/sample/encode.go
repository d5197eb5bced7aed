package sample

import "unicode/utf8"

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

// appendRaw appends s, JSON text, as it is, or null when it is empty.
func appendRaw(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return append(b, s...)
}

// The row encoders (appendWebAPILogRow, appendEvent, appendObjectLogEntry)
// are generated from internal/logschema into encode_gen.go.

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
