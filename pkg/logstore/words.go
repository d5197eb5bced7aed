package logstore

import "github.com/lenslog/lenslog/pkg/format"

// counted writes n things for a summary line, in the house style of
// pkg/format: "1 request", "59,521 rows". word is the singular; the plural
// adds an s, which is right for every word the store's lines count.
func counted[N int | int64](n N, word string) string {
	if n == 1 || n == -1 {
		return format.Count(int64(n)) + " " + word
	}
	return format.Count(int64(n)) + " " + word + "s"
}

// idWord is "id" before one id, "ids" before several.
func idWord(n int) string {
	if n == 1 {
		return "id"
	}
	return "ids"
}
