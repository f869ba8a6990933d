package site

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// memOutput is an in-memory Output.
type memOutput struct {
	mu    sync.Mutex
	files map[string][]byte
}

func newMem() *memOutput { return &memOutput{files: map[string][]byte{}} }

func (m *memOutput) WriteFile(name string, data []byte) error {
	m.mu.Lock()
	m.files[name] = bytes.Clone(data)
	m.mu.Unlock()
	return nil
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func editionFile(lang, title, date string, body string) string {
	return fmt.Sprintf("---\ntitle: %q\ndate: %s\nauthors: [{name: A, role: %s}]\n---\n\n%s\n", title, date, map[string]string{"zh": "文", "en": "Text"}[lang], body)
}

var clock = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// TestRebuildEqualsCleanBuild applies a random sequence of edits, rebuilding
// incrementally after each, and compares the result with a clean full
// build of the same files, byte for byte.
func TestRebuildEqualsCleanBuild(t *testing.T) {
	for _, preview := range []bool{false, true} {
		t.Run(fmt.Sprintf("preview=%v", preview), func(t *testing.T) { testRebuildEqualsCleanBuild(t, preview) })
	}
}

func testRebuildEqualsCleanBuild(t *testing.T, preview bool) {
	// Two reports to a part of the sitemap: parts come and go.
	defer func(n int) { sitemapReports = n }(sitemapReports)
	sitemapReports = 2
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"content/site.toml": "base_url = \"https://x.example/\"\nfront_page_size = 2\n" + listingTOML,
		"content/a/zh.md":   editionFile("zh", "甲", "2025-01-01", "## 第一站 起点\n\n正文。"),
		"content/a/en.md":   editionFile("en", "A", "2025-01-01", "## First stop: start\n\nText."),
		"content/b/zh.md":   editionFile("zh", "乙", "2025-02-01", "正文。"),
	})
	opts := Options{FS: os.DirFS(dir), Now: clock, Preview: preview}
	b := NewBuilder(opts)
	live := newMem()
	if _, err := b.Build(context.Background(), live); err != nil {
		t.Fatal(err)
	}

	rng := rand.New(rand.NewPCG(1, 2))
	slugs := []string{"a", "b", "c", "d"}
	for step := range 90 { // about 60 of the kinds below, 30 listing edits
		slug := slugs[rng.IntN(len(slugs))]
		lang := []string{"zh", "en"}[rng.IntN(2)]
		name := "content/" + slug + "/" + lang + ".md"
		var what string
		if rng.IntN(3) == 0 {
			// Listing edits: what lists a report where (topics, authors,
			// order, published or not).
			writeFiles(t, dir, map[string]string{name: listingEdit(rng, lang, slug)})
			what = "listing"
			changed := []string{name}
			before := maps.Clone(live.files)
			res, full, _ := b.Rebuild(context.Background(), changed, live)
			if full {
				t.Fatalf("step %d (%s %s): a change inside one report caused a full build", step, what, name)
			}
			// Exactly the lists it touches: a list file written again
			// has changed. Report pages are not list files: the report's
			// own pages and photos are made again with it, and so are
			// the reports whose onward links or series line may change
			// (a report is rebuilt in all its languages at once).
			for _, w := range res.Written {
				report := false
				for _, s := range slugs {
					report = report || strings.HasSuffix(w, "/"+s+"/index.html")
				}
				own := strings.HasPrefix(w, "assets/") || report
				if old, ok := before[w]; ok && !own && bytes.Equal(old, live.files[w]) {
					t.Errorf("step %d (%s %s): %s written again unchanged", step, what, name, w)
				}
			}
			for _, r := range res.Removed {
				delete(live.files, r)
			}
			clean := newMem()
			if _, err := NewBuilder(opts).Build(context.Background(), clean); err == nil {
				compare(t, fmt.Sprintf("step %d (%s %s)", step, what, name), live.files, clean.files)
			}
			continue
		}
		switch op := rng.IntN(10); {
		case op < 5: // edit body and maybe the title or date
			day := 1 + rng.IntN(28)
			writeFiles(t, dir, map[string]string{name: editionFile(lang, fmt.Sprintf("%s-%d", slug, rng.IntN(3)),
				fmt.Sprintf("2025-03-%02d", day), fmt.Sprintf("## Stop %d: x\n\nstep %d", 1+rng.IntN(2), step))})
			what = "edit"
		case op < 7: // remove the edition
			os.Remove(filepath.Join(dir, filepath.FromSlash(name)))
			what = "remove"
		case op < 8: // remove the whole report
			os.RemoveAll(filepath.Join(dir, "content", slug))
			what = "remove report"
		case op < 9: // make it a draft or embargoed
			writeFiles(t, dir, map[string]string{name: "---\ntitle: t\ndate: 2030-01-01\n---\nlater\n"})
			what = "embargo"
		case op < 10 && rng.IntN(2) == 0: // a photo, resized into a derivative, or replaced
			img := image.NewRGBA(image.Rect(0, 0, 600, 400))
			img.Set(rng.IntN(600), rng.IntN(400), color.RGBA{uint8(rng.IntN(256)), 0, 0, 255})
			var buf bytes.Buffer
			png.Encode(&buf, img)
			writeFiles(t, dir, map[string]string{
				"content/" + slug + "/photos/p.png": buf.String(),
				name:                                editionFile(lang, slug, "2025-04-01", "![p](photos/p.png \"caption (Photo: A)\")"),
			})
			name = "content/" + slug + "/photos/p.png"
			what = "photo"
		default: // a broken file, then keep going: a later step may fix it
			writeFiles(t, dir, map[string]string{name: "---\ntitle: [\n---\n"})
			what = "break"
		}
		changed := []string{name}
		if what == "photo" {
			changed = append(changed, "content/"+slug+"/"+lang+".md")
		}
		res, full, err := b.Rebuild(context.Background(), changed, live)
		_ = err
		if full {
			t.Fatalf("step %d (%s %s): a change inside one report caused a full build", step, what, name)
		}
		for _, r := range res.Removed {
			delete(live.files, r)
		}

		clean := newMem()
		_, cleanErr := NewBuilder(opts).Build(context.Background(), clean)
		if cleanErr != nil {
			// The site is broken now; the comparison resumes once it is fixed.
			continue
		}
		compare(t, fmt.Sprintf("step %d (%s %s)", step, what, name), live.files, clean.files)
	}
}

