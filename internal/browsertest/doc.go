// Package browsertest opens pages in headless Chromium for tests that try
// reports as an attacker would: it holds the hostile payloads (Attacks),
// a loopback server that records every request it gets (Recorder), and a
// browser (Browser) whose Visit opens a page, hovers, focuses and clicks
// everything in it, and reads back whether script ran, what was fetched,
// whether the page navigated and which images do not show.
//
// Tests that use it skip under -short themselves; Start skips the test
// when no Chromium is installed, except in CI (CI=true), where it fails.
package browsertest
