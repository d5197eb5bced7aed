// Package charts draws lenslog's analysis results with gonum/plot, in one
// house style, and renders them to PNG or SVG in memory.
//
// Each chart kind has a constructor in its own file that takes data
// through a small interface (Labeled, Timed, Stacked, Grid, Sample; see
// data.go; TimedSeries in multiseries.go), a title, and optionally one Options whose zero value means
// sensible defaults:
//
//	Bar          one bar per category, value written above each bar
//	TopN         the N largest categories as horizontal bars (N=20)
//	StackedBars  series stacked per category, e.g. Success/Failure per day
//	TimeSeries   a line over time with calendar ticks (TimeTicks)
//	MultiTimeSeries  several lines (TimedSeries) on one time axis, with a legend
//	Histogram    distribution of values in round-width bins
//	HeatMap      a weekday x hour grid with a labelled colour scale
//	FreeSeats    a step line of free floating seats, overdraft shaded
//
// Analysis results implement the interfaces structurally, so the analysis
// package does not import this one. A result whose values are shares in
// [0,1] implements Percenter to have them shown as percentages.
//
// Constructors validate their input and return a *DataError, wrapping
// ErrNoData or ErrBadValue, that names the chart, the row and what was
// wrong (NaN, negative counts, shares above 1, times out of order).
//
// Colours mean the same everywhere: the house colours name series
// (Success green, Failure red, Unknown grey) and every chart consults them,
// then Options.Colors for names of your own; other series take palette
// colours in order (Options.Palette, default the house palette). Colours
// are options on values: there is no package state to change. Fonts are sized to be
// legible in the default 800 x 500 px PNG.
//
// Charts say what they show: every category bar is named (a long run of
// days is labelled every k-th day, like a time axis), histograms of whole
// numbers have whole-number bins with each count written above its bar,
// a line breaks where a day or hour is missing instead of sloping through
// it, a series of more than 400 points is drawn per larger bucket (mean
// over a min-max band), a value axis whose label says "%" reads in
// percent, and Options.Lines draws labelled reference lines (a seat
// limit, a silentDays threshold). Every chart carries its Numbers: the
// figures it draws as a small table and a one-line summary, which
// pkg/nb shows as the image's alt text and, collapsed, under it.
//
// A notebook cell reads:
//
//	p, err := charts.Bar(analysis.SuccessRatio(api), "Successful vs. unsuccessful API requests")
//	nb.Plot(p, err)
package charts