func compare(t *testing.T, when string, got, want map[string][]byte) {
	t.Helper()
	var diffs []string
	for name, data := range want {
		if g, ok := got[name]; !ok {
			diffs = append(diffs, "missing "+name)
		} else if !bytes.Equal(g, data) {
			diffs = append(diffs, "stale "+name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			diffs = append(diffs, "extra "+name)
		}
	}
	if len(diffs) > 0 {
		sort.Strings(diffs)
		t.Fatalf("%s: incremental site differs from a clean build:\n%s", when, strings.Join(diffs, "\n"))
	}
}

// TestRebuildSeriesEqualsCleanBuild is the random-edit model with series
// edits: a save that moves a report into or out of a series, changes its
// part, title or date, or makes it a draft, rebuilds incrementally into the
// same bytes as a clean build (the other parts' "Part N of M", previous
// and next links, the series page, onward links elsewhere).
func TestRebuildSeriesEqualsCleanBuild(t *testing.T) {
	for _, preview := range []bool{false, true} {
		t.Run(fmt.Sprintf("preview=%v", preview), func(t *testing.T) {
			dir := t.TempDir()
			part := func(lang, title, date, series string, n int) string {
				fm := ""
				if series != "" {
					fm = fmt.Sprintf("series: %s\npart: %d\n", series, n)
				}
				return fmt.Sprintf("---\ntitle: %q\ndate: %s\ntags: [t]\n%s---\n\nText.\n", title, date, fm)
			}
			writeFiles(t, dir, map[string]string{
				"content/site.toml": "base_url = \"https://x.example/\"\n[topics.t]\nzh = \"题\"\nen = \"T\"\n" +
					"[series.s]\nzh = \"系列\"\nen = \"Series\"\n[series.r]\nzh = \"另一\"\nen = \"Other\"\n",
				"content/a/zh.md": part("zh", "甲", "2025-01-01", "s", 1),
				"content/a/en.md": part("en", "A", "2025-01-01", "s", 1),
				"content/b/zh.md": part("zh", "乙", "2025-02-01", "s", 2),
				"content/c/en.md": part("en", "C", "2025-03-01", "", 0),
			})
			opts := Options{FS: os.DirFS(dir), Now: clock, Preview: preview}
			b := NewBuilder(opts)
			live := newMem()
			if _, err := b.Build(context.Background(), live); err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(3, 4))
			compared := 0
			for step := range 50 {
				k := rng.IntN(4)
				slug := []string{"a", "b", "c", "d"}[k]
				// Each report its own part number, but one edit in five
				// a random one: two reports then claim one part.
				n := k + 1
				if rng.IntN(5) == 0 {
					n = 1 + rng.IntN(3)
				}
				lang := []string{"zh", "en"}[rng.IntN(2)]
				name := "content/" + slug + "/" + lang + ".md"
				series := []string{"", "s", "s", "r"}[rng.IntN(4)]
				date := fmt.Sprintf("2025-0%d-01", 1+rng.IntN(5))
				var what string
				switch op := rng.IntN(6); {
				case op < 4:
					what = fmt.Sprintf("series %q part", series)
					writeFiles(t, dir, map[string]string{name: part(lang, fmt.Sprintf("%s%d", slug, rng.IntN(2)), date, series, n)})
				case op < 5:
					what = "draft"
					writeFiles(t, dir, map[string]string{name: fmt.Sprintf("---\ntitle: t\ndate: 2025-01-01\ndraft: true\nseries: s\npart: %d\n---\nx\n", n)})
				default:
					what = "remove"
					os.Remove(filepath.Join(dir, filepath.FromSlash(name)))
				}
				res, full, err := b.Rebuild(context.Background(), []string{name}, live)
				if full {
					t.Fatalf("step %d (%s %s): a full build", step, what, name)
				}
				for _, r := range res.Removed {
					delete(live.files, r)
				}
				clean := newMem()
				_, cleanErr := NewBuilder(opts).Build(context.Background(), clean)
				if (err == nil) != (cleanErr == nil) {
					t.Errorf("step %d (%s %s): the rebuild says %v, a clean build %v", step, what, name, err, cleanErr)
				}
				if cleanErr != nil {
					continue // two parts claim one number: an error either way, compared once fixed
				}
				compared++
				compare(t, fmt.Sprintf("step %d (%s %s)", step, what, name), live.files, clean.files)
			}
			if compared < 25 {
				t.Errorf("only %d of 50 steps left a buildable site to compare", compared)
			}
			t.Logf("%d of 50 steps compared", compared)
		})
	}
}

