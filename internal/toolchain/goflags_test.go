package toolchain

import "testing"

func TestCellGoflags(t *testing.T) {
	const ours = "-ldflags=-s -tags=netgo,osusergo"
	tests := []struct{ name, in, want string }{
		{"none set", "", ours},
		{"user flags kept", "-mod=mod -trimpath", "-mod=mod -trimpath " + ours},
		{"user ldflags win", "-ldflags=-X=main.v=1", "-ldflags=-X=main.v=1 -tags=netgo,osusergo"},
		{"double dash", "--ldflags=-w", "--ldflags=-w -tags=netgo,osusergo"},
		{"user tags win", "-tags=sqlite", "-tags=sqlite -ldflags=-s"},
		{"empty tags turn ours off", "-tags=", "-tags= -ldflags=-s"},
		{"both set: nothing added", " -ldflags= -tags= ", "-ldflags= -tags="},
		{"a flag whose name starts alike", "-tagsx=1", "-tagsx=1 " + ours},
	}
	for _, tt := range tests {
		if got := CellGoflags(tt.in); got != tt.want {
			t.Errorf("%s: CellGoflags(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}
