package format

import (
	"regexp"
	"strings"
	"time"
)

// goDuration matches a time.Duration as Go prints it with hours or
// minutes, e.g. "88h5m4s", "3m20.5s": not a bare "42s", which may be
// anything.
var goDuration = regexp.MustCompile(`^-?(\d+h)?(\d+m)?(\d+(\.\d+)?s)?$`)

// timeLayouts are the ways a time reaches a table as text: Go's own
// String, gota's, RFC 3339 and a plain date-time.
var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999 -0700 MST",
	"2006-01-02 15:04:05 -0700 MST",
	time.RFC3339Nano,
	time.DateTime,
}

// Text rewrites a value that arrived as text in the house style when it is
// a time or a duration Go printed ("2026-11-05 00:00:00 +0000 UTC" is
// "2026-11-05", "88h5m4s" is "3 d 16 h"); any other text is returned
// unchanged.
func Text(s string) string {
	if len(s) < 2 || len(s) > 48 {
		return s
	}
	if c := s[0]; c >= '0' && c <= '9' && len(s) >= 19 && s[4] == '-' {
		for _, layout := range timeLayouts {
			if t, err := time.Parse(layout, s); err == nil {
				return Time(t)
			}
		}
		return s
	}
	if strings.ContainsAny(s, "hm") && goDuration.MatchString(s) {
		if d, err := time.ParseDuration(s); err == nil {
			return Duration(d)
		}
	}
	return s
}

// shareWords are the words that mark a column of fractions in [0,1].
var shareWords = []string{"share", "ratio", "rate", "fraction", "percent"}

// ShareColumn reports whether a column's name says it holds shares in
// [0,1] ("Share", "failure_rate", "SuccessRatio"), which tables then show
// as percentages. A name that already says "%" is a column of percent
// points and is not one.
func ShareColumn(name string) bool {
	n := strings.ToLower(name)
	if strings.Contains(n, "%") {
		return false
	}
	for _, w := range shareWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}
