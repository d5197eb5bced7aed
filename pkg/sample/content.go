package sample

import "github.com/lenslog/lenslog/pkg/cryptolens"

// Content says what an account's logs hold besides the usual mix, for
// tests of accounts unlike the sample: one that was never used, one whose
// every request failed. The products and licenses stay the same.
type Content int

const (
	// FullContent is the usual account: every log as generated.
	FullContent Content = iota
	// NoRows is an account with products and licenses but not one row in
	// any log, as a new account's are before its first client runs.
	NoRows
	// OnlyFailures keeps only the Web API rows whose request failed (no
	// client ever got a license or a seat), no Events Log rows (a client
	// that never started reports no feature use), and the Object Log as it
	// is (the vendor still changed things in the dashboard).
	OnlyFailures
)

// keepContent drops the rows opt.Content leaves out. It runs after the
// logs are built and planted, so the same seed gives the same rows kept.
func (g *generator) keepContent() {
	a := g.acc
	switch g.opt.Content {
	case NoRows:
		a.WebAPI, a.Events, a.Objects = nil, nil, nil
	case OnlyFailures:
		kept := a.WebAPI[:0]
		for _, r := range a.WebAPI {
			if r.State.Outcome() == cryptolens.OutcomeFailure {
				kept = append(kept, r)
			}
		}
		a.WebAPI, a.Events = kept, nil
	}
}
