package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"dateline/cmd/internal/content"
	"dateline/cmd/internal/scaffold"
)

func runNew(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := newFlagSet("new", stderr)
	dir := fset.String("s", ".", "the site folder (holds content/)")
	args, err := parseArgs(fset, args)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return usageError("usage: dateline new SLUG [-s SITE]")
	}
	slug := args[0]
	if !content.ValidSlug(slug) {
		return usageError("new: %q is not a valid report slug: use lowercase letters, digits and hyphens (river-dikes)", slug)
	}
	cfg, ps := content.LoadConfig(os.DirFS(*dir))
	if cfg == nil {
		for _, p := range ps {
			fmt.Fprintln(stderr, p)
		}
		return errContent
	}
	folder := filepath.Join(*dir, "content", slug)
	if _, err := os.Stat(folder); err == nil {
		return &exitError{code: 1, err: fmt.Errorf("new: content/%s already exists; nothing written", slug)}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	files := map[string][]byte{scaffold.Photo: scaffold.PlaceholderJPEG()}
	// The English title is the slug in words (my-story → "My story"); the
	// Chinese scaffold has its own placeholder title.
	title := strings.ReplaceAll(slug, "-", " ")
	title = strings.ToUpper(title[:1]) + title[1:]
	date := time.Now().In(cfg.Location).Format("2006-01-02")
	for _, l := range cfg.Languages {
		files[l.Key+".md"] = scaffold.Edition(l.Key, title, date)
	}
	if err := os.MkdirAll(filepath.Join(folder, "photos"), 0o755); err != nil {
		return err
	}
	for name, data := range files {
		// O_EXCL: never overwrite, even if the folder appeared meanwhile.
		f, err := os.OpenFile(filepath.Join(folder, filepath.FromSlash(name)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	for _, l := range cfg.Languages {
		fmt.Fprintf(stdout, "created content/%s/%s.md\n", slug, l.Key)
	}
	fmt.Fprintf(stdout, "created content/%s/%s (a placeholder: replace it)\n", slug, scaffold.Photo)
	fmt.Fprintf(stdout, "the report is a draft: `dateline check %s` lists what is left to do; set draft: false to publish it\n", slug)
	return nil
}
