// Package logs holds the three Cryptolens logs as typed, columnar tables in
// memory: one slice per field, row i across all of them. Analyses read the
// columns directly; DataFrames for people to look at are made from them on
// request.
//
// Tables keep rows in ascending id order, which is also time order. Times
// are time.Time in UTC; a zero time means the API sent 0 or null.
package logs
