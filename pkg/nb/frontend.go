package nb

import "github.com/janpfeifer/gonb/gonbui"

// Frontend is the part of GoNB's display API that nb uses. The default,
// used when Display.Frontend is nil, calls gonbui; tests substitute a fake
// that records what would have been sent to the notebook.
type Frontend interface {
	DisplayHTML(html string)
	DisplayMarkdown(markdown string)
	DisplayPNG(png []byte)
	// UpdateHTML replaces the output block id (created on first use).
	UpdateHTML(id, html string)
	// UniqueID returns a new id for UpdateHTML.
	UniqueID() string
}

// gonbFrontend sends to the GoNB kernel through gonbui. Each display is
// followed by gonbui.Sync, which waits until GoNB has published it: GoNB
// reads displays from a pipe that it stops reading when the cell's program
// exits, so a chart shown on a cell's last line could otherwise be lost.
type gonbFrontend struct{}

func (gonbFrontend) DisplayHTML(html string)         { gonbui.DisplayHTML(html); gonbui.Sync() }
func (gonbFrontend) DisplayMarkdown(markdown string) { gonbui.DisplayMarkdown(markdown); gonbui.Sync() }
func (gonbFrontend) DisplayPNG(png []byte)           { gonbui.DisplayPng(png); gonbui.Sync() }
func (gonbFrontend) UpdateHTML(id, html string)      { gonbui.UpdateHTML(id, html); gonbui.Sync() }
func (gonbFrontend) UniqueID() string                { return gonbui.UniqueId() }
