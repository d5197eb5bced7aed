// Package lenslog is the front door for notebooks: it finds the account to
// read (a live Cryptolens account when a token is set, else the built-in
// sample account), keeps its logs in the local store, and hands out typed
// tables for a time span.
//
// A notebook cell reads:
//
//	acct := lenslog.MustOpen()
//	api := lenslog.Must(acct.WebAPI(lenslog.Last(30 * lenslog.Day)))
//	nb.Show(analysis.SuccessRatio(api))
//
// The token comes from Options.Token, else $CRYPTOLENS_TOKEN, else
// apitokens.json in the working directory; the base URL from
// Options.BaseURL, else $CRYPTOLENS_API_URL, else the Cryptolens API. With
// no token the sample account is used, ending today (or on the day in
// $LENSLOG_SAMPLE_END, e.g. 2026-11-01, for reports that must not change).
// $LENSLOG_REDACT=1 replaces every identifier with a stable pseudonym as the
// data is loaded (keyed by $LENSLOG_REDACT_KEY, hex), so nothing made from it
// shows a real key, machine, name, IP or user id.
package lenslog
