package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"dateline/cmd/internal/content"
	"dateline/cmd/internal/importer"
)

const importUsage = "usage: dateline import FILE [-s SITE] [--slug SLUG] [--lang zh|en] [--date DATE]"

// runImport reads a newsroom draft (plain text, Markdown without front
// matter, or .docx through pandoc) and writes it as a draft edition
// content/SLUG/LANG.md, printing what it recognized.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := newFlagSet("import", stderr)
	dir := fset.String("s", ".", "the site folder (holds content/)")
	slugFlag := fset.String("slug", "", "the report's slug (default: the file's name)")
	langFlag := fset.String("lang", "", "the edition's language (default: guessed from the text)")
	dateFlag := fset.String("date", "", "the report's date, YYYY-MM-DD or RFC 3339 (default: now)")
	fset.Usage = func() {
		fmt.Fprintln(fset.Output(), importUsage)
		fset.PrintDefaults()
	}
	// Flags may come before or after FILE.
	var files []string
	for rest := args; ; {
		if err := fset.Parse(rest); err != nil {
			if err == flag.ErrHelp {
				return &exitError{code: 0, err: err}
			}
			return &exitError{code: 2, err: err}
		}
		if fset.NArg() == 0 {
			break
		}
		files = append(files, fset.Arg(0))
		rest = fset.Args()[1:]
	}
	if len(files) != 1 {
		return usageError("%s", importUsage)
	}
	file := files[0]
	if err := checkSite("import", *dir); err != nil {
		return err
	}
	cfg, ps := content.LoadConfig(os.DirFS(*dir))
	if cfg == nil {
		for _, p := range ps {
			fmt.Fprintln(stderr, p)
		}
		return errContent
	}
	if *langFlag != "" {
		if _, ok := cfg.Language(*langFlag); !ok {
			return usageError("import: --lang %q is not a language of the site (%s)", *langFlag, langKeys(cfg))
		}
	}
	date := time.Now().In(cfg.Location).Truncate(time.Second).Format(time.RFC3339)
	if *dateFlag != "" {
		d, err := parseImportDate(*dateFlag, cfg.Location)
		if err != nil {
			return err
		}
		date = d
	}
	slug := *slugFlag
	if slug == "" {
		base := filepath.Base(file)
		slug = strings.TrimSuffix(base, filepath.Ext(base))
		if !content.ValidSlug(slug) {
			return usageError("import: the file name %q is not a valid report slug; name one with --slug %s (lowercase letters, digits and hyphens)", base, importSlug(slug, date))
		}
	} else if !content.ValidSlug(slug) {
		return usageError("import: --slug %q is not a valid report slug; use lowercase letters, digits and hyphens, such as %s", slug, importSlug(slug, date))
	}
	switch slug {
	case "page", "topics", "series", "authors", "search", "assets":
		return usageError("import: %q is a reserved name; choose another --slug", slug)
	}

	// Read the draft.
	var (
		text, encoding string
		md             bool
		media          string // pandoc's extracted photos, in a temporary folder
	)
	switch strings.ToLower(filepath.Ext(file)) {
	case ".docx":
		tmp, err := os.MkdirTemp("", "dateline-import-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		out, err := pandocDocx(ctx, file, tmp)
		if err != nil {
			return err
		}
		text, encoding, md, media = out, "Word (.docx) through pandoc", true, filepath.Join(tmp, "photos")
	case ".md", ".markdown":
		md = true
		fallthrough
	default:
		data, err := os.ReadFile(file)
		if err != nil {
			return &exitError{code: 1, err: fmt.Errorf("import: %v", err)}
		}
		text, encoding, err = importer.Decode(data)
		if err != nil {
			return &exitError{code: 1, err: fmt.Errorf("%s:%v", file, err)}
		}
		if md && (strings.HasPrefix(text, "---\n") || strings.HasPrefix(text, "+++\n") || strings.HasPrefix(text, "---\r\n")) {
			return &exitError{code: 1, err: fmt.Errorf("%s:1: the file already has front matter: copy it to content/%s/ as it is", file, slug)}
		}
	}
	if strings.TrimSpace(text) == "" {
		return &exitError{code: 1, err: fmt.Errorf("%s:1: the file holds no text", file)}
	}

	r := importer.Parse(text, importer.Options{Lang: *langFlag, Markdown: md})
	lang, ok := cfg.Language(r.Lang)
	if !ok {
		return usageError("import: %s reads as %q, which is not a language of the site (%s); say which with --lang", file, r.Lang, langKeys(cfg))
	}
	if r.Title == "" {
		return &exitError{code: 1, err: fmt.Errorf("%s:1: no headline: the first line should be the report's title", file)}
	}

	// Write content/SLUG/LANG.md, never over anything.
	rel := "content/" + slug + "/" + lang.Key + ".md"
	folder := filepath.Join(*dir, "content", slug)
	target := filepath.Join(folder, lang.Key+".md")
	if _, err := os.Lstat(target); err == nil {
		return &exitError{code: 1, err: fmt.Errorf("import: %s already exists; nothing written", rel)}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	photos, err := mediaFiles(media)
	if err != nil {
		return err
	}
	for _, p := range photos {
		if _, err := os.Lstat(filepath.Join(folder, p)); err == nil {
			return &exitError{code: 1, err: fmt.Errorf("import: content/%s/%s already exists; nothing written", slug, filepath.ToSlash(p))}
		}
	}
	_, statErr := os.Stat(folder)
	created := errors.Is(statErr, fs.ErrNotExist)
	if err := writeImport(folder, target, r.Markdown(date), media, photos); err != nil {
		if created {
			os.RemoveAll(folder)
		}
		return err
	}

	// Say what was recognized, and what the producer should check.
	how := "said by --lang"
	if r.LangGuessed {
		how = "guessed from the text"
	}
	fmt.Fprintf(stdout, "read %s: %s, language %s (%s)\n", file, encoding, lang.Key, how)
	if md && media != "" {
		fmt.Fprintf(stdout, "line numbers below are those of pandoc's Markdown\n")
	}
	for _, n := range r.Notes {
		if n.Kind == "check" {
			continue
		}
		fmt.Fprintf(stdout, "%s:%d: %s → %s\n", file, n.Line, n.Kind, n.Text)
	}
	if len(r.Plain) > 0 {
		lines := make([]string, len(r.Plain))
		for i, n := range r.Plain {
			lines[i] = strconv.Itoa(n)
		}
		fmt.Fprintf(stdout, "left as plain paragraphs (%d): lines %s\n", len(r.Plain), strings.Join(lines, " "))
	}
	for _, n := range r.Notes {
		if n.Kind == "check" {
			fmt.Fprintf(stdout, "%s:%d: check: %s\n", file, n.Line, n.Text)
		}
	}
	if r.Fixes > 0 {
		fmt.Fprintf(stdout, "made %d half-width punctuation marks full-width (house style)\n", r.Fixes)
	}
	if r.Dateline == "" {
		fmt.Fprintf(stdout, "no dateline lead found: set dateline yourself\n")
	}
	if len(r.Authors) == 0 {
		fmt.Fprintf(stdout, "no byline found: set authors yourself\n")
	}
	for _, p := range photos {
		fmt.Fprintf(stdout, "created content/%s/%s\n", slug, filepath.ToSlash(p))
	}
	fmt.Fprintf(stdout, "created %s (a draft: set draft: false to publish)\n", rel)
	return nil
}

// parseImportDate checks --date and returns it as the front matter will
// hold it.
func parseImportDate(s string, loc *time.Location) (string, error) {
	if _, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return s, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.Format(time.RFC3339), nil
	}
	return "", usageError("import: --date %q: use YYYY-MM-DD or RFC 3339 (2025-06-12T08:00:00+08:00)", s)
}

