package lenslog

import "github.com/lenslog/lenslog/pkg/cryptolens"

// Fingerprint names a live account without revealing its token: the
// fingerprint the provenance records and the preflight shows, the short
// form of the account's one identity (cryptolens.AccountOf), so user info,
// a trailing slash or the case of the host never make two of one account.
func Fingerprint(baseURL string, tok cryptolens.Token) string {
	return cryptolens.AccountOf(baseURL, tok).Short()
}
