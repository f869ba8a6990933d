package site

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/cmd/internal/theme"
)

// TestRenavBodyEdit: a rebuild after an edit that changes nothing the
// series and onward links show (a paragraph appended) keeps the nav index
// as it is and rebuilds the edited report alone; an edit of a title the
// other parts show makes a new index and rebuilds those parts too.
func TestRenavBodyEdit(t *testing.T) {
	dir := t.TempDir()
	files := seriesSite("")
	writeFiles(t, dir, files)
	b := NewBuilder(Options{FS: os.DirFS(dir), Now: clock})
	ctx := context.Background()
	if _, err := b.Build(ctx, newMem()); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		what, file, from, to string
		sameIndex            bool
		want                 []string // slugs renav returns
	}{
		{"body", "content/d1/zh.md", "Body of 大堤一.", "Body of 大堤一.\n\nOne more paragraph.", true, []string{"d1"}},
		{"body again", "content/d1/zh.md", "One more paragraph.", "Two more paragraphs.", true, []string{"d1"}},
		{"title", "content/d1/zh.md", "title: 大堤一", "title: 大堤一（修订）", false, []string{"d1", "d2", "f1"}}, // f1 links to d1 on their topic,
	} {
		files[tt.file] = strings.Replace(files[tt.file], tt.from, tt.to, 1)
		writeFiles(t, dir, map[string]string{tt.file: files[tt.file]})
		old := b.nav
		slug := strings.Split(tt.file, "/")[1]
		got, _ := b.renav(ctx, []string{slug})
		if (b.nav == old) != tt.sameIndex {
			t.Errorf("%s edit: index kept = %v; want %v", tt.what, b.nav == old, tt.sameIndex)
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%s edit: renav returned %q; want %q", tt.what, got, tt.want)
		}
	}
}

// TestRebuildRendersTouchedLists: a listing edit renders again the list
// pages that show the edited report and the few pages every rebuild makes
// (root, 404s, topic index, robots.txt, _headers), not every front, topic
// and author page, nor the feeds when the report is not among the newest,
// nor the sitemap when no entry of it changed.
func TestRebuildRendersTouchedLists(t *testing.T) {
	files := map[string]string{"content/site.toml": "base_url = \"https://x.example/\"\nfront_page_size = 2\n" + listingTOML}
	for i := 1; i <= 60; i++ {
		tag := []string{"防汛", "河流"}[i%2]
		files[fmt.Sprintf("content/r%02d/zh.md", i)] = fmt.Sprintf("---\ntitle: 第%d篇\ndate: 2024-01-%02dT%02d:00:00Z\ntags: [%s]\nauthors: [{name: 李明}]\n---\n\n正文。\n", i, 1+i/24, i%24, tag)
	}
	dir := t.TempDir()
	writeFiles(t, dir, files)
	b := NewBuilder(Options{FS: os.DirFS(dir), Now: clock})
	ctx := context.Background()
	live := newMem()
	if _, err := b.Build(ctx, live); err != nil {
		t.Fatal(err)
	}
	rendered := recordRendering(t, "")

	// r01 is the oldest: last on the front pages (page 30), on its topic
	// (river, page 15) and on its author's pages (page 30).
	name := "content/r01/zh.md"
	writeFiles(t, dir, map[string]string{name: strings.Replace(files[name], "title: 第1篇", "title: 第1篇（修订）", 1)})
	res, full, err := b.Rebuild(ctx, []string{name}, live)
	if err != nil || full {
		t.Fatalf("Rebuild: full %v, %v", full, err)
	}
	want := []string{
		"404.html", "_headers", "en/404.html", "en/topics/index.html", "index.html", "robots.txt",
		"zh/404.html", "zh/authors/li/page/30/index.html", "zh/page/30/index.html",
		"zh/topics/index.html", "zh/topics/river/page/15/index.html",
	}
	if got := rendered.take(); !slices.Equal(got, want) {
		t.Errorf("a title edit rendered\n%q\nwant\n%q", got, want)
	}
	for _, w := range []string{"zh/page/30/index.html", "zh/topics/river/page/15/index.html", "zh/authors/li/page/30/index.html"} {
		if !slices.Contains(res.Written, w) || !strings.Contains(string(live.files[w]), "修订") {
			t.Errorf("%s not written with the new title (written: %q)", w, res.Written)
		}
	}
	clean := newMem()
	if _, err := NewBuilder(Options{FS: os.DirFS(dir), Now: clock}).Build(ctx, clean); err != nil {
		t.Fatal(err)
	}
	compare(t, "after the title edit", live.files, clean.files)
}

