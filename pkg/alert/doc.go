// Package alert judges thresholds over lenslog's analyses, so that a
// scheduled job can tell someone when something goes wrong: failures
// doubling after a release, a customer stuck at the seat limit, a key used
// from too many machines, a day without rows, a data-health check gone bad.
//
// Rules come from a YAML file:
//
//	rules:
//	  - name: failures-up          # unique; results and messages name it
//	    kind: failure-share        # what is measured (below)
//	    window: 24h                # the last day, up to the account's now
//	    above: 20%                 # fires above this share of failed requests...
//	    times: 2                   # ...or above twice the share of the 7 days before
//	  - name: stuck-at-seat-limit
//	    kind: seats-at-limit
//	    hours: 3                   # every seat in use in more than 3 hours of the window
//	  - name: shared-keys
//	    kind: machines-per-key
//	    window: 30d
//	    above: 20                  # a key seen from more than 20 machines
//	  - name: quiet-day
//	    kind: day-without-rows
//	    window: 7d
//	  - name: health
//	    kind: data-health          # a check of analysis.DataHealth graded bad
//	webhook:                       # optional: the report POSTed as JSON
//	  url: https://hooks.example.com/T000/B000/XXXX
//	  timeout: 10s
//	  retries: 3
//
// The kinds, their fields and defaults are one table (kinds in kinds.go):
//
//	failure-share     window (24h), baseline (7d), above (a share: 20% or 0.2), times (> 1), min-rows (20), product
//	seats-at-limit    window (24h), hours, product
//	machines-per-key  window (30d), above, product
//	day-without-rows  window (7d), log (webapi, events or objects)
//	data-health       window (30d), status (bad; or look), check (one check's name)
//	license-expiring  days (1 to 90), product: licenses of the license list due within days
//
// Durations are Go's (36h, 90m) or whole days and weeks (7d, 2w). Parse
// reports every problem of a file before anything runs, each naming the
// file, the line, the rule and the field: an unknown field or kind, a field
// the kind does not take, a value of the wrong type, a negative threshold,
// a missing required field, two rules of one name.
//
// Evaluate judges the rules over an Input (the logs as loaded from one
// account over Rules.Lookback, and the seat limits known) and returns a
// Report: per rule whether it fired, a one-line summary and the findings
// (keys, days, checks) with their figures, as typed data that marshals to
// JSON. The report holds what the loaded tables hold: opened redacting,
// its keys are pseudonyms. It never holds a token. Webhook.Post sends it,
// with a timeout per attempt and bounded retries that back off.
package alert
