package charts

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// svgShape is what tests compare of a rendered chart: its texts in
// drawing order and how many filled shapes of each colour it has. It
// leaves out coordinates, which depend on font metrics.
type svgShape struct {
	Size  string
	Texts []string
	Fills map[string]int
}

var fillRE = regexp.MustCompile(`(?:^|;)fill:(#[0-9A-Fa-f]{6})`)

// shapeOf parses an SVG document into its svgShape.
func shapeOf(t *testing.T, svg []byte) svgShape {
	t.Helper()
	s := svgShape{Fills: map[string]int{}}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	inText := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("rendered SVG does not parse: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			inText = el.Name.Local == "text"
			s.readAttrs(el)
		case xml.CharData:
			if inText {
				s.Texts = append(s.Texts, string(el))
			}
		case xml.EndElement:
			inText = false
		}
	}
	return s
}

func (s *svgShape) readAttrs(el xml.StartElement) {
	for _, a := range el.Attr {
		switch {
		case el.Name.Local == "svg" && a.Name.Local == "width":
			s.Size = a.Value + s.Size
		case el.Name.Local == "svg" && a.Name.Local == "height":
			s.Size += "x" + a.Value
		case el.Name.Local == "path" && a.Name.Local == "style":
			if m := fillRE.FindStringSubmatch(a.Value); m != nil {
				s.Fills[strings.ToUpper(m[1])]++
			}
		}
	}
}

// String writes the shape one fact a line, for golden files.
func (s svgShape) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "size %s\n", s.Size)
	for _, t := range s.Texts {
		fmt.Fprintf(&b, "text %q\n", t)
	}
	keys := make([]string, 0, len(s.Fills))
	for k := range s.Fills {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "fill %s %d\n", k, s.Fills[k])
	}
	return b.String()
}

// has reports whether text appears among the shape's texts.
func (s svgShape) has(text string) bool {
	for _, t := range s.Texts {
		if t == text {
			return true
		}
	}
	return false
}

// renderShape draws p as SVG at the default size and returns its shape.
func renderShape(t *testing.T, p *plot.Plot) svgShape {
	t.Helper()
	svg, err := SVG(p, 0, 0)
	if err != nil {
		t.Fatalf("SVG: %v", err)
	}
	return shapeOf(t, svg)
}

// golden compares the shape with testdata/name.golden, or rewrites it
// under -update.
func golden(t *testing.T, name string, s svgShape) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	got := s.String()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s: chart structure changed (go test -update rewrites it after review)\n--- got\n%s--- want\n%s", path, got, want)
	}
}

// hex is how an SVG fill spells colour c: un-premultiplied from 16-bit
// RGBA, truncated to 8 bits, as gonum's vgsvg writes it (alpha goes to a
// separate fill-opacity).
func hex(c color.Color) string {
	r, g, b, a := c.RGBA()
	k := 255 / float64(a)
	return fmt.Sprintf("#%02X%02X%02X", int(float64(r)*k), int(float64(g)*k), int(float64(b)*k))
}
