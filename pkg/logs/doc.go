// Package logs holds the three Cryptolens logs as typed, columnar tables in
// memory: one column per field, row i across all of them. Analyses read the
// columns directly; DataFrames for people to look at are made from them on
// request.
//
// Tables keep rows in ascending id order, which is also time order. Times
// are Times columns (unix seconds, UTC; At(i) gives the time.Time, the zero
// time where the API sent 0 or null). Text that repeats (keys, machine
// codes, friendly names, IPs, feature names) is a Strings column: codes
// into one Dict shared by the table's columns, At(i) giving the string and
// Codes there for grouping many rows without hashing text. Free text
// (metadata, Object Log data) stays []string.
//
// A table loaded with Columns holds only those columns (and the id and
// the time); Loaded says which, and Need, which analyses call first, panics
// naming a column a table lacks.
package logs
