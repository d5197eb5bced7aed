package jupyter

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestSignKnownVector(t *testing.T) {
	// Computed independently with Python's hmac module.
	const want = "05be44b8eff7e6a0748ceab6993cb7d6dde6fad22c979f1e53e469866bf5356b"
	got := Sign([]byte("secret-key"), []byte(`{"msg_id":"1"}`), []byte(`{}`), []byte(`{}`), []byte(`{"code":"x"}`))
	if got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
	if s := Sign(nil, []byte("x")); s != "" {
		t.Errorf("Sign without key = %q, want empty", s)
	}
}

// testMessage returns a message with identities, a parent and content.
func testMessage(t *testing.T) *Message {
	t.Helper()
	m, err := NewMessage("sess", "execute_request", map[string]any{"code": "1+1"})
	if err != nil {
		t.Fatal(err)
	}
	m.Identities = [][]byte{[]byte("id-1")}
	m.ParentHeader = Header{MsgID: "p", MsgType: "x", Session: "sess"}
	m.Metadata = map[string]any{"k": "v"}
	return m
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	key := []byte("k")
	m := testMessage(t)
	m.Buffers = [][]byte{{1, 2, 3}}
	frames, err := m.Encode(key)
	if err != nil {
		t.Fatal(err)
	}
	if string(frames[1]) != "<IDS|MSG>" || len(frames) != 8 {
		t.Fatalf("frames = %q, want identity, delimiter, signature, 4 parts, buffer", frames)
	}
	got, err := Decode(frames, key)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Header, m.Header) || !reflect.DeepEqual(got.ParentHeader, m.ParentHeader) ||
		!reflect.DeepEqual(got.Identities, m.Identities) || !reflect.DeepEqual(got.Buffers, m.Buffers) ||
		string(got.Content) != string(m.Content) || got.Metadata["k"] != "v" {
		t.Errorf("decoded %+v, want %+v", got, m)
	}
	if got.Header.Version != ProtocolVersion || got.Header.MsgID == "" || got.Header.Date == "" {
		t.Errorf("header not filled: %+v", got.Header)
	}
}

func TestEncodeEmptyParts(t *testing.T) {
	m := &Message{Header: Header{MsgID: "1"}}
	frames, err := m.Encode(nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"<IDS|MSG>", "", `{"msg_id":"1","session":"","username":"","date":"","msg_type":"","version":""}`, "{}", "{}", "{}"} {
		if string(frames[i]) != want {
			t.Errorf("frame %d = %q, want %q", i, frames[i], want)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	key := []byte("right key")
	good, err := testMessage(t).Encode(key)
	if err != nil {
		t.Fatal(err)
	}
	// change returns a copy of good with frame i replaced.
	change := func(i int, v string) [][]byte {
		f := append([][]byte{}, good...)
		f[i] = []byte(v)
		return f
	}
	tests := []struct {
		name   string
		frames [][]byte
		key    []byte
		want   error
	}{
		{"wrong key", good, []byte("wrong key"), ErrBadSignature},
		{"tampered header", change(3, `{"msg_id":"evil"}`), key, ErrBadSignature},
		{"tampered parent", change(4, `{}`), key, ErrBadSignature},
		{"tampered metadata", change(5, `{}`), key, ErrBadSignature},
		{"tampered content", change(6, `{"code":"rm -rf /"}`), key, ErrBadSignature},
		{"missing signature", change(2, ""), key, ErrBadSignature},
		{"no delimiter", change(1, "<IDS>"), key, ErrMalformed},
		{"too few frames", good[:5], key, ErrMalformed},
		{"bad header JSON", change(3, `{`), nil, ErrMalformed},
		{"bad content JSON", change(6, `{`), nil, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Decode(tt.frames, tt.key); !errors.Is(err, tt.want) {
				t.Errorf("Decode error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestConnectionInfo(t *testing.T) {
	c, err := NewConnectionInfo()
	if err != nil {
		t.Fatal(err)
	}
	ports := map[int]bool{c.ShellPort: true, c.IOPubPort: true, c.StdinPort: true, c.ControlPort: true, c.HBPort: true}
	if len(ports) != 5 || ports[0] {
		t.Errorf("ports not five distinct non-zero ones: %+v", c)
	}
	if c.IP != "127.0.0.1" || c.SignatureScheme != "hmac-sha256" || len(c.Key) < 32 {
		t.Errorf("connection info = %+v", c)
	}
	if other, _ := NewConnectionInfo(); other != nil && other.Key == c.Key {
		t.Errorf("two connections share the key %q", c.Key)
	}
	path := filepath.Join(t.TempDir(), "conn.json")
	if err := c.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("connection file mode %v, want 0600 (it holds the key)", st.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	var back map[string]any
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"transport", "ip", "shell_port", "iopub_port", "stdin_port", "control_port", "hb_port", "key", "signature_scheme"} {
		if _, ok := back[k]; !ok {
			t.Errorf("connection file lacks %q", k)
		}
	}
}
