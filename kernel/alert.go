package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/lenslog/lenslog/pkg/alert"
	"github.com/lenslog/lenslog/pkg/format"
	"github.com/lenslog/lenslog/pkg/lenslog"
)

func init() {
	register(command{
		name:    "alert",
		summary: "judge the rules of a rules file; exit 4 when one fires",
		run:     runAlert,
	})
}

func runAlert(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("alert", stderr)
	rulesFile := fs.String("rules", "", "the rules `FILE` (YAML; see pkg/alert)")
	out := fs.String("out", "alerts.json", "write the results as JSON to `FILE`")
	doSync := fs.Bool("sync", false, "sync every log first, as `kernel sync` does (else the store is read as it is)")
	redact := fs.Bool("redact", false, "pseudonymise keys, machine codes, names and IPs in the results and the webhook")
	baseURL := fs.String("url", "", "API base `URL` (default $"+lenslog.EnvAPIURL+")")
	tokenFile := fs.String("token-file", "", "read the access token from `FILE` (default as `kernel sync`)")
	dir := fs.String("store", "", "store `DIR` (default as `kernel sync`)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./kernel alert -rules FILE [-out alerts.json] [-sync] [-redact] [-url URL] [-token-file FILE] [-store DIR]")
		fmt.Fprintln(stderr, "\nJudges every rule over the account's logs, prints one line per rule, writes the results")
		fmt.Fprintln(stderr, "as JSON and POSTs them to the file's webhook when a rule fired.")
		fmt.Fprintln(stderr, "Exit status: 0 no rule fired, 4 a rule fired, 1 an error, 2 a usage error or a bad rules file.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *rulesFile == "" || fs.NArg() > 0 {
		return fmt.Errorf("%w: want -rules FILE and no arguments", errUsage)
	}
	rs, err := alert.ReadFile(*rulesFile)
	if errors.Is(err, alert.ErrBadRules) {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if err != nil {
		return err
	}
	if *doSync {
		syncArgs := []string{"-url", *baseURL, "-token-file", *tokenFile, "-store", *dir}
		err := commands["sync"].run(ctx, syncArgs, stdout, stderr)
		if errors.Is(err, errSkipped) {
			fmt.Fprintf(stderr, "kernel alert: sync %v; judging what was synced\n", err)
		} else if err != nil {
			return err
		}
	}
	cfg, err := flagConfig(*baseURL, *tokenFile, *dir)
	if err != nil {
		return err
	}
	cfg.Context, cfg.Note, cfg.Redact = ctx, stderr, cfg.Redact || *redact
	if cfg.Pins.MaxIDs == nil {
		cfg.Pins.MaxIDs = map[string]int64{} // ids pinned to nothing: read the store as it is, without syncing
	}
	acct, err := lenslog.OpenConfig(cfg)
	if err != nil {
		return err
	}
	in, err := alert.LoadInput(acct, rs)
	if err != nil {
		return err
	}
	rep := alert.Evaluate(rs, in)
	rep.Source = acct.Source()
	for _, r := range rep.Results {
		fmt.Fprintln(stdout, r)
	}
	if err := writeJSON(*out, rep); err != nil {
		return err
	}
	if rs.Webhook != nil && (rep.Fired > 0 || rep.Failed > 0) {
		if err := rs.Webhook.Post(ctx, rep); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "webhook: posted")
	}
	switch {
	case rep.Failed > 0:
		return fmt.Errorf("%s of %s could not be judged", format.Count(rep.Failed), format.Counted(len(rep.Results), "rule", "rules"))
	case rep.Fired > 0: // "1 of 1 rule fired", "1 of 3 rules fired"
		return &exitError{code: exitFired, err: fmt.Errorf("%s of %s fired (see %s)",
			format.Count(rep.Fired), format.Counted(len(rep.Results), "rule", "rules"), *out)}
	}
	return nil
}

// writeJSON writes v as indented JSON to path, whole or not at all.
func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
