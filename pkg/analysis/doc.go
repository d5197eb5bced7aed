// Package analysis computes the analyses Cryptolens users run on their
// logs, and the ones nobody ships yet, on the typed tables of package logs.
//
// Each analysis is one call that reads like what it does and returns a
// small typed result:
//
//	analysis.SuccessRatio(api)                       // success vs failure, the help site's chart
//	analysis.HeaviestKeys(api, 0.01)                 // keys over 1% of all requests
//	analysis.RequestsByState(api)                    // per state code, with its meaning
//	analysis.RequestsPerDay(api)                     // per day, split by outcome
//	analysis.SeatAudit(api, key, 5)                  // floating-seat replay of one license over api.Period
//	analysis.PeakSeats(api, limits, time.Hour)       // concurrent-seat high-water marks
//	analysis.InactiveLicenses(api, now, 30)          // keys silent for over 30 days
//	analysis.KeySharing(api)                         // keys used by too many machines and IPs
//	analysis.FailureBursts(api, analysis.BurstOptions{}) // failure spikes per key
//	analysis.MeteredByKey(api)                       // sum of doIntValue
//	analysis.FeatureUsage(ev), analysis.Revenue(ev)  // from the Events Log
//	analysis.FieldHistory(obj)                       // who changed which field, from what to what
//	analysis.LicenseTimeline(api, ev, obj, key)      // one key's story from the three logs, in time order
//	analysis.ChangeImpact(api, obj, analysis.ImpactOptions{}) // changes ranked by the failures after them
//	analysis.DataHealth(in)                          // can the figures be trusted: ok / look / bad per check
//	analysis.Anomalies(api)                          // Cryptolens' anomaly groups, each shown whole
//
// The license analyses also read the account's license list (a
// LicenseList: licenses, activated machines, customers, and the changes
// between its snapshots), which says what was sold, where the Web API Log
// says what was used; each reads the log over the table's Period:
//
//	analysis.Entitlements(lics, api, analysis.ByProduct) // purchased, activated, peak in use, next expiry
//	analysis.Renewals(lics, api)                     // expiring within 30/60/90 days: in use, fading, unused
//	analysis.Upsell(lics, api)                       // floating licenses by time at their seat limit
//	analysis.TrialFunnel(lics, api, 14, 30)          // created, activated, converted, still active
//	analysis.Cohorts(lics, api)                      // licenses by month created, share active after
//	analysis.LostLicenses(lics, api, 40)             // silent for 40 days, with the last state seen
//	analysis.NeverUsed(lics, api)                    // in the list, never in the log
//
// Calls whose parameters can be wrong return an error saying which and
// why; the others cannot fail. A nil table is read as an empty one.
//
// # Results
//
// Every result has Frame, a gota DataFrame with readable column names for
// people to look at, and WriteCSV, which writes the same columns from the
// typed data with exact numbers (integers in full, floats as the shortest
// text that reads back the same, money with two decimals). SaveCSV writes
// any result to a file. Times are UTC text in logs.TimeLayout; days and
// hours are UTC buckets.
//
// Results also implement the chart data interfaces of package charts
// structurally (Labeled, Timed, Stacked or Grid, and Percenter when their
// values are shares), so a result can be handed to a chart as it is.
//
// # What a report says first, and under each section
//
// A report opens with value boxes and a one-sentence answer, both built
// here from the analysis its sections show: SuccessBoxes(api, prev) and
// SuccessAnswer(api), and likewise Heavy, Seat, Inactive, Feature, Usage,
// Sharing, Change, Timeline, Health and Log boxes, each for the period and,
// where a comparison means something, the previous period of the same
// length (format.Box; nb.Boxes shows them). Under a section, a result's
// Summary is its figures a line each, and its ...Text methods say its
// notable rows in words (RefusalsText, FailuresText, ProblemsText), so a
// notebook cell prints them in one line.
//
// # Outcomes
//
// A request's outcome is its state code's third digit: 1 success, 2
// failure, anything else unknown. Unknown outcomes are counted as such,
// never guessed.
//
// # Performance
//
// The analyses loop over the table's columns with maps keyed by the
// column's strings, never through a DataFrame: a million rows take tens of
// milliseconds (see the benchmarks).
package analysis
