package jupyter

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ProtocolVersion is the messaging protocol version this client speaks.
const ProtocolVersion = "5.3"

// delimiter separates the routing identities from the message proper.
var delimiter = []byte("<IDS|MSG>")

// ErrBadSignature is returned by Decode for a message whose HMAC does not
// match the connection key: it did not come from the kernel, or was altered.
var ErrBadSignature = errors.New("jupyter: bad message signature")

// ErrMalformed is returned by Decode for frames that are not a Jupyter
// message.
var ErrMalformed = errors.New("jupyter: malformed message")

// Header identifies a message and its type.
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is one Jupyter protocol message.
type Message struct {
	// Identities are the ZeroMQ routing prefixes (topics on iopub).
	Identities [][]byte
	// Header describes this message; ParentHeader the request it answers
	// (zero for none).
	Header, ParentHeader Header
	// Metadata is free-form; nil encodes as {}.
	Metadata map[string]any
	// Content is the type-specific JSON body.
	Content json.RawMessage
	// Buffers are extra binary frames.
	Buffers [][]byte
}

// NewMessage returns a request of the given type in session, with a fresh
// id, the current time and content encoded as JSON.
func NewMessage(session, msgType string, content any) (*Message, error) {
	c, err := json.Marshal(content)
	if err != nil {
		return nil, fmt.Errorf("jupyter: encode %s content: %w", msgType, err)
	}
	return &Message{
		Header: Header{
			MsgID:    newID(),
			Session:  session,
			Username: "lenslog",
			Date:     time.Now().UTC().Format(time.RFC3339Nano),
			MsgType:  msgType,
			Version:  ProtocolVersion,
		},
		Content: c,
	}, nil
}

// newID returns 32 random hex digits, the form Jupyter uses for ids.
func newID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("jupyter: no randomness: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

// Sign returns the hex HMAC-SHA256 of the four signed parts (header,
// parent header, metadata, content) under key; "" if key is empty, which
// the protocol uses for "no signing".
func Sign(key []byte, parts ...[]byte) string {
	if len(key) == 0 {
		return ""
	}
	mac := hmac.New(sha256.New, key)
	for _, p := range parts {
		mac.Write(p)
	}
	return hex.EncodeToString(mac.Sum(nil))
}

// Encode returns the wire frames of m signed with key: identities, the
// delimiter, the signature, header, parent header, metadata, content and
// buffers.
func (m *Message) Encode(key []byte) ([][]byte, error) {
	parts, err := m.signedParts()
	if err != nil {
		return nil, err
	}
	frames := make([][]byte, 0, len(m.Identities)+6+len(m.Buffers))
	frames = append(frames, m.Identities...)
	frames = append(frames, delimiter, []byte(Sign(key, parts...)))
	frames = append(frames, parts...)
	return append(frames, m.Buffers...), nil
}

// signedParts encodes header, parent header, metadata and content.
func (m *Message) signedParts() ([][]byte, error) {
	h, err := json.Marshal(m.Header)
	if err != nil {
		return nil, err
	}
	p := []byte("{}")
	if m.ParentHeader != (Header{}) {
		if p, err = json.Marshal(m.ParentHeader); err != nil {
			return nil, err
		}
	}
	md := []byte("{}")
	if m.Metadata != nil {
		if md, err = json.Marshal(m.Metadata); err != nil {
			return nil, err
		}
	}
	c := m.Content
	if len(c) == 0 {
		c = []byte("{}")
	}
	return [][]byte{h, p, md, c}, nil
}

// Decode parses wire frames into a message, checking the signature against
// key (unless key is empty). Errors wrap ErrBadSignature or ErrMalformed.
func Decode(frames [][]byte, key []byte) (*Message, error) {
	d := -1
	for i, f := range frames {
		if bytes.Equal(f, delimiter) {
			d = i
			break
		}
	}
	if d < 0 || len(frames) < d+6 {
		return nil, fmt.Errorf("%w: %d frames, no delimiter or too few parts", ErrMalformed, len(frames))
	}
	sig, parts := frames[d+1], frames[d+2:d+6]
	if len(key) > 0 && !hmac.Equal(sig, []byte(Sign(key, parts...))) {
		return nil, ErrBadSignature
	}
	m := &Message{Identities: frames[:d], Content: json.RawMessage(parts[3]), Buffers: frames[d+6:]}
	if err := json.Unmarshal(parts[0], &m.Header); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	if err := json.Unmarshal(parts[1], &m.ParentHeader); err != nil {
		return nil, fmt.Errorf("%w: parent header: %v", ErrMalformed, err)
	}
	if err := json.Unmarshal(parts[2], &m.Metadata); err != nil {
		return nil, fmt.Errorf("%w: metadata: %v", ErrMalformed, err)
	}
	if !json.Valid(m.Content) {
		return nil, fmt.Errorf("%w: content is not JSON", ErrMalformed)
	}
	return m, nil
}

// Type returns the message type.
func (m *Message) Type() string { return m.Header.MsgType }

// ParentID returns the id of the request this message answers.
func (m *Message) ParentID() string { return m.ParentHeader.MsgID }

// DecodeContent unmarshals the content into v.
func (m *Message) DecodeContent(v any) error {
	if err := json.Unmarshal(m.Content, v); err != nil {
		return fmt.Errorf("jupyter: %s content: %w", m.Type(), err)
	}
	return nil
}
