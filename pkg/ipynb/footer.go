package ipynb

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
)

// Fingerprint is a short hash of the notebook's provenance block (lenslog's
// version, the account, the parameters, every window read with its rows
// and highest id): the same on the page, in its PDF and in the executed
// notebook, so a printed report can be matched to the run that made it.
// "" when the notebook has no provenance.
func (nb *Notebook) Fingerprint() string {
	p, err := nb.Provenance()
	if err != nil || p == nil {
		return ""
	}
	data, err := json.Marshal(p)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:6])
}

// PrintFooter is the line at the foot of every printed page of the report:
// its title, its parameters and its provenance fingerprint, e.g.
// "Floating seat audit · key=ABC, period=2026-10 · sample account · provenance 3f9c2a1b7d04".
func (nb *Notebook) PrintFooter(title string) string {
	if title == "" {
		title = nb.Title()
	}
	parts := []string{title}
	p, err := nb.Provenance()
	if err == nil && p != nil {
		parts = append(parts, formatParameters(p.Parameters))
		if p.Account.Sample {
			parts = append(parts, "sample account")
		} else if p.Account.Fingerprint != "" {
			parts = append(parts, "account "+p.Account.Fingerprint)
		}
		parts = append(parts, "provenance "+nb.Fingerprint())
	}
	return strings.Join(parts, " · ")
}
