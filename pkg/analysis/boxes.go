package analysis

import (
	"fmt"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/logs"
)

// This file holds the value boxes reports open with (nb.Boxes shows
// them): each function builds a report's headline figures from the same
// analysis its sections show, for the period and, where a comparison
// means something, for the previous period of the same length
// (lenslog.Previous), so a notebook says one line. A previous period
// without rows (before the account's history) or without a result (nil)
// leaves the boxes without a change: there is nothing to compare with.

// versus is boxes compared with the previous period when it has data
// (has), else the figures alone.
func versus(has bool, boxes ...format.Box) []format.Box {
	for i := range boxes {
		boxes[i].HasPrevious = boxes[i].HasPrevious && has
	}
	return boxes
}

// SuccessBoxes are the boxes of "did our license requests succeed?":
// requests, the share that succeeded and the failed requests in api,
// against prev.
func SuccessBoxes(api, prev *logs.WebAPI) []format.Box {
	now, before := SuccessRatio(api), SuccessRatio(prev)
	return versus(prev.Len() > 0,
		format.Compare("Requests", now.Total(), before.Total()),
		format.Compare("Succeeded", now.Share(cryptolens.OutcomeSuccess), before.Share(cryptolens.OutcomeSuccess)).AsShare().Good(),
		format.Compare("Failed requests", now.Count(cryptolens.OutcomeFailure), before.Count(cryptolens.OutcomeFailure)).Bad(),
	)
}

// HeavyBoxes are the boxes of "whose requests fill the log?": requests,
// keys above minShare of them (HeaviestKeys) and distinct friendly names
// in api, against prev.
func HeavyBoxes(api, prev *logs.WebAPI, minShare float64) ([]format.Box, error) {
	now, err := HeaviestKeys(api, minShare)
	if err != nil {
		return nil, err
	}
	before, err := HeaviestKeys(prev, minShare)
	if err != nil {
		return nil, err
	}
	return versus(prev.Len() > 0,
		format.Compare("Requests", api.Len(), prev.Len()),
		format.Compare(fmt.Sprintf("Keys above %.3g%%", 100*minShare), len(now.Rows), len(before.Rows)),
		format.Compare("Distinct friendly names", len(RequestsByFriendlyName(api).Rows), len(RequestsByFriendlyName(prev).Rows)),
	), nil
}

// SeatBoxes are the boxes of "is this floating license sized right?": the
// peak seats in use, devices refused, overdrafts and seats taken in the
// audit, against the audit of the previous period.
func SeatBoxes(audit, prev *SeatReport) []format.Box {
	has := prev != nil
	if !has {
		prev = &SeatReport{}
	}
	return versus(has,
		format.Compare("Peak seats in use", audit.PeakInUse(), prev.PeakInUse()),
		format.Compare("Devices refused, no free seat", audit.DeviceLimit, prev.DeviceLimit).Bad(),
		format.Compare("Overdrafts", audit.Overdrafts, prev.Overdrafts).Bad(),
		format.Compare("Seats taken", audit.Activations, prev.Activations),
	)
}

// InactiveBoxes are the boxes of "which keys have gone quiet?": the keys
// with activity (LastActivity), the inactive ones (InactiveLicenses) and
// their share. A key's last activity has no previous period.
func InactiveBoxes(all, inactive *KeyActivity) []format.Box {
	return []format.Box{
		format.Value("Keys with activity", len(all.Rows)),
		format.Value("Inactive keys", len(inactive.Rows)).Bad(),
		format.Value("Inactive share", float64(len(inactive.Rows))/float64(max(1, len(all.Rows)))).AsShare().Bad(),
	}
}

// FeatureBoxes are the boxes of "what is used?": the events in ev and the
// features they name. No previous period: the Events Log keeps about 45
// days, so the one before is often cut short.
func FeatureBoxes(ev *logs.Events) []format.Box {
	return []format.Box{format.Value("Events", ev.Len()), format.Value("Features used", len(FeatureUsage(ev).Rows))}
}

// UsageBoxes are the boxes of "who uses the software, and how much?":
// requests and failed requests summed over the daily aggregates, and the
// devices active on an average day, against the period before.
func UsageBoxes(kpis, before *KPIs) []format.Box {
	return versus(before.Len() > 0,
		format.Compare("Requests", kpis.Sum().Requests, before.Sum().Requests),
		format.Compare("Failed requests", kpis.Sum().Failed, before.Sum().Failed).Bad(),
		format.Compare("Active devices a day", kpis.Mean().ActiveDevices, before.Mean().ActiveDevices).Good(),
	)
}

// TimelineBoxes are the boxes of "what happened to license X?": its
// requests and failed requests against the previous period's timeline,
// the changes made to the key and the events its application sent.
func TimelineBoxes(tl, prev *KeyTimeline) []format.Box {
	has := prev != nil
	if !has {
		prev = &KeyTimeline{}
	}
	return versus(has,
		format.Compare("Requests", tl.Requests, prev.Requests),
		format.Compare("Failed requests", tl.Failures, prev.Failures).Bad(),
		format.Value("Changes to the key", tl.KeyChanges),
		format.Value("Events sent", tl.Events),
	)
}

// HealthBoxes are the boxes of "can I trust these figures?": the checks
// ok, to look at and bad, and the Web API Log rows checked.
func HealthBoxes(h *Health, api *logs.WebAPI) []format.Box {
	return []format.Box{
		format.Value("Checks ok", h.Count(StatusOK)).Good(),
		format.Value("Checks to look at", h.Count(StatusLook)).Bad(),
		format.Value("Checks bad", h.Count(StatusBad)).Bad(),
		format.Value("Web API Log rows", api.Len()),
	}
}

// LogBoxes are the boxes of "what do the three logs hold?": the rows of
// each, as loaded (each for its own period). They are what the account
// holds, not a trend: no previous period.
func LogBoxes(api *logs.WebAPI, ev *logs.Events, obj *logs.Objects) []format.Box {
	return []format.Box{
		format.Value("Web API Log rows", api.Len()),
		format.Value("Events Log rows", ev.Len()),
		format.Value("Object Log entries", obj.Len()),
	}
}

// SharingBoxes are the boxes of "which keys look shared?": requests, the
// keys that made them and the failure bursts (FailureBursts with its
// default rule) in api, against prev.
func SharingBoxes(api, prev *logs.WebAPI) ([]format.Box, error) {
	now, err := FailureBursts(api, BurstOptions{})
	if err != nil {
		return nil, err
	}
	before, err := FailureBursts(prev, BurstOptions{})
	if err != nil {
		return nil, err
	}
	return versus(prev.Len() > 0,
		format.Compare("Requests", api.Len(), prev.Len()),
		format.Compare("Keys used", len(RequestsByKey(api).Rows), len(RequestsByKey(prev).Rows)),
		format.Compare("Failure bursts", len(now.Rows), len(before.Rows)).Bad(),
	), nil
}

// ChangeBoxes are the boxes of "who changed what?": the Object Log's
// entries, the users who made them and the fields changed. No previous
// period: Cryptolens keeps the Object Log for 30 days, so the one before
// is only what a store kept.
func ChangeBoxes(obj *logs.Objects) []format.Box {
	return []format.Box{
		format.Value("Object Log entries", obj.Len()),
		format.Value("Users", len(ChangesByUser(obj).Rows)),
		format.Value("Field changes", len(FieldHistory(obj).Rows)),
	}
}
