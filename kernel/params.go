package main

import (
	"flag"
	"fmt"

	"github.com/lenslog/lenslog/pkg/params"
)

// paramFlags are the -p and -f flags run and report share.
type paramFlags struct {
	given params.Set
	file  string
}

// register adds -p and -f to fs.
func (pf *paramFlags) register(fs *flag.FlagSet) {
	fs.Func("p", "set parameter `name=value` in each notebook that declares it (repeatable), e.g. -p product=3941 -p period=2026-10",
		func(s string) error {
			a, err := params.ParseAssignment(s)
			if err != nil {
				return err
			}
			pf.given = pf.given.With(a.Name, a.Value)
			return nil
		})
	fs.StringVar(&pf.file, "f", "", "read parameters from `FILE`, JSON or YAML: a mapping, or a list of mappings to run once per set (-p values apply on top)")
}

// sets returns the parameter sets to run: each set of the -f file with
// the -p values on top, else one set of the -p values (possibly empty).
func (pf *paramFlags) sets() ([]params.Set, error) {
	if pf.file == "" {
		return []params.Set{pf.given}, nil
	}
	sets, err := params.ReadFile(pf.file)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	for i := range sets {
		for _, a := range pf.given {
			sets[i] = sets[i].With(a.Name, a.Value)
		}
	}
	return sets, nil
}
