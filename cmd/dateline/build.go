package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"dateline/cmd/internal/problem"
	"dateline/cmd/internal/publish"
	"dateline/cmd/internal/search"
	"dateline/cmd/internal/site"
	"dateline/cmd/internal/theme"
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

// buildFlags are the flags of `build`, which `deploy` takes as well.
type buildFlags struct {
	dir, out, baseURL, now string
	strict, noDerivatives  bool
	verbose, force         bool
}

func (f *buildFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.dir, "s", ".", "the site folder (holds content/)")
	fs.StringVar(&f.out, "o", "", "the output folder (default SITE/public)")
	fs.StringVar(&f.baseURL, "base-url", "", "absolute base URL, overriding site.toml's base_url")
	fs.BoolVar(&f.strict, "strict", false, "treat every warning as an error")
	fs.StringVar(&f.now, "now", "", "build the site as it will be at this time (embargoes)")
	fs.BoolVar(&f.noDerivatives, "no-derivatives", false, "publish photos as they are, without resized copies (quicker, for a draft look)")
	fs.BoolVar(&f.verbose, "v", false, "name the layouts, and count the pages, that html/template renders instead of the compiled layout; time the search index")
	fs.BoolVar(&f.force, "force", false, "replace an output folder that holds files Dateline did not write")
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("build", stderr)
	var f buildFlags
	f.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return f.build(ctx, "build", false, stdout, stderr)
}

// build builds the site into f.out (default SITE/public), prints its
// problems and its summary line, and leaves the output unchanged when it
// fails. cmd names the command in usage errors; noIndex builds a staging
// copy (site.Options.NoIndex).
func (f *buildFlags) build(ctx context.Context, cmd string, noIndex bool, stdout, stderr io.Writer) error {
	now, err := parseNow(f.now)
	if err != nil {
		return err
	}
	if err := checkSite(cmd, f.dir); err != nil {
		return err
	}
	if f.out == "" {
		f.out = filepath.Join(f.dir, "public")
	}
	if err := publish.CheckOutput(f.out, f.dir, os.Getenv("DATELINE_CACHE"), f.force); err != nil {
		return usageError("%s: %v", cmd, err)
	}

	tuneGC()
	start := time.Now()
	keptDir := filepath.Join(cacheDir(f.dir), "output")
	defer publish.LockCache(cacheDir(f.dir), func() { cleanLeftovers(f.dir, f.out, keptDir) })()
	d, err := publish.CreateReusing(f.out, keptDir)
	if err != nil {
		return err
	}
	pagefind, findErr := search.Find()
	res, err := site.Build(ctx, site.Options{
		FS: os.DirFS(f.dir), BaseURL: f.baseURL, Now: now, Strict: f.strict,
		NoDerivatives: f.noDerivatives, Cache: cacheDir(f.dir), NoIndex: noIndex,
		Search: findErr == nil,
	}, d)
	if res != nil {
		printProblems(stderr, res.Problems, f.strict)
		if f.verbose && res.Theme != nil {
			printFallbacks(stderr, res.Theme)
		}
		if res.CacheRepaired > 0 {
			fmt.Fprintf(stderr, "%s: note: %d damaged photo derivatives in the cache were made again\n", cacheDir(f.dir), res.CacheRepaired)
		}
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		d.Abort()
		if res != nil && len(res.Errors(f.strict)) > 0 {
			fmt.Fprintf(stderr, "build failed: %s; %s left unchanged\n", plural(len(res.Errors(f.strict)), "error"), f.out)
			return errContent
		}
		return fmt.Errorf("build failed: %w; %s left unchanged", err, f.out)
	}
	switch {
	case errors.Is(findErr, search.ErrOff):
	case findErr != nil:
		fmt.Fprintf(stderr, "warning: no search: %v\n", findErr)
	default:
		t := time.Now()
		if err := indexSearch(ctx, pagefind, d); err != nil {
			d.Abort()
			return fmt.Errorf("build failed: search index: %w; %s left unchanged", err, f.out)
		}
		if f.verbose {
			fmt.Fprintf(stderr, "search: indexed with %s in %s\n", pagefind, time.Since(t).Round(time.Millisecond))
		}
	}
	if err := d.WriteFile(publish.Marker, publish.MarkerText); err != nil {
		d.Abort()
		return fmt.Errorf("build failed: %w; %s left unchanged", err, f.out)
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
		res.Pages, res.Files, sizeText(res.Bytes), time.Since(start).Round(time.Millisecond), held, photos, kept, f.out)
	return nil
}

// indexSearch runs Pagefind over the staged output d, then writes the
// files it made through d again, the JavaScript, CSS and JSON minified like
// every other (publish.Minifier).
func indexSearch(ctx context.Context, pagefind string, d *publish.Dir) error {
	staged, err := d.Staged()
	if err != nil {
		return err
	}
	files, err := search.Index(ctx, pagefind, staged)
	if err != nil {
		return err
	}
	m := publish.NewMinifier()
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(staged, filepath.FromSlash(name)))
		if err != nil {
			return err
		}
		if data, err = m.File(name, data); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := d.WriteFile(name, data); err != nil {
			return err
		}
	}
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

// printFallbacks writes, for -v, each layout that runs in html/template
// and why, as path:line: message, and how many pages a compiled layout
// left to html/template at run time.
func printFallbacks(w io.Writer, set *theme.Set) {
	for _, f := range set.Fallbacks() {
		fmt.Fprintln(w, f)
	}
	fmt.Fprintf(w, "%d pages fell back to html/template at run time\n", set.SlowPages())
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

// cacheDir is the folder of the site's build cache: SITE/.cache/dateline,
// or $DATELINE_CACHE. It holds the photo derivatives, the photo index and
// the build manifest (package cache), and in output/ the output before the
// current one (which the next build rewrites in place instead of writing a
// whole new tree); deleting any of it is always safe.
func cacheDir(site string) string {
	if dir := os.Getenv("DATELINE_CACHE"); dir != "" {
		return dir
	}
	return filepath.Join(site, ".cache", "dateline")
}

// cleanLeftovers removes what a killed build or preview of the site left:
// staging folders and probes beside the output out and in it and the kept
// output, temporary files in the photo and build caches. Only names of
// Dateline's own patterns go (publish.CleanLeftovers, CleanTempFiles).
func cleanLeftovers(site, out, kept string) {
	publish.CleanLeftovers(out, kept)
	publish.CleanTempFiles(cacheDir(site), 0)
	publish.CleanTempFiles(filepath.Join(cacheDir(site), "photos"), 1)
}

// tuneGC sets the pace of the collector for a one-shot build: a heap
// half as large again as what is live before it runs (GOGC=150), under a
// soft limit of 480 MiB, past which it runs sooner, so that a site many
// times the size measured still builds on a laptop. A 10,000-page full
// build then takes about 5 % less CPU and wall time for about 70 MB more
// memory (372 MB instead of 302). Running it less often still (GOGC=200,
// and GOGC=300 as it once did) saved no more: the heap grows into fresh
// memory, and on the machines measured every page of it touched for the
// first time costs a fault in the kernel. GOGC and GOMEMLIMIT in the
// environment still win.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(150)
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
