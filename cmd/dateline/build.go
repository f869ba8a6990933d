package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"dateline/cmd/internal/problem"
	"dateline/cmd/internal/publish"
	"dateline/cmd/internal/site"
)

// newFlagSet returns a FlagSet that reports usage errors instead of exiting.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("dateline "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses args (flags before or after arguments, see parseArgs)
// and refuses any argument that is not a flag.
func parseFlags(fs *flag.FlagSet, args []string) error {
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("%s: unexpected argument %q", fs.Name(), pos[0])
	}
	return nil
}

// parseNow reads --now: RFC 3339, "YYYY-MM-DD HH:MM" or "YYYY-MM-DD" (local time).
func parseNow(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usageError("--now %q: use RFC 3339 (2025-06-12T08:00:00+08:00), YYYY-MM-DD HH:MM or YYYY-MM-DD", s)
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("build", stderr)
	dir := fs.String("s", ".", "the site folder (holds content/)")
	out := fs.String("o", "", "the output folder (default SITE/public)")
	baseURL := fs.String("base-url", "", "absolute base URL, overriding site.toml's base_url")
	strict := fs.Bool("strict", false, "treat every warning as an error")
	nowFlag := fs.String("now", "", "build the site as it will be at this time (embargoes)")
	noDerivatives := fs.Bool("no-derivatives", false, "publish photos as they are, without resized copies (quicker, for a draft look)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	now, err := parseNow(*nowFlag)
	if err != nil {
		return err
	}
	if err := checkSite("build", *dir); err != nil {
		return err
	}
	if *out == "" {
		*out = filepath.Join(*dir, "public")
	}

	tuneGC()
	start := time.Now()
	d, err := publish.CreateReusing(*out, cacheDir(*dir, "output"))
	if err != nil {
		return err
	}
	res, err := site.Build(ctx, site.Options{
		FS: os.DirFS(*dir), BaseURL: *baseURL, Now: now, Strict: *strict,
		PhotoCache: photoCache(*dir), NoDerivatives: *noDerivatives,
		Cache: cacheDir(*dir, "build"),
	}, d)
	if res != nil {
		printProblems(stderr, res.Problems, *strict)
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		d.Abort()
		if res != nil && len(res.Errors(*strict)) > 0 {
			fmt.Fprintf(stderr, "build failed: %s; %s left unchanged\n", plural(len(res.Errors(*strict)), "error"), *out)
			return errContent
		}
		return fmt.Errorf("build failed: %w; %s left unchanged", err, *out)
	}
	if err := d.Commit(); err != nil {
		return err
	}
	held := ""
	if res.Drafts+res.Embargo > 0 {
		held = fmt.Sprintf(", held back %d (%d drafts, %d embargoed)", res.Drafts+res.Embargo, res.Drafts, res.Embargo)
	}
	photos := ""
	if res.PhotosEncoded+res.PhotosReused > 0 {
		photos = fmt.Sprintf(", photo derivatives %d made, %d cached", res.PhotosEncoded, res.PhotosReused)
	}
	kept := ""
	if res.Kept > 0 {
		kept = fmt.Sprintf(", %d unchanged reports kept", res.Kept)
	}
	fmt.Fprintf(stdout, "built %d pages, %d files (%s) in %s%s%s%s → %s\n",
		res.Pages, res.Files, sizeText(res.Bytes), time.Since(start).Round(time.Millisecond), held, photos, kept, *out)
	return nil
}

// printProblems writes every problem, one per line, as path:line: message.
func printProblems(w io.Writer, ps []problem.Problem, strict bool) {
	for _, p := range ps {
		if strict && p.Severity == problem.Warning {
			p.Severity = problem.Error
		}
		fmt.Fprintln(w, p)
	}
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// photoCache is where a site's responsive photo derivatives are kept
// between builds. Deleting the folder is always safe; the next build makes
// them again.
func photoCache(site string) string { return cacheDir(site, "photos") }

// cacheDir is a folder of the site's build cache: SITE/.cache/dateline/NAME,
// or $DATELINE_CACHE/NAME. The cache holds the photo derivatives and the
// output before the current one (which the next build rewrites in place
// instead of writing a whole new tree); deleting any of it is always safe.
func cacheDir(site, name string) string {
	if dir := os.Getenv("DATELINE_CACHE"); dir != "" {
		return filepath.Join(dir, name)
	}
	return filepath.Join(site, ".cache", "dateline", name)
}

// tuneGC trades memory for speed in a one-shot build: the collector runs a
// quarter as often as by default (most of what a build allocates dies young),
// with a soft limit that keeps even a large site's heap in bounds. GOGC and
// GOMEMLIMIT in the environment still win.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(300)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(480 << 20)
	}
}

// checkSite refuses a site folder without content/: a usage error, since the
// wrong -s was given.
func checkSite(cmd, dir string) error {
	if fi, err := os.Stat(filepath.Join(dir, "content")); err != nil || !fi.IsDir() {
		return usageError("%s: %s has no content/ folder", cmd, dir)
	}
	return nil
}
