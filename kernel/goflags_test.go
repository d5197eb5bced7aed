package main

import "testing"

func TestCellGoflags(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"none set", "", "-ldflags=-s"},
		{"user flags kept", "-mod=mod -trimpath", "-mod=mod -trimpath -ldflags=-s"},
		{"user ldflags win", "-ldflags=-X=main.v=1", "-ldflags=-X=main.v=1"},
		{"double dash", "--ldflags=-w", "--ldflags=-w"},
	}
	for _, tt := range tests {
		if got := cellGoflags(tt.in); got != tt.want {
			t.Errorf("%s: cellGoflags(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}
