package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"dateline/cmd/internal/site"
)

// discard is an Output that keeps nothing: check builds only to look.
type discard struct{}

func (discard) WriteFile(string, []byte) error { return nil }

// runCheck builds the site without writing it and reports every problem,
// warnings included: broken links and anchors, missing photos, figures
// without alt text or credit, editions that differ in stops, figures or
// sidebars, stale translations and over-long summaries. Any problem is
// exit status 1; `build --strict` fails on exactly the same problems.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("check", stderr)
	dir := fs.String("s", ".", "the site folder (holds content/)")
	nowFlag := fs.String("now", "", "check the site as it will be at this time (embargoes)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	now, err := parseNow(*nowFlag)
	if err != nil {
		return err
	}
	if err := checkSite("check", *dir); err != nil {
		return err
	}
	res, err := site.Build(ctx, site.Options{FS: os.DirFS(*dir), Now: now, Strict: true, Cache: cacheDir(*dir)}, discard{})
	if res == nil {
		return err
	}
	printProblems(stderr, res.Problems, true)
	if len(res.Problems) > 0 {
		fmt.Fprintf(stderr, "check: %d problems in %d pages\n", len(res.Problems), res.Pages)
		return errContent
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "check: %d pages, no problems\n", res.Pages)
	return nil
}
