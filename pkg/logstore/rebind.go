package logstore

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// ErrNotSameAccount matches (with errors.Is) a rebind refused because the
// new token does not read the rows the store holds.
var ErrNotSameAccount = errors.New("the new token does not read this store's account")

// rebindSamples is how many stored rows of each log a rebind fetches again
// to prove the new token reads the same account.
const rebindSamples = 3

// proveSameAccount fetches a few of the newest stored rows of each log
// through src and compares them with the stored ones: a rebind must not
// mix another account's rows into this history. It passes when at least
// one log's rows came back the same and none differed (a log the token
// may not read, or an empty one, proves nothing either way); it fails
// naming the log, the id and what differed.
func (s *Store) proveSameAccount(ctx context.Context, src *sources) error {
	var checked int
	var errs []error
	for _, try := range []func() (int, error){
		func() (int, error) { return proveLog(ctx, s, webAPIKind, src.webAPI) },
		func() (int, error) { return proveLog(ctx, s, eventsKind, src.events) },
		func() (int, error) { return proveLog(ctx, s, objectsKind, src.objects) },
	} {
		n, err := try()
		switch {
		case errors.Is(err, ErrNotSameAccount):
			return fmt.Errorf("logstore: rebind refused: %w; nothing was written", err)
		case err != nil && !Refused(err):
			errs = append(errs, err)
		}
		checked += n
	}
	if checked > 0 {
		return nil
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("logstore: rebind: cannot check that the new token reads this account: %w", err)
	}
	if s.empty() {
		return nil // nothing stored, nothing to mix
	}
	return fmt.Errorf("logstore: rebind refused: %w: none of the stored rows could be read with it; nothing was written", ErrNotSameAccount)
}

// empty reports whether the store holds no row of any log.
func (s *Store) empty() bool {
	for _, l := range AllLogs() {
		if m, err := readManifest(s.logDir(l), l); err == nil && m.rows() > 0 {
			return false
		}
	}
	return true
}

// proveLog compares up to rebindSamples of the newest stored rows of one
// log with the rows src serves under their ids, and returns how many
// matched.
func proveLog[R cryptolens.Row, T any](ctx context.Context, s *Store, k kind[R, T], src source[R]) (int, error) {
	if src.page == nil {
		return 0, nil
	}
	m, err := readManifest(s.logDir(k.log), k.log)
	if err != nil || len(m.Segments) == 0 {
		return 0, nil
	}
	last := m.Segments[len(m.Segments)-1]
	t, err := loadSegments(s.logDir(k.log), []Segment{last}, logs.Window{}, k, nil)
	if err != nil {
		return 0, err
	}
	n := k.len(t)
	matched := 0
	for i := max(0, n-rebindSamples); i < n; i++ {
		stored := k.row(t, i)
		page, err := src.page(ctx, stored.RowID()-1)
		if err != nil {
			return matched, err
		}
		if len(page) == 0 || page[0].RowID() != stored.RowID() {
			return matched, fmt.Errorf("%w: %s row %d, which the store holds, is not in what it reads", ErrNotSameAccount, k.log, stored.RowID())
		}
		if field := differs(stored, page[0]); field != "" {
			return matched, fmt.Errorf("%w: %s row %d differs in %s", ErrNotSameAccount, k.log, stored.RowID(), field)
		}
		matched++
	}
	return matched, nil
}

// differs names the first field in which two rows differ, "" if none.
// The anomaly classification is left out: the API computes it when asked,
// and it may change as the account's history grows.
func differs[R any](a, b R) string {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	if va.Kind() != reflect.Struct {
		if reflect.DeepEqual(a, b) {
			return ""
		}
		return "content"
	}
	for i := range va.NumField() {
		name := va.Type().Field(i).Name
		if name == "IsAnomaly" || name == "AnomalyProperties" || !va.Type().Field(i).IsExported() {
			continue
		}
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			return name
		}
	}
	return ""
}
