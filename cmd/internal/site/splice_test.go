package site

import (
	"bytes"
	"context"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"dateline/cmd/internal/corpus"
	"dateline/themes"
)

// withTheme returns the generated site with a copy of the default theme as
// themes/custom, its report layout changed by edit.
func withTheme(t *testing.T, edit func(layout string) string) fstest.MapFS {
	t.Helper()
	fsys := benchMapFS(corpus.Generate(1, 3))
	err := fs.WalkDir(themes.Default(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(themes.Default(), p)
		if p == "layouts/report.html" {
			data = []byte(edit(string(data)))
		}
		fsys["themes/custom/"+p] = &fstest.MapFile{Data: data, Mode: 0o644}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg := fsys["content/site.toml"]
	fsys["content/site.toml"] = &fstest.MapFile{Data: append([]byte("theme = \"custom\"\n"), cfg.Data...), Mode: 0o644}
	return fsys
}

// TestBodySplice: a report's body is spliced into its minified chrome when
// the layout shows it once; a layout that shows it twice, or inside an
// element whose whitespace counts, gets the whole page minified instead;
// either way the page is the minifier's result but for whitespace.
func TestBodySplice(t *testing.T) {
	page := "zh/" + corpus.Slug(1) + "/index.html"
	build := func(fsys fstest.MapFS) string {
		t.Helper()
		out := &benchKeep{}
		res, err := NewBuilder(Options{FS: fsys, Now: benchNow}).Build(context.Background(), out)
		if err != nil {
			t.Fatalf("build: %v (%v)", err, res.Problems)
		}
		return string(out.files[page])
	}
	plain := build(withTheme(t, func(l string) string { return l }))
	stop := `<section class="stop" id="stop-1"`
	if strings.Count(plain, stop) != 1 || strings.Contains(plain, bodyMarker) {
		t.Fatalf("default layout: %d copies of the first stop, marker left: %v", strings.Count(plain, stop), strings.Contains(plain, bodyMarker))
	}
	if strings.Contains(plain, "</p>\n<") || strings.Contains(plain, "</section>\n") {
		t.Error("newlines between blocks of the body survived")
	}

	twice := build(withTheme(t, func(l string) string {
		return strings.Replace(l, "{{.Body}}", "{{.Body}}<hr>{{.Body}}", 1)
	}))
	if n := strings.Count(twice, stop); n != 2 {
		t.Errorf("layout showing the body twice: %d copies of the first stop; want 2", n)
	}
	if strings.Contains(twice, bodyMarker) {
		t.Error("layout showing the body twice: the marker is in the page")
	}

	none := build(withTheme(t, func(l string) string {
		return strings.Replace(l, "{{.Body}}", "", 1)
	}))
	if strings.Contains(none, stop) || strings.Contains(none, bodyMarker) {
		t.Error("layout without the body: body or marker in the page")
	}

	// With the body inside <pre>, the layout's own choice, the minifier
	// keeps its whitespace; so does the fallback.
	pre := build(withTheme(t, func(l string) string {
		return strings.Replace(l, "{{.Body}}", "<pre>{{.Body}}</pre>", 1)
	}))
	if !strings.Contains(pre, "<pre>") || strings.Contains(pre, bodyMarker) {
		t.Error("layout with the body in <pre>: no <pre>, or the marker left")
	}
	if !bytes.Contains([]byte(pre), []byte("</p>\n<")) {
		t.Error("layout with the body in <pre>: the body's newlines went; the minifier keeps them in <pre>")
	}
}
