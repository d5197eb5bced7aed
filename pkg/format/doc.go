// Package format is the one place lenslog writes numbers, times and names
// for a reader: tables (pkg/nb), chart labels (pkg/charts), the lines the
// analyses and notebooks print, and the kernel's own lines all use it, so
// a share reads "84.4%" and a count "12,345" everywhere.
//
// The style:
//
//   - shares (fractions in [0,1]) as percent with one decimal, "<0.1%"
//     for a share too small to show and ">99.9%" for one just short of all;
//   - counts with thousands separators, "1,376", and with their noun
//     agreeing, "1 request", "2,485 requests" (Counted);
//   - other numbers with thousands separators and at most three
//     significant decimals, never in e-notation below a trillion;
//   - durations in the two largest units, "3 d 16 h", "5 h 12 min", "42 s";
//   - a midnight UTC instant as its date, "2026-11-05", others to the
//     minute, "2026-11-05 14:03 UTC"; a span of days as "2026-10-06 to
//     2026-11-04" (Period, which is also how a logs.Window prints);
//   - money with its currency, "1,234.50 USD";
//   - column names in words, "days_silent" and "DaysSilent" as
//     "Days silent";
//   - a headline figure (Box) with its change against the previous
//     period, "▲ 12.5%", "▼ 2.1 pts" for a share, and a rise of tenfold or
//     more as a multiple, "▲ 138×".
//
// Machine-readable output (CSV exports, the analyses' own values) does not
// pass through here: it keeps full precision and stable names.
package format