// TestRebuildSeriesWritesItsPages: a new part rewrites the series' other
// parts and its series page, and not the report pages it does not touch.
func TestRebuildSeriesWritesItsPages(t *testing.T) {
	dir := t.TempDir()
	fm := func(title, date, extra string) string {
		return "---\ntitle: " + title + "\ndate: " + date + "\n" + extra + "---\n\nText.\n"
	}
	writeFiles(t, dir, map[string]string{
		"content/site.toml": "base_url = \"https://x.example/\"\n[languages.zh]\n[topics.city]\nzh = \"城市\"\n[series.s]\nzh = \"系列\"\n",
		"content/s1/zh.md":  fm("一", "2025-05-01", "series: s\npart: 1\n"),
		"content/s2/zh.md":  fm("二", "2025-05-02", "series: s\npart: 2\n"),
		"content/u/zh.md":   fm("城一", "2025-04-01", "tags: [city]\n"),
		"content/u2/zh.md":  fm("城二", "2025-04-02", "tags: [city]\n"),
		"content/v/zh.md":   fm("五", "2025-06-01", ""),
	})
	opts := Options{FS: os.DirFS(dir), Now: clock}
	b := NewBuilder(opts)
	live := newMem()
	if _, err := b.Build(context.Background(), live); err != nil {
		t.Fatal(err)
	}
	// Part 3, older than every other report: no onward list of the others
	// reaches it.
	writeFiles(t, dir, map[string]string{"content/s3/zh.md": fm("三", "2024-01-01", "series: s\npart: 3\n")})
	res, _, err := b.Rebuild(context.Background(), []string{"content/s3/zh.md"}, live)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"zh/s1/index.html", "zh/s2/index.html", "zh/s3/index.html", "zh/series/s/index.html"} {
		if !slices.Contains(res.Written, want) {
			t.Errorf("Written %q lacks %s", res.Written, want)
		}
	}
	for _, not := range []string{"zh/u/index.html", "zh/u2/index.html", "zh/v/index.html"} {
		if slices.Contains(res.Written, not) {
			t.Errorf("Written holds %s, which the new part does not touch", not)
		}
	}
	if !bytes.Contains(live.files["zh/s1/index.html"], []byte("第1篇（共3篇）")) {
		t.Error("zh/s1 does not say 第1篇（共3篇）")
	}
	clean := newMem()
	if _, err := NewBuilder(opts).Build(context.Background(), clean); err != nil {
		t.Fatal(err)
	}
	compare(t, "after the new part", live.files, clean.files)
}

