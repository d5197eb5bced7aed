package analysis

import (
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/go-gota/gota/dataframe"

	"github.com/lenslog/lenslog/pkg/cryptolens"
	"github.com/lenslog/lenslog/pkg/logs"
)

// DailyCounts is several named series of counts per UTC day, e.g.
// activations per product. As a chart it is stacked bars over days
// (Stacked) or a heat map with a row per series and a column per day
// (Grid).
type DailyCounts struct {
	What    string      // what is counted, e.g. "Activations"
	Days    []time.Time // the first instant of each day, ascending, gaps filled
	Names   []string    // the series, e.g. "product 7"
	Counts  [][]int     // Counts[day][series]
	Undated int         // rows left out because their time was missing
}

// ActivationsPerProduct counts successful activations (state group 20 with
// a success outcome: node-locked and floating, including floating seat
// refreshes, which are Activate calls too) per product per UTC day.
func ActivationsPerProduct(api *logs.WebAPI) *DailyCounts {
	api = webAPI(api, logs.WebAPIProductID, logs.WebAPIState)
	keep := func(i int) bool {
		s := api.State[i]
		return s.Group() == cryptolens.GroupActivation && s.Outcome() == cryptolens.OutcomeSuccess
	}
	return dailyBy(api, "Activations", keep, func(i int) int { return api.ProductID[i] })
}

// dailyBy counts the kept rows of api per day and per product.
func dailyBy(api *logs.WebAPI, what string, keep func(i int) bool, productOf func(i int) int) *DailyCounts {
	d := &DailyCounts{What: what}
	var kept logs.Times
	var rows []int
	seriesOf := map[int]int{}
	var products []int
	for i, sec := range api.Time {
		if !keep(i) {
			continue
		}
		if sec == 0 {
			d.Undated++
			continue
		}
		kept = append(kept, sec)
		rows = append(rows, i)
		if _, ok := seriesOf[productOf(i)]; !ok {
			seriesOf[productOf(i)] = 0
			products = append(products, productOf(i))
		}
	}
	slices.Sort(products)
	for s, p := range products {
		seriesOf[p] = s
		d.Names = append(d.Names, productLabel(p))
	}
	b := newBucketer(kept, daySecs)
	d.Counts = make([][]int, b.slots())
	b.each(func(k int, start time.Time) {
		d.Days = append(d.Days, start)
		d.Counts[k] = make([]int, len(products))
	})
	for j, sec := range kept {
		k, _ := b.slotUnix(sec)
		d.Counts[k][seriesOf[productOf(rows[j])]]++
	}
	return d
}

// Len returns the number of days.
func (d *DailyCounts) Len() int { return len(d.Days) }

// Label names day i, e.g. "2026-10-01".
func (d *DailyCounts) Label(i int) string { return d.Days[i].Format(dayLayout) }

// Series names the series.
func (d *DailyCounts) Series() []string { return d.Names }

// Value returns series s on day i.
func (d *DailyCounts) Value(i, s int) float64 { return float64(d.Counts[i][s]) }

// Dims returns the heat map's size: a row per series, a column per day.
func (d *DailyCounts) Dims() (rows, cols int) { return len(d.Names), len(d.Days) }

// Z returns series r on day c.
func (d *DailyCounts) Z(r, c int) float64 { return float64(d.Counts[c][r]) }

// RowLabel names series r.
func (d *DailyCounts) RowLabel(r int) string { return d.Names[r] }

// ColLabel names day c.
func (d *DailyCounts) ColLabel(c int) string { return d.Label(c) }

func (d *DailyCounts) columns() []col {
	idx := make([]int, len(d.Days))
	for i := range idx {
		idx[i] = i
	}
	cols := []col{strCol("Day", idx, d.Label)}
	for s, name := range d.Names {
		cols = append(cols, intCol(name, idx, func(i int) int { return d.Counts[i][s] }))
	}
	return append(cols, intCol("Total", idx, func(i int) int {
		n := 0
		for _, c := range d.Counts[i] {
			n += c
		}
		return n
	}))
}

// Frame returns one row per day: Day, a column per series, and Total.
func (d *DailyCounts) Frame() dataframe.DataFrame { return frameOf(d.columns()) }

// WriteCSV writes the counts as CSV with the same columns as Frame.
func (d *DailyCounts) WriteCSV(w io.Writer) error { return writeCols(w, d.columns()) }

// WeekHours counts requests per weekday and hour of day (UTC): a heat map
// with Monday at the top and hours 00-23 across.
type WeekHours struct {
	Counts  [7][24]int // Counts[weekday][hour], weekday 0 = Monday
	Undated int        // requests left out because their time was missing
}

// weekdays names the heat map's rows, Monday first.
var weekdays = [7]string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// RequestsByWeekdayHour counts api's requests per weekday and UTC hour, to
// show when customers use the software.
func RequestsByWeekdayHour(api *logs.WebAPI) *WeekHours {
	api = webAPI(api)
	g := &WeekHours{}
	for ti := range api.Time {
		t := api.Time.At(ti)
		if t.IsZero() {
			g.Undated++
			continue
		}
		wd := (int(t.Weekday()) + 6) % 7
		g.Counts[wd][t.Hour()]++
	}
	return g
}

// Dims returns 7 weekdays by 24 hours.
func (g *WeekHours) Dims() (rows, cols int) { return 7, 24 }

// Z returns the requests on weekday r (0 = Monday) at hour c.
func (g *WeekHours) Z(r, c int) float64 { return float64(g.Counts[r][c]) }

// RowLabel names weekday r.
func (g *WeekHours) RowLabel(r int) string { return weekdays[r] }

// ColLabel names hour c, e.g. "09".
func (g *WeekHours) ColLabel(c int) string {
	if c < 10 {
		return "0" + strconv.Itoa(c)
	}
	return strconv.Itoa(c)
}

func (g *WeekHours) columns() []col {
	idx := []int{0, 1, 2, 3, 4, 5, 6}
	cols := []col{strCol("Weekday", idx, g.RowLabel)}
	for h := range 24 {
		cols = append(cols, intCol(g.ColLabel(h), idx, func(r int) int { return g.Counts[r][h] }))
	}
	return cols
}

// Frame returns one row per weekday with a column per hour "00".."23".
func (g *WeekHours) Frame() dataframe.DataFrame { return frameOf(g.columns()) }

// WriteCSV writes the grid as CSV with the same columns as Frame.
func (g *WeekHours) WriteCSV(w io.Writer) error { return writeCols(w, g.columns()) }
