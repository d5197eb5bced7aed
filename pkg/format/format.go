package format

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Share writes a fraction in [0,1] as a percentage with one decimal:
// 0.8443 is "84.4%", 3.787e-05 is "<0.1%", 0.99996 is ">99.9%". Exact 0
// and 1 are "0%" and "100%". NaN is "n/a".
func Share(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case v == 0:
		return "0%"
	case v == 1:
		return "100%"
	case v > 0 && v < 0.0005:
		return "<0.1%"
	case v < 1 && v > 0.9995:
		return ">99.9%"
	}
	return strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
}

// Integer is the integer types a count may come in.
type Integer interface{ ~int | ~int32 | ~int64 }

// Count writes n with a comma every three digits: 1376 is "1,376". It
// takes any integer type, so a count is written format.Count(t.Len()).
func Count[N Integer](n N) string {
	v := int64(n)
	if v < 0 {
		if v == math.MinInt64 {
			return strconv.FormatInt(v, 10)
		}
		return "-" + Count(-v)
	}
	s := strconv.FormatInt(v, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Counted writes n and its noun, the singular for exactly one:
// Counted(1, "request", "requests") is "1 request", Counted(2485, ...)
// "2,485 requests". A verb can ride along: ("key has", "keys have").
func Counted[N Integer](n N, one, many string) string {
	return Count(n) + " " + Plural(n, one, many)
}

// Plural picks the word that goes with n: one for exactly one, many
// otherwise (Plural(n, "is", "are")).
func Plural[N Integer](n N, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Number writes v for a reader: whole numbers as counts ("12,345"), others
// with thousands separators and at most three decimals, trailing zeros
// dropped ("1,234.568", "0.25"); very small values keep three significant
// digits ("0.000123"). NaN and infinities are "n/a", "∞", "-∞".
func Number(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "-∞"
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return Count(int64(v))
	case math.Abs(v) >= 1e15:
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	dec := 3
	if a := math.Abs(v); a < 0.001 {
		dec = 2 - int(math.Floor(math.Log10(a))) // three significant digits
	}
	s := strconv.FormatFloat(v, 'f', dec, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	whole, frac, _ := strings.Cut(s, ".")
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return s
	}
	out := Count(n)
	if n == 0 && strings.HasPrefix(whole, "-") {
		out = "-0"
	}
	if frac != "" {
		out += "." + frac
	}
	return out
}

// Money writes an amount with two decimals, thousands separators and its
// currency: Money(1234.5, "USD") is "1,234.50 USD". An empty currency
// writes the amount alone.
func Money(amount float64, currency string) string {
	s := strconv.FormatFloat(math.Abs(amount), 'f', 2, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.ParseInt(whole, 10, 64)
	out := Count(n) + "." + frac
	if amount < 0 && s != "0.00" {
		out = "-" + out
	}
	if currency != "" {
		out += " " + currency
	}
	return out
}

// Duration writes d in its two largest units: "3 d 16 h", "5 h 12 min",
// "4 min 10 s", "42 s"; under a second in milliseconds, "250 ms". The
// smaller unit is left out when it is zero ("2 d").
func Duration(d time.Duration) string {
	if d < 0 {
		return "-" + Duration(-d)
	}
	if d < time.Second {
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	}
	units := []struct {
		size time.Duration
		name string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "min"}, {time.Second, "s"}}
	d = d.Round(time.Second)
	for i, u := range units {
		if d < u.size {
			continue
		}
		s := strconv.FormatInt(int64(d/u.size), 10) + " " + u.name
		if i+1 < len(units) {
			next := units[i+1]
			if r := (d % u.size) / next.size; r > 0 {
				s += " " + strconv.FormatInt(int64(r), 10) + " " + next.name
			}
		}
		return s
	}
	return "0 s"
}

// Time writes t in UTC: its date alone at midnight ("2026-11-05"),
// otherwise to the minute ("2026-11-05 14:03 UTC"), or to the second when
// it has seconds. The zero time is "".
func Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	switch {
	case t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0:
		return t.Format(time.DateOnly)
	case t.Second() == 0:
		return t.Format("2006-01-02 15:04") + " UTC"
	}
	return t.Format(time.DateTime) + " UTC"
}

// Header writes a column name in words, first letter capitalised:
// "days_silent" and "DaysSilent" are "Days silent", "ProductId" is
// "Product id", "IP" stays "IP". A name that already has spaces is only
// capitalised.
func Header(name string) string {
	if name == "" {
		return ""
	}
	if !strings.ContainsAny(name, " ") {
		name = splitWords(name)
	}
	r := []rune(name)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// splitWords turns snake_case, kebab-case and CamelCase into words,
// lower-casing words that start with one capital and keeping acronyms.
func splitWords(name string) string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	r := []rune(name)
	for i, c := range r {
		switch {
		case c == '_' || c == '-':
			flush()
			continue
		case unicode.IsUpper(c) && i > 0 && len(cur) > 0:
			prevLower := unicode.IsLower(r[i-1]) || unicode.IsDigit(r[i-1])
			nextLower := i+1 < len(r) && unicode.IsLower(r[i+1])
			if prevLower || (unicode.IsUpper(r[i-1]) && nextLower) {
				flush()
			}
		}
		cur = append(cur, c)
	}
	flush()
	for i, w := range words {
		if i > 0 && !isAcronym(w) {
			words[i] = strings.ToLower(w)
		}
	}
	return strings.Join(words, " ")
}

// isAcronym reports whether w is written in capitals, like "IP" or "OS".
func isAcronym(w string) bool {
	upper := 0
	for _, c := range w {
		if unicode.IsLower(c) {
			return false
		}
		if unicode.IsUpper(c) {
			upper++
		}
	}
	return upper > 1
}

// Period writes the half-open range [from, to) for a reader, in dates
// when both ends are midnight UTC: "2026-10-01 to 2026-10-31" for
// October (to is the first day after it), "2026-11-04" for one day;
// otherwise to the minute, "2026-11-04 14:00 to 2026-11-05 14:00 UTC". A
// zero from is "up to ...", a zero to "since ...".
func Period(from, to time.Time) string {
	switch {
	case from.IsZero() && to.IsZero():
		return "the whole history"
	case from.IsZero():
		return "up to " + Time(to)
	case to.IsZero():
		return "since " + Time(from)
	}
	from, to = from.UTC().Round(time.Second), to.UTC().Round(time.Second) // an end kept as now+1ns reads as now
	if Time(from) == from.Format(time.DateOnly) && Time(to) == to.Format(time.DateOnly) {
		last := to.AddDate(0, 0, -1)
		if !last.After(from) {
			return Time(from)
		}
		return Time(from) + " to " + Time(last)
	}
	return strings.TrimSuffix(Time(from), " UTC") + " to " + Time(to)
}

// Product names the product a report looks at: "product 3349", or for 0
// (no product chosen) "every product".
func Product(id int) string {
	if id == 0 {
		return "every product"
	}
	return "product " + strconv.Itoa(id)
}
