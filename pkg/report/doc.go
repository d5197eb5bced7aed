// Package report runs notebooks headless into executed copies and
// shareable report folders, and replays them.
//
// A Runner starts a fresh kernel per notebook (jupyter.Start with the
// command line its Kernel func gives), injects parameters (Prepare), and
// records what the cells read as the notebook's provenance. Set and
// Report write one folder per parameter set, each with an index.html,
// and the top index.html listing every run (runs.json). Every notebook
// of one run shares one clock (Clock): the same "now" for every window
// of every cell, so the tables of a report add up.
//
// A replay (ReplayRun, ReplayReport) re-runs an executed notebook pinned
// to its recorded snapshot (its now and the highest id read per log) and
// compares every figure each cell showed with the recorded run: printed
// text, tables cell by cell (a difference named by cell, table, row and
// column) and charts by their image.
//
// The command that wires flags to it is kernel/ (`go run ./kernel run`,
// `report`); Flags are the flags those two share.
package report
