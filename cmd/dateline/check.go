package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"dateline/cmd/internal/content"
	"dateline/cmd/internal/problem"
	"dateline/cmd/internal/site"
	"dateline/cmd/internal/style"
)

// discard is an Output that keeps nothing: check builds only to look.
type discard struct{}

func (discard) WriteFile(string, []byte) error { return nil }

// runCheck builds the site without writing it, drafts and embargoed
// reports included (that is where work in progress lives), and reports
// every problem grouped by report under the report's state: broken links
// and anchors, missing photos, figures without alt text or credit,
// editions that differ, placeholder text and photos from `dateline new` in
// a report that is not a draft. Errors and warnings are exit status 1
// (`build --strict` fails on the same problems of published reports);
// notes are not.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("check", stderr)
	dir := fs.String("s", ".", "the site folder (holds content/)")
	nowFlag := fs.String("now", "", "check the site as it will be at this time (embargoes)")
	fix := fs.Bool("fix", false, "rewrite half-width punctuation next to Chinese text to full-width in the Chinese editions' source, then check")
	slugs, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	now, err := parseNow(*nowFlag)
	if err != nil {
		return err
	}
	if now.IsZero() {
		now = time.Now()
	}
	if err := checkSite("check", *dir); err != nil {
		return err
	}
	fsys := os.DirFS(*dir)
	cfg, _ := content.LoadConfig(fsys)
	var reports []*content.Report
	if cfg != nil {
		reports, _ = content.Load(ctx, fsys, cfg)
	}
	state := map[string]string{}
	for _, r := range reports {
		state[r.Dir] = reportState(r, now)
	}
	only := map[string]bool{}
	for _, s := range slugs {
		d := "content/" + strings.TrimSuffix(strings.TrimPrefix(s, "content/"), "/")
		if _, ok := state[d]; !ok {
			return usageError("check: no report %s", d)
		}
		only[d] = true
	}

	if *fix {
		for _, r := range reports {
			if len(only) > 0 && !only[r.Dir] {
				continue
			}
			if err := fixPunctuation(*dir, r, stdout); err != nil {
				return err
			}
		}
	}

	res, err := site.Build(ctx, site.Options{FS: fsys, Now: now, Preview: true, Cache: cacheDir(*dir)}, discard{})
	if res == nil {
		return err
	}
	// Group by report folder (problems of site.toml and the theme first).
	groups := map[string][]problem.Problem{}
	var order []string
	for _, p := range res.Problems {
		d := reportDir(p.File)
		if len(only) > 0 && !only[d] {
			continue
		}
		if _, ok := groups[d]; !ok {
			order = append(order, d)
		}
		groups[d] = append(groups[d], p)
	}
	var errs, warns, notes int
	for _, d := range order {
		if s := state[d]; s != "" {
			fmt.Fprintf(stderr, "%s (%s):\n", d, s)
		} else if d != "" {
			fmt.Fprintf(stderr, "%s:\n", d)
		}
		for _, p := range groups[d] {
			switch p.Severity {
			case problem.Error:
				errs++
			case problem.Warning:
				warns++
			default:
				notes++
			}
			fmt.Fprintf(stderr, "  %s\n", p)
		}
	}
	checked := len(only)
	if checked == 0 {
		checked = len(reports)
	}
	summary := fmt.Sprintf("check: %s: %s, %s", plural(checked, "report"), plural(errs, "error"), plural(warns, "warning"))
	if notes > 0 {
		summary += ", " + plural(notes, "note")
	}
	if errs+warns > 0 {
		fmt.Fprintln(stderr, summary)
		return errContent
	}
	fmt.Fprintln(stdout, summary)
	return nil
}

// reportDir returns the report folder ("content/<slug>") a problem's file
// is in, or "" for site-wide files.
func reportDir(file string) string {
	parts := strings.SplitN(file, "/", 3)
	if len(parts) < 2 || parts[0] != "content" || parts[1] == "site.toml" {
		return ""
	}
	return parts[0] + "/" + parts[1]
}

// reportState names where a report stands: "draft", "embargoed until …",
// "published", or per edition when its editions differ ("zh published,
// en draft").
func reportState(r *content.Report, now time.Time) string {
	one := func(e *content.Edition) string {
		switch {
		case e.Draft:
			return "draft"
		case e.Embargoed(now):
			return "embargoed until " + e.Date.Format("2006-01-02 15:04 MST")
		}
		return "published"
	}
	var states []string
	same := true
	for _, e := range r.Editions {
		s := one(e)
		if len(states) > 0 && !strings.HasSuffix(states[0], s) {
			same = false
		}
		states = append(states, e.Lang+" "+s)
	}
	if len(states) == 0 {
		return ""
	}
	if same {
		return one(r.Editions[0])
	}
	return strings.Join(states, ", ")
}

// fixPunctuation rewrites the half-width punctuation next to Chinese text
// in the bodies of a report's Chinese editions (never in the front matter,
// code, URLs or link targets: style.FixBody) and says what it changed. A
// file is replaced whole, through a temporary file and a rename, so that it
// is never left half-written.
func fixPunctuation(dir string, r *content.Report, stdout io.Writer) error {
	for _, e := range r.Editions {
		if !style.ChineseLang(e.Lang) {
			continue
		}
		name := filepath.Join(dir, filepath.FromSlash(e.File))
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		src := string(data)
		body := site.BodyOf(src, e.BodyLine)
		marks := style.FindBody(body)
		if len(marks) == 0 {
			continue
		}
		fixed, _ := style.FixBody(body)
		if err := replaceFile(name, []byte(src[:len(src)-len(body)]+fixed)); err != nil {
			return err
		}
		lines := []string{}
		for _, m := range marks {
			l := strconv.Itoa(e.BodyLine - 1 + m.Line)
			if len(lines) == 0 || lines[len(lines)-1] != l {
				lines = append(lines, l)
			}
		}
		fmt.Fprintf(stdout, "%s: made %s full-width (lines %s)\n", e.File, plural(len(marks), "punctuation mark"), strings.Join(lines, ", "))
	}
	return nil
}

// replaceFile writes data to name through a temporary file in the same
// folder and a rename, keeping name's permissions.
func replaceFile(name string, data []byte) error {
	fi, err := os.Stat(name)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".dateline-fix-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), fi.Mode().Perm())
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}
