package cryptolens

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// formCase is one query and the form it must send, or the error it must
// give, for the query-form tests of every method family.
type formCase struct {
	name    string
	form    func() (url.Values, error)
	want    string // url.Values.Encode of the form
	wantErr string // text of the ErrBadInput it must give instead
}

// checkForms runs each case as a subtest.
func checkForms(t *testing.T, tests []formCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := tt.form()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, ErrBadInput) {
					t.Fatalf("err = %v, want ErrBadInput saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := v.Encode(); got != tt.want {
				t.Errorf("form = %s, want %s", got, tt.want)
			}
		})
	}
}

// decodeCase is one response body and the rows a page decoder must make
// of it, or the error it must give, for the decoder tests of every table.
type decodeCase struct {
	name    string
	decode  func([]byte) (any, error)
	body    string
	want    any
	wantErr string // text the error must hold
}

// checkDecodes runs each case as a subtest.
func checkDecodes(t *testing.T, tests []decodeCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.decode([]byte(tt.body))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