// listingTOML declares the topics and authors listingEdit uses.
const listingTOML = `
[topics.flood]
zh = "防汛"
en = "Flood control"

[topics.river]
zh = "河流"
en = "Rivers"

[authors.li]
zh = "李明"
en = "Li Ming"

[authors.zhou]
zh = "周晓雨"
en = "Zhou Xiaoyu"
`

// listingEdit returns an edition that differs from others in what lists it:
// its tags (topics, by key or by name), its authors and their roles, its
// date (the order of every list it is on), and whether it is published
// (a draft, an embargo, or neither).
func listingEdit(rng *rand.Rand, lang, slug string) string {
	tags := [][]string{nil, {"flood"}, {"river"}, {"flood", "river"}, {"防汛"}, {"Rivers", "flood"}}[rng.IntN(6)]
	people := [][]string{nil, {"李明"}, {"Li Ming", "Zhou Xiaoyu"}, {"周晓雨"}, {"Nobody"}}[rng.IntN(5)]
	roles := map[string][]string{"zh": {"文", "图"}, "en": {"Text", "Photos"}}[lang]
	var fm strings.Builder
	fmt.Fprintf(&fm, "---\ntitle: %q\ndate: 2025-05-%02d\n", slug+"-"+lang, 1+rng.IntN(4))
	if rng.IntN(6) == 0 {
		fm.WriteString("draft: true\n")
	}
	if len(tags) > 0 {
		fmt.Fprintf(&fm, "tags: [%s]\n", strings.Join(tags, ", "))
	}
	if len(people) > 0 {
		fm.WriteString("authors:\n")
		for i, p := range people {
			fmt.Fprintf(&fm, "  - {name: %s, role: %s}\n", p, roles[i%2])
		}
	}
	fm.WriteString("---\n\nBody.\n")
	out := fm.String()
	if rng.IntN(6) == 0 { // embargoed: dated after the build's clock
		out = strings.Replace(out, "date: 2025-05-", "date: 2030-05-", 1)
	}
	return out
}
