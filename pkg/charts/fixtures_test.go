package charts

import (
	"fmt"
	"time"
)

// table is a hand-written Stacked for tests.
type table struct {
	labels []string
	series []string
	values [][]float64 // [category][series]
	share  bool
}

func (t table) Len() int               { return len(t.labels) }
func (t table) Label(i int) string     { return t.labels[i] }
func (t table) Series() []string       { return t.series }
func (t table) Value(i, s int) float64 { return t.values[i][s] }
func (t table) Percent() bool          { return t.share }

// matrix is a hand-written Grid for tests.
type matrix struct {
	rows, cols []string
	z          [][]float64
}

func (m matrix) Dims() (int, int)      { return len(m.rows), len(m.cols) }
func (m matrix) Z(r, c int) float64    { return m.z[r][c] }
func (m matrix) RowLabel(r int) string { return m.rows[r] }
func (m matrix) ColLabel(c int) string { return m.cols[c] }

// day is midnight UTC of a November 2026 day.
func day(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }

// perDay is success/failure counts for 14 days, deterministic.
func perDay() table {
	t := table{series: []string{"Success", "Failure"}}
	for d := range 14 {
		t.labels = append(t.labels, day(1+d).Format("Jan 02"))
		t.values = append(t.values, []float64{float64(80 + (d*37)%50), float64(5 + (d*13)%17)})
	}
	return t
}

// weekHours is a weekday x hour grid with a working-hours bump.
func weekHours() matrix {
	m := matrix{rows: []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}}
	for h := range 24 {
		m.cols = append(m.cols, fmt.Sprintf("%02d", h))
	}
	for r := range m.rows {
		row := make([]float64, 24)
		for h := range row {
			if r < 5 && h >= 8 && h < 18 {
				row[h] = float64(40 + (r*7+h*3)%25)
			} else {
				row[h] = float64((r + h) % 6)
			}
		}
		m.z = append(m.z, row)
	}
	return m
}

// seatEvents is free seats after each event of a 5-seat license on one day.
func seatEvents() Points {
	base := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	free := []float64{5, 4, 3, 2, 1, 0, -1, 0, 1, -1, 0, 2, 4}
	p := Points{}
	for i, f := range free {
		p.Times = append(p.Times, base.Add(time.Duration(i*47)*time.Minute))
		p.Values = append(p.Values, f)
	}
	return p
}

// requestsPerDay is a 30-day series.
func requestsPerDay() Points {
	p := Points{}
	for d := range 30 {
		p.Times = append(p.Times, day(1).AddDate(0, 0, d))
		p.Values = append(p.Values, float64(100+(d*53)%70))
	}
	return p
}

// heavyKeys is 30 keys with falling request counts.
func heavyKeys() Bars {
	b := Bars{}
	for i := range 30 {
		b.Labels = append(b.Labels, fmt.Sprintf("KEY%02d-ABCDE-FGHIJ-KLMNO", i))
		b.Values = append(b.Values, float64(1000/(i+1)))
	}
	b.Labels[3] = "a.very.long.friendly.name.for.someone@example-company.com"
	return b
}

// inactiveDays is days since last activity of 200 keys.
func inactiveDays() Values {
	v := make(Values, 200)
	for i := range v {
		v[i] = float64((i * i * 7) % 120)
	}
	return v
}
