// Package notebooks holds lenslog's report and teaching notebooks (the
// .ipynb files in this folder) and the test that runs them all headless on
// the sample account and checks the figures they show against the analysis
// package.
package notebooks
