package site

import (
	"bytes"
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"dateline/cmd/internal/corpus"
)

// TestSingleEqualsFullBuild checks what the preview relies on to serve a
// report page before its first build ends: a Single writes a report's
// pages byte for byte as a full build does, with every file they refer to.
// The site is the repository's sample.
func TestSingleEqualsFullBuild(t *testing.T) {
	fsys := os.DirFS(filepath.Join("..", "..", ".."))
	opts := Options{FS: fsys, Preview: true, Cache: t.TempDir(), BaseURL: "http://127.0.0.1:8080/"}
	b := NewBuilder(opts)
	single := b.Single(nil)
	full := newMem()
	if _, err := b.Build(context.Background(), full); err != nil {
		t.Fatal(err)
	}
	entries, err := fs.ReadDir(fsys, "content")
	if err != nil {
		t.Fatal(err)
	}
	var reports int
	for _, ent := range entries {
		if !ent.IsDir() {
			continue
		}
		reports++
		slug := ent.Name()
		out := newMem()
		names, err := single.Report(context.Background(), slug, out)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(names)
		got := slices.Sorted(maps.Keys(out.files))
		if !slices.Equal(names, got) {
			t.Errorf("%s: names %q; written %q", slug, names, got)
		}
		for _, name := range names {
			if !bytes.Equal(out.files[name], full.files[name]) {
				t.Errorf("%s: %s differs from the full build's", slug, name)
			}
		}
		var pages int
		for name := range full.files {
			if testPageSlug(name) != slug {
				continue
			}
			pages++
			if !slices.Contains(names, name) {
				t.Errorf("%s: no %s", slug, name)
				continue
			}
			// Every stylesheet, script and photo the page refers to came
			// with it.
			refs := siteRefs(string(out.files[name]))
			if len(refs) < 4 {
				t.Errorf("%s refers to %d site files: %q", name, len(refs), refs)
			}
			for _, ref := range refs {
				if !slices.Contains(names, ref) {
					t.Errorf("%s refers to %s, which was not written", name, ref)
				}
			}
		}
		if pages == 0 {
			t.Errorf("%s: the full build has no page of it", slug)
		}
	}
	if reports < 3 {
		t.Errorf("%d reports in the sample; want 3 or more", reports)
	}
}

// testPageSlug returns the slug of a report page's name, or "".
func testPageSlug(name string) string {
	parts := strings.Split(name, "/")
	if len(parts) != 3 || parts[2] != "index.html" {
		return ""
	}
	return parts[1]
}

var siteRef = regexp.MustCompile(`(?:src|href|srcset)=(?:"([^"]*)"|([^\s>"]+))`)

// siteRefs returns the files under assets/ a page refers to, by site path.
func siteRefs(page string) []string {
	var refs []string
	for _, m := range siteRef.FindAllStringSubmatch(page, -1) {
		for _, u := range strings.Split(m[1]+m[2], ",") {
			u = strings.Fields(strings.TrimSpace(u) + " ")[0]
			u = strings.TrimPrefix(u, "http://127.0.0.1:8080")
			if p, ok := strings.CutPrefix(u, "/assets/"); ok && !slices.Contains(refs, "assets/"+p) {
				refs = append(refs, "assets/"+p)
			}
		}
	}
	return refs
}

// TestSingleReadsAfresh checks that every call reads the report as it is
// now, and that a report that is not there, or a site that cannot be set
// up, gives nothing.
func TestSingleReadsAfresh(t *testing.T) {
	fsys := benchMapFS(corpus.Generate(2, 1))
	single := NewBuilder(Options{FS: fsys, Preview: true, NoDerivatives: true}).Single(nil)
	page := "zh/" + corpus.Slug(2) + "/index.html"
	for _, marker := range []string{"FIRST-MARKER", "SECOND-MARKER"} {
		f := fsys["content/"+corpus.Slug(2)+"/zh.md"]
		f.Data = append(bytes.Clone(f.Data), "\n\n"+marker+"\n"...)
		out := newMem()
		names, err := single.Report(context.Background(), corpus.Slug(2), out)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(names, page) || !strings.Contains(string(out.files[page]), marker) {
			t.Errorf("after the edit to %s, the page lacks it", marker)
		}
	}
	for _, slug := range []string{"no-such-report", "../content", ""} {
		out := newMem()
		if names, err := single.Report(context.Background(), slug, out); err != nil || len(names) > 0 || len(out.files) > 0 {
			t.Errorf("Report(%q) = %q, %v, wrote %d files; want nothing", slug, names, err, len(out.files))
		}
	}

	// An edition with an error is not written; the other one is.
	fsys["content/"+corpus.Slug(1)+"/en.md"] = &fstest.MapFile{Data: []byte("---\ntitle: [unclosed\n---\n\nbroken\n"), Mode: 0o644}
	out := newMem()
	names, _ := single.Report(context.Background(), corpus.Slug(1), out)
	if !slices.Contains(names, "zh/"+corpus.Slug(1)+"/index.html") || slices.Contains(names, "en/"+corpus.Slug(1)+"/index.html") {
		t.Errorf("report with a broken edition: names %q; want the zh page only", names)
	}

	// site.toml is read by the first call; Fresh reads it again.
	fsys["content/site.toml"] = &fstest.MapFile{Data: []byte("[languages.zh\n"), Mode: 0o644}
	if names, _ := single.Report(context.Background(), corpus.Slug(2), newMem()); len(names) == 0 {
		t.Errorf("a Single that was set up stopped building when site.toml changed")
	}
	if names, _ := single.Fresh().Report(context.Background(), corpus.Slug(2), newMem()); len(names) > 0 {
		t.Errorf("broken site.toml: Fresh().Report = %q; want nothing", names)
	}
}
