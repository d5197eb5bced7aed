package ipynb_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
	"github.com/lenslog/lenslog/pkg/ipynb"
	"github.com/lenslog/lenslog/pkg/nb"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// TestSanitizeKeepsNbOutputs checks that what pkg/nb displays (tables
// with styles, classes and title= hover text, cut-row lines, error boxes,
// status lines, text) passes SanitizeHTML unchanged apart from spelling:
// same elements, attributes, style declarations and text.
func TestSanitizeKeepsNbOutputs(t *testing.T) {
	long := strings.Repeat("a long friendly name <with> \"markup\" ", 3)
	df := dataframe.New(
		series.New([]string{"Alice", long, "", "NA"}, series.String, "friendly_name"),
		series.New([]int{1, 22, 333, 4444}, series.Int, "requests"),
		series.New([]float64{0.5, 1.25, 3, 1e-5}, series.Float, "share"),
	)
	d, f := recordingDisplay()
	d.Head, d.Tail = 1, 1
	d.Show(df)                              // cut table: head, "more rows" line, tail
	d.Show(df.Subset([]int{0, 1}))          // whole table with a title= cell
	d.Text("plain <text> & token=secret")   // <pre>
	d.Error(errors.New("boom: <b>bad</b>")) // red box
	d.NewStatus().Set("syncing 3 of 10")    // status line
	d.HTML(`<b>Friendly</b> <i>name</i>`)   // hand-written HTML
	for _, o := range f.outputs {
		in := o.Data["text/html"].(string)
		got := ipynb.SanitizeHTML(in)
		if a, b := canonicalHTML(t, in), canonicalHTML(t, got); a != b {
			t.Errorf("SanitizeHTML changed nb's output\nin:  %s\nout: %s\nwant the same as\n%s\ngot\n%s", in, got, a, b)
		}
	}
}

// TestSanitizeShowsNbSVG checks that an SVG chart as nb.SVG (and GoNB's
// DisplaySVG) sends it, <div><svg>...</svg></div>, becomes an image of
// the same SVG document.
func TestSanitizeShowsNbSVG(t *testing.T) {
	good := realCharts(t)
	got := strings.TrimSpace(strings.ReplaceAll(ipynb.SanitizeHTML(good.svgNB), "\n", ""))
	const prefix = `<div><img src="data:image/svg+xml;base64,`
	if !strings.HasPrefix(got, prefix) || !strings.HasSuffix(got, `" alt="SVG image"/></div>`) {
		t.Fatalf("SanitizeHTML(nb.SVG output) = %.200s..., want one SVG image in a <div>", got)
	}
	if strings.Count(got, "<") != 3 {
		t.Errorf("SanitizeHTML(nb.SVG output) holds more than the image: %.300s", got)
	}
}

// canonicalHTML writes HTML as a list of elements (with sorted
// attributes, style declarations without spaces) and texts, so that two
// spellings of the same markup compare equal.
func canonicalHTML(t *testing.T, s string) string {
	t.Helper()
	nodes, err := xhtml.ParseFragment(strings.NewReader(s), &xhtml.Node{Type: xhtml.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		switch n.Type {
		case xhtml.TextNode:
			b.WriteString("text " + n.Data + "\n")
		case xhtml.ElementNode:
			var attrs []string
			for _, a := range n.Attr {
				v := a.Val
				if a.Key == "style" {
					v = strings.Trim(strings.NewReplacer(" ", "", ";", "; ").Replace(v), "; ")
				}
				attrs = append(attrs, a.Key+"="+v)
			}
			slices.Sort(attrs)
			b.WriteString("<" + n.Data + " " + strings.Join(attrs, " ") + ">\n")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return b.String()
}

// TestValueBoxesSurviveSanitiser: the headline figures keep their look
// and text on a report page.
func TestValueBoxesSurviveSanitiser(t *testing.T) {
	in := nb.BoxesHTML([]nb.Box{{Label: "Success share", Value: 0.844, Previous: 0.823, HasPrevious: true, Share: true, Better: 1}})
	out := ipynb.SanitizeHTML(in)
	for _, want := range []string{"display: inline-block", "border-radius: 8px", "Success share", "84.4%", "▲ 2.1 pts", "color: #1a7f37"} {
		if !strings.Contains(out, want) {
			t.Errorf("sanitised boxes lack %q:\n%s", want, out)
		}
	}
}
