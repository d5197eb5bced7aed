// Package deps pins modules that notebooks import but the library may not,
// so that `go mod tidy` keeps them in go.mod at exact versions (the module
// proxy here refuses version lists for gonb and gota, so nothing may float).
package deps

import (
	_ "github.com/go-gota/gota/dataframe"
	_ "github.com/go-zeromq/zmq4"
	_ "github.com/janpfeifer/gonb/gonbui"
	_ "github.com/parquet-go/parquet-go"
	_ "gonum.org/v1/plot"
	_ "gonum.org/v1/plot/vg/draw"
)