// importSlug suggests a slug for a name that is not one
// (content.SuggestSlug), or report-DATE when nothing of it is left (a
// Chinese file name).
func importSlug(name, date string) string {
	if s := content.SuggestSlug(name); s != "" {
		return s
	}
	return "report-" + strings.ReplaceAll(date[:10], "-", "")
}

func langKeys(cfg *content.Config) string {
	var keys []string
	for _, l := range cfg.Languages {
		keys = append(keys, l.Key)
	}
	return strings.Join(keys, ", ")
}

// pandocDocx converts a Word file to GitHub Markdown with pandoc, its
// photos extracted into dir/photos/media.
func pandocDocx(ctx context.Context, file, dir string) (string, error) {
	bin, err := exec.LookPath("pandoc")
	if err != nil {
		return "", &exitError{code: 1, err: fmt.Errorf("import: reading .docx needs pandoc, which is not installed (Debian: apt-get install pandoc)")}
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(abs); err != nil {
		return "", &exitError{code: 1, err: fmt.Errorf("import: %v", err)}
	}
	// gfm without raw HTML: an image with a size would otherwise come out
	// as an <img> tag, which a build does not pass through.
	cmd := exec.CommandContext(ctx, bin, "-f", "docx", "-t", "gfm-raw_html", "--wrap=none", "--extract-media=photos", abs)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", &exitError{code: 1, err: fmt.Errorf("%s:1: pandoc could not read it: %s", file, strings.TrimSpace(errb.String()))}
	}
	return out.String(), nil
}

// mediaFiles lists the files under dir (relative slash paths beginning
// with photos/), none when dir is "" or missing.
func mediaFiles(dir string) ([]string, error) {
	if dir == "" {
		return nil, nil
	}
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(filepath.Dir(dir), p)
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// writeImport writes the edition and moves the photos in, creating the
// folder; nothing existing is overwritten.
func writeImport(folder, target string, data []byte, media string, photos []string) error {
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return err
	}
	var done []string
	undo := func() {
		for _, p := range done {
			os.Remove(p)
		}
	}
	for _, p := range photos {
		dst := filepath.Join(folder, p)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			undo()
			return err
		}
		b, err := os.ReadFile(filepath.Join(filepath.Dir(media), p))
		if err == nil {
			err = writeNew(dst, b)
		}
		if err != nil {
			undo()
			return err
		}
		done = append(done, dst)
	}
	if err := writeNew(target, data); err != nil {
		undo()
		return err
	}
	return nil
}

// writeNew creates name with data, failing if it exists, and leaves no
// partial file behind.
func writeNew(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
	}
	return err
}
