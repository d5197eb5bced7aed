package lenslog

import "github.com/lenslog/lenslog/pkg/cryptolens"

// Fingerprint names a live account without revealing its token: the
// fingerprint the provenance records and the preflight shows.
func Fingerprint(baseURL string, tok cryptolens.Token) string { return fingerprint(baseURL, tok) }
