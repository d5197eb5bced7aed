package nb

import (
	"fmt"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
	"github.com/lenslog/lenslog/pkg/ipynb"
)

// Stop shows markdown as the message of a cell that cannot go on (see
// ipynb.StopKey): in a notebook as Markdown marked as a stop, so that the
// runner shows the cell's end as this message; outside one as text.
func Stop(markdown string) { std().Stop(markdown) }

// Stop shows markdown as the message of a cell that cannot go on.
func (d *Display) Stop(markdown string) {
	if !d.notebook() {
		fmt.Fprintln(d.out(), markdown)
		return
	}
	showHeld(d.frontend()) // a note on the account read comes before why the cell stopped
	if d.Frontend != nil {
		d.Frontend.DisplayMarkdown(markdown)
		return
	}
	gonbui.SendData(&protocol.DisplayData{
		Data:     map[protocol.MIMEType]any{protocol.MIMETextMarkdown: markdown},
		Metadata: map[string]any{ipynb.StopKey: true},
	})
	gonbui.Sync()
}