// TestSameNavContexts: every field a page shows of a series line or an
// onward link makes two contexts differ.
func TestSameNavContexts(t *testing.T) {
	// A field added to theme.Series or theme.Link must be compared too.
	if n, m := reflect.TypeFor[theme.Series]().NumField(), reflect.TypeFor[theme.Link]().NumField(); n != 10 || m != 5 {
		t.Fatalf("theme.Series has %d fields, theme.Link %d: compare the new ones in sameNavContexts", n, m)
	}
	day := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	base := func() map[string]navContext {
		prev := theme.Link{Title: "P", URL: "/zh/p/", Date: day, DateText: "3月1日", Label: "第1篇"}
		return map[string]navContext{"zh": {
			Series: &theme.Series{Key: "k", Title: "T", Summary: "S", URL: "/zh/series/k/", Count: 3, Part: 2, Label: "L", PartLabel: "PL", Prev: &prev},
			Onward: []theme.Link{{Title: "O", URL: "/zh/o/", Date: day, DateText: "3月1日"}},
		}}
	}
	if !sameNavContexts(base(), base()) {
		t.Fatal("equal contexts differ")
	}
	for _, tt := range []struct {
		what   string
		change func(m map[string]navContext)
	}{
		{"language", func(m map[string]navContext) { m["en"] = m["zh"]; delete(m, "zh") }},
		{"no series", func(m map[string]navContext) { c := m["zh"]; c.Series = nil; m["zh"] = c }},
		{"title", func(m map[string]navContext) { m["zh"].Series.Title = "X" }},
		{"summary", func(m map[string]navContext) { m["zh"].Series.Summary = "X" }},
		{"key", func(m map[string]navContext) { m["zh"].Series.Key = "X" }},
		{"url", func(m map[string]navContext) { m["zh"].Series.URL = "X" }},
		{"count", func(m map[string]navContext) { m["zh"].Series.Count = 4 }},
		{"part", func(m map[string]navContext) { m["zh"].Series.Part = 1 }},
		{"label", func(m map[string]navContext) { m["zh"].Series.Label = "X" }},
		{"part label", func(m map[string]navContext) { m["zh"].Series.PartLabel = "X" }},
		{"prev gone", func(m map[string]navContext) { m["zh"].Series.Prev = nil }},
		{"next", func(m map[string]navContext) { m["zh"].Series.Next = &theme.Link{} }},
		{"prev title", func(m map[string]navContext) { m["zh"].Series.Prev.Title = "X" }},
		{"prev date", func(m map[string]navContext) { m["zh"].Series.Prev.Date = day.AddDate(0, 0, 1) }},
		{"prev zone", func(m map[string]navContext) { m["zh"].Series.Prev.Date = day.In(time.FixedZone("CST", 8*3600)) }},
		{"onward url", func(m map[string]navContext) { m["zh"].Onward[0].URL = "X" }},
		{"onward date text", func(m map[string]navContext) { m["zh"].Onward[0].DateText = "X" }},
		{"onward label", func(m map[string]navContext) { m["zh"].Onward[0].Label = "X" }},
		{"onward more", func(m map[string]navContext) { c := m["zh"]; c.Onward = append(c.Onward, theme.Link{}); m["zh"] = c }},
	} {
		m := base()
		tt.change(m)
		if sameNavContexts(base(), m) || sameNavContexts(m, base()) {
			t.Errorf("%s changed: contexts still the same", tt.what)
		}
	}
}

// TestRebuildReadsEditOnce: a rebuild reads the edited report's file once,
// for the nav index and the page alike (they cannot disagree).
func TestRebuildReadsEditOnce(t *testing.T) {
	dir := t.TempDir()
	files := seriesSite("")
	writeFiles(t, dir, files)
	fsys := newCountFS(dir)
	b := NewBuilder(Options{FS: fsys, Now: clock})
	ctx := context.Background()
	live := newMem()
	if _, err := b.Build(ctx, live); err != nil {
		t.Fatal(err)
	}
	for _, edit := range []struct{ from, to string }{
		{"Body of 大堤一.", "Body of 大堤一, longer."}, // a body edit
		{"title: 大堤一", "title: 大堤一（修订）"},         // a listing edit
	} {
		const name = "content/d1/zh.md"
		files[name] = strings.Replace(files[name], edit.from, edit.to, 1)
		writeFiles(t, dir, map[string]string{name: files[name]})
		fsys.mu.Lock()
		clear(fsys.opens)
		fsys.mu.Unlock()
		if _, _, err := b.Rebuild(ctx, []string{name}, live); err != nil {
			t.Fatal(err)
		}
		if n := fsys.opens[name]; n != 1 {
			t.Errorf("%q → %q: the rebuild opened %s %d times; want once", edit.from, edit.to, name, n)
		}
	}
}

// renderedNames is what recordRendering saw.
type renderedNames struct {
	mu    sync.Mutex
	names []string
}

// recordRendering notes, until t ends, every list file a build renders
// whose name starts with prefix.
func recordRendering(t *testing.T, prefix string) *renderedNames {
	r := &renderedNames{}
	rendering = func(name string) {
		if strings.HasPrefix(name, prefix) {
			r.mu.Lock()
			r.names = append(r.names, name)
			r.mu.Unlock()
		}
	}
	t.Cleanup(func() { rendering = nil })
	return r
}

// take returns the names noted since the last take, sorted.
func (r *renderedNames) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := r.names
	r.names = nil
	slices.Sort(names)
	return names
}
