package nb

import (
	"bytes"
	"fmt"
	"testing"
)

// sent is one call the fake frontend received.
type sent struct {
	kind  string // html, markdown, png, update
	id    string // for update
	body  string // html or markdown text; for png the byte count
	png   []byte
	image Image // for image
}

// fakeFrontend records what would have been sent to the notebook.
type fakeFrontend struct {
	calls []sent
	ids   int
}

func (f *fakeFrontend) DisplayHTML(html string) {
	f.calls = append(f.calls, sent{kind: "html", body: html})
}
func (f *fakeFrontend) DisplayMarkdown(md string) {
	f.calls = append(f.calls, sent{kind: "markdown", body: md})
}
func (f *fakeFrontend) DisplayPNG(png []byte) {
	f.calls = append(f.calls, sent{kind: "png", body: fmt.Sprint(len(png)), png: png})
}
func (f *fakeFrontend) DisplayImage(img Image) {
	f.calls = append(f.calls, sent{kind: "image", body: fmt.Sprint(len(img.PNG)), png: img.PNG, image: img})
}

// plainFrontend is a Frontend without DisplayImage.
type plainFrontend struct{ f fakeFrontend }

func (p *plainFrontend) DisplayHTML(html string)    { p.f.DisplayHTML(html) }
func (p *plainFrontend) DisplayMarkdown(md string)  { p.f.DisplayMarkdown(md) }
func (p *plainFrontend) DisplayPNG(png []byte)      { p.f.DisplayPNG(png) }
func (p *plainFrontend) UpdateHTML(id, html string) { p.f.UpdateHTML(id, html) }
func (p *plainFrontend) UniqueID() string           { return p.f.UniqueID() }

func (f *fakeFrontend) UpdateHTML(id, html string) {
	f.calls = append(f.calls, sent{kind: "update", id: id, body: html})
}
func (f *fakeFrontend) UniqueID() string { f.ids++; return fmt.Sprintf("id%d", f.ids) }

// notebookDisplay is a Display on the notebook path with a fake frontend;
// out catches anything wrongly printed.
func notebookDisplay(t *testing.T) (*Display, *fakeFrontend, *bytes.Buffer) {
	t.Helper()
	f := &fakeFrontend{}
	out := &bytes.Buffer{}
	return &Display{Out: out, Frontend: f, Notebook: func() bool { return true }}, f, out
}

// textDisplay is a Display on the plain-text path; its frontend must stay
// unused.
func textDisplay(t *testing.T) (*Display, *fakeFrontend, *bytes.Buffer) {
	t.Helper()
	f := &fakeFrontend{}
	out := &bytes.Buffer{}
	return &Display{Out: out, Frontend: f, Notebook: func() bool { return false }}, f, out
}

// only returns the single call f received, failing otherwise.
func only(t *testing.T, f *fakeFrontend, kind string) sent {
	t.Helper()
	if len(f.calls) != 1 || f.calls[0].kind != kind {
		t.Fatalf("frontend got %d calls %+v, want one %s", len(f.calls), f.calls, kind)
	}
	return f.calls[0]
}
