package charts

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

func TestPNGSize(t *testing.T) {
	tests := []struct {
		name       string
		w, h       vg.Length
		wantW, wan int
	}{
		{"default is 800x500 px", 0, 0, 800, 500},
		{"custom size", 300, 150, 400, 200},
		{"zero height only", 300, 0, 400, 500},
	}
	p, err := Bar(Bars{Labels: []string{"a"}, Values: []float64{1}}, "Size")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := PNG(p, tt.w, tt.h)
			if err != nil {
				t.Fatalf("PNG: %v", err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if got := img.Bounds().Size(); got.X != tt.wantW || got.Y != tt.wan {
				t.Errorf("PNG is %dx%d px, want %dx%d", got.X, got.Y, tt.wantW, tt.wan)
			}
		})
	}
	if got := Pixels(DefaultWidth); got != 800 {
		t.Errorf("Pixels(DefaultWidth) = %d, want 800", got)
	}
}

func TestRenderErrors(t *testing.T) {
	tests := []struct {
		name string
		do   func() error
		want string
	}{
		{"nil plot", func() error { _, err := PNG(nil, 0, 0); return err }, "nil plot"},
		{"negative size", func() error { _, err := SVG(plot.New(), -1, 10); return err }, "negative size"},
		{"panicking plot", func() error {
			p := newPlot("Broken", "", "")
			p.Add(panicky{})
			_, err := PNG(p, 0, 0)
			return err
		}, `render png of "Broken"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// panicky is a plotter that panics, as gonum's own do on inconsistent input.
type panicky struct{}

func (panicky) Plot(draw.Canvas, *plot.Plot) { panic("plotter: Min > Max") }

func BenchmarkRenderPNG(b *testing.B) {
	p, err := StackedBars(perDay(), "Requests per day")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := PNG(p, 0, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderSVG(b *testing.B) {
	p, err := HeatMap(weekHours(), "Requests by weekday and hour")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := SVG(p, 0, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTopN(b *testing.B) {
	many := Bars{}
	for i := range 100000 {
		many.Labels = append(many.Labels, "key")
		many.Values = append(many.Values, float64(i%977))
	}
	for b.Loop() {
		if _, err := TopN(many, "Heaviest keys"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestPNGScaled(t *testing.T) {
	p, err := Bar(Bars{Labels: []string{"a"}, Values: []float64{1}}, "One bar")
	if err != nil {
		t.Fatal(err)
	}
	img, err := PNGScaled(p, 0, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(img))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != 1600 || cfg.Height != 1000 {
		t.Errorf("2x PNG is %dx%d, want 1600x1000", cfg.Width, cfg.Height)
	}
	if _, err := PNGScaled(p, 0, 0, 0); err == nil {
		t.Error("scale 0 gave no error")
	}
}
