package analysis

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
)

// keyLink is what the Object Log itself says about which object a license
// key string is: the Web API Log names keys by their string, the Object Log
// by affectedObjectId, and only the Object Log's own data joins the two.
type keyLink struct {
	ObjectID int64     // the key's affectedObjectId
	EntryID  int64     // the entry the link was read from
	At       time.Time // that entry's time
	Action   cryptolens.ResourceAction
	// Limits are the key's MaxNoOfMachines as the Object Log tells them, in
	// time order: from an Added copy, then each update's new value.
	Limits []limitAt
	// Floating is true when the Added copy has a FloatingTimeInterval.
	Floating bool
}

// limitAt is a machine or seat limit in force from At on.
type limitAt struct {
	At    time.Time
	Limit int
}

// describe says where the link came from, e.g. "object 310008, from the
// Added entry 881234 of 2026-09-16 09:00:02".
func (l keyLink) describe() string {
	return fmt.Sprintf("object %d, from the %s entry %d of %s", l.ObjectID, l.Action, l.EntryID, format.Time(l.At))
}

// keyCopy is the part of a license key object an Added or Deleted entry
// copies that the link needs.
type keyCopy struct {
	Key                  *string `json:"Key"`
	MaxNoOfMachines      *int    `json:"MaxNoOfMachines"`
	FloatingTimeInterval int64   `json:"FloatingTimeInterval"`
}

// keyLinks reads the Object Log's license-key entries for the key strings
// they carry: the copy an Added (or Deleted) entry holds, or an update
// that changed the Key field ([old, new]: both strings are the object).
// With only set, it keeps that key alone (and skips entries whose data
// does not mention it). The first entry naming a key links it; readLimits
// adds what the log says of its machine limit.
func keyLinks(obj *logs.Objects, only string) map[string]*keyLink {
	obj = objects(obj)
	out := map[string]*keyLink{}
	for i, typ := range obj.ResourceType {
		if typ != cryptolens.ResourceLicenseKey || (only != "" && !strings.Contains(obj.Data[i], only)) {
			continue
		}
		for _, key := range keysNamed(obj.ResourceAction[i], obj.Data[i]) {
			if only != "" && key != only {
				continue
			}
			if _, ok := out[key]; !ok {
				out[key] = &keyLink{ObjectID: obj.AffectedObjectID[i], EntryID: obj.ID[i], At: obj.Time.At(i), Action: obj.ResourceAction[i]}
			}
		}
	}
	return out
}

// keysNamed returns the key strings an entry's data carries.
func keysNamed(action cryptolens.ResourceAction, data string) []string {
	if action == cryptolens.ActionUpdated {
		if !strings.Contains(data, `"Key"`) && !strings.Contains(data, `"key"`) {
			return nil // most updates: cheap to rule out before parsing
		}
		fields, _, err := parseDiff(data)
		if err != nil {
			return nil
		}
		for _, f := range fields {
			if strings.EqualFold(f.name, "Key") {
				return []string{f.old, f.new}
			}
		}
		return nil
	}
	var c keyCopy
	if json.Unmarshal([]byte(data), &c) != nil || c.Key == nil {
		return nil
	}
	return []string{*c.Key}
}

// readLimits collects the key object's machine limits over time and
// whether it is floating, from every entry about the object.
func (l *keyLink) readLimits(obj *logs.Objects) {
	for i, id := range obj.AffectedObjectID {
		if id != l.ObjectID || obj.ResourceType[i] != cryptolens.ResourceLicenseKey {
			continue
		}
		switch obj.ResourceAction[i] {
		case cryptolens.ActionAdded:
			var c keyCopy
			if json.Unmarshal([]byte(obj.Data[i]), &c) == nil {
				if c.MaxNoOfMachines != nil {
					l.Limits = append(l.Limits, limitAt{obj.Time.At(i), *c.MaxNoOfMachines})
				}
				l.Floating = l.Floating || c.FloatingTimeInterval > 0
			}
		case cryptolens.ActionUpdated:
			fields, _, err := parseDiff(obj.Data[i])
			if err != nil {
				continue
			}
			for _, f := range fields {
				if !strings.EqualFold(f.name, "MaxNoOfMachines") {
					continue
				}
				var old, new int
				if _, err := fmt.Sscan(f.old, &old); err == nil && len(l.Limits) == 0 {
					l.Limits = append(l.Limits, limitAt{Limit: old}) // in force before the first change
				}
				if _, err := fmt.Sscan(f.new, &new); err == nil {
					l.Limits = append(l.Limits, limitAt{obj.Time.At(i), new})
				}
			}
		}
	}
	slices.SortStableFunc(l.Limits, func(a, b limitAt) int { return a.At.Compare(b.At) })
}

// limit returns the limit in force at t, 0 when the log does not tell.
func (l *keyLink) limit(t time.Time) int {
	n := 0
	for _, x := range l.Limits {
		if x.At.After(t) {
			break
		}
		n = x.Limit
	}
	return n
}
