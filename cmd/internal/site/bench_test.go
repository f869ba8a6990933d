package site

// Benchmarks of the whole build, of an incremental rebuild, and of each
// stage of the pipeline on the generated corpus of package corpus (the
// shape of ../shared/bench/gencorpus.py --format dateline):
//
//	go test -run '^$' -bench . -benchtime 3x ./cmd/internal/site/
//	go test -run '^$' -bench BenchmarkBuild -benchtime 5x -cpuprofile cpu.out ./cmd/internal/site/
//	DATELINE_BENCH_REPORTS=5000 go test -run '^$' -bench RebuildOneReport -benchtime 10x -cpuprofile cpu.out ./cmd/internal/site/
//
// Every benchmark finishes quickly with -benchtime 1x; -short skips the
// ones that build the 200-report corpus.

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"dateline/cmd/internal/content"
	"dateline/cmd/internal/corpus"
	"dateline/cmd/internal/markdown"
	"dateline/cmd/internal/problem"
	"dateline/cmd/internal/publish"
	"dateline/cmd/internal/theme"

	"github.com/adrg/frontmatter"
	"github.com/goccy/go-yaml"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// benchReports is the size of the benchmark corpus: 400 report pages, or
// DATELINE_BENCH_REPORTS reports (5000 for the 10,000 pages of SPEC §9).
var benchReports = func() int {
	if n, err := strconv.Atoi(os.Getenv("DATELINE_BENCH_REPORTS")); err == nil && n > 0 {
		return n
	}
	return 200
}()

// benchNow is after every date of the corpus (2019–2023): nothing is embargoed.
var benchNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// benchCorpus is generated once per test binary and only read afterwards.
var benchCorpus = sync.OnceValue(func() map[string][]byte { return corpus.Generate(benchReports, 1) })

func benchMapFS(files map[string][]byte) fstest.MapFS {
	fsys := make(fstest.MapFS, len(files))
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	return fsys
}

// benchDiscard discards what it is given and counts it.
type benchDiscard struct {
	files, bytes         atomic.Int64
	htmlFiles, htmlBytes atomic.Int64
}

func (o *benchDiscard) WriteFile(name string, data []byte) error {
	o.files.Add(1)
	o.bytes.Add(int64(len(data)))
	if strings.HasSuffix(name, ".html") {
		o.htmlFiles.Add(1)
		o.htmlBytes.Add(int64(len(data)))
	}
	return nil
}

// benchKeep keeps what it is given.
type benchKeep struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (o *benchKeep) WriteFile(name string, data []byte) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.files == nil {
		o.files = map[string][]byte{}
	}
	o.files[name] = bytes.Clone(data)
	return nil
}

func benchSkipLarge(b *testing.B) {
	if testing.Short() {
		b.Skip("builds the 200-report corpus; skipped with -short")
	}
}

// benchMallocs returns the number of heap allocations so far.
func benchMallocs() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.Mallocs
}

// BenchmarkBuild is a full build of the 200-report corpus from memory into
// an Output that discards the files: the build's own cost, without disks.
// "photos=cached" finds the responsive photo derivatives in a photo cache
// filled by an earlier build, as every `dateline build` after the first
// does; "photos=encoded" has no cache, so each build also resizes and
// encodes the derivatives of the corpus's 12 photos (a fixed cost, the same
// for 20 reports as for 20,000).
//
// pages/s and allocs/page count report pages (two per report), as
// ../shared/bench/run-hugo.sh counts content pages; B/page is the mean size
// of an HTML file written.
func BenchmarkBuild(b *testing.B) {
	benchSkipLarge(b)
	fsys := newIndexedFS(benchMapFS(benchCorpus()))
	ctx := context.Background()
	cache := b.TempDir()
	if _, err := NewBuilder(Options{FS: fsys, Now: benchNow, Cache: cache}).Build(ctx, &benchDiscard{}); err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct{ name, cache string }{{"photos=cached", cache}, {"photos=encoded", ""}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			var pages, htmlFiles, htmlBytes int64
			m0, cpu0 := benchMallocs(), benchCPU()
			for b.Loop() {
				out := &benchDiscard{}
				res, err := NewBuilder(Options{FS: fsys, Now: benchNow, Cache: tc.cache}).Build(ctx, out)
				if err != nil {
					b.Fatal(err)
				}
				if res.Pages < 2*benchReports {
					b.Fatalf("built %d pages; want at least %d", res.Pages, 2*benchReports)
				}
				if tc.cache != "" && res.PhotosEncoded > 0 {
					b.Fatalf("encoded %d photo derivatives with a full photo cache", res.PhotosEncoded)
				}
				pages += 2 * int64(benchReports)
				htmlFiles += out.htmlFiles.Load()
				htmlBytes += out.htmlBytes.Load()
			}
			allocs, cpu := benchMallocs()-m0, benchCPU()-cpu0
			b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
			b.ReportMetric(cpu.Seconds()*1000/float64(pages), "cpu-ms/page")
			b.ReportMetric(float64(htmlBytes)/float64(htmlFiles), "B/page")
			b.ReportMetric(float64(htmlBytes)/b.Elapsed().Seconds()/1e6, "MB/s")
			b.ReportMetric(float64(allocs)/float64(pages), "allocs/page")
		})
	}
}

// BenchmarkBuildToDisk is BenchmarkBuild/photos=cached reading the corpus
// from a folder and publishing into an output folder, as `dateline build`
// does: staged in the kept previous output, with the build cache. "full"
// empties the build cache before each build (every report is converted);
// "unchanged" builds the unchanged site again with the cache warm (issue
// #6's second build), and checks that every report was kept.
func BenchmarkBuildToDisk(b *testing.B) {
	benchSkipLarge(b)
	dir := b.TempDir()
	if err := corpus.Write(dir, benchCorpus()); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	outDir := filepath.Join(b.TempDir(), "public")
	cacheDir := filepath.Join(dir, ".cache", "dateline")
	opts := Options{FS: os.DirFS(dir), Now: benchNow, Cache: cacheDir}
	build := func(b *testing.B) *Result {
		d, err := publish.CreateReusing(outDir, filepath.Join(cacheDir, "output"))
		if err != nil {
			b.Fatal(err)
		}
		res, err := NewBuilder(opts).Build(ctx, d)
		if err != nil {
			d.Abort()
			b.Fatal(err)
		}
		if err := d.Commit(); err != nil {
			b.Fatal(err)
		}
		return res
	}
	build(b)
	for _, warm := range []bool{false, true} {
		name := "full"
		if warm {
			name = "unchanged"
		}
		b.Run(name, func(b *testing.B) {
			var pages int64
			for b.Loop() {
				if !warm {
					os.Remove(filepath.Join(opts.Cache, manifestName))
				}
				res := build(b)
				if warm && res.Kept != benchReports {
					b.Fatalf("kept %d reports of %d", res.Kept, benchReports)
				}
				pages += 2 * int64(benchReports)
			}
			b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/build")
		})
	}
}

// BenchmarkRebuildOneReport edits one report of the corpus on disk and
// rebuilds incrementally, as `dateline serve` does after a save. "body"
// changes a paragraph, which re-renders the report's pages only; "title"
// changes the headline, which also rewrites the lists (front pages, feeds,
// sitemap) the report appears in; "tag" adds the report to a topic and takes
// it out again, which changes the topic's pages and the onward links of
// the reports on it.
func BenchmarkRebuildOneReport(b *testing.B) {
	benchSkipLarge(b)
	dir := b.TempDir()
	files := benchCorpus()
	if err := corpus.Write(dir, files); err != nil {
		b.Fatal(err)
	}
	// A topic for "tag" to add the report to, as serve-latency.sh EDIT=tag.
	toml := append(bytes.Clone(files["content/site.toml"]), "\n[topics.marker]\nzh = \"标记\"\nen = \"Marker\"\n"...)
	if err := os.WriteFile(filepath.Join(dir, "content", "site.toml"), toml, 0o644); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	bld := NewBuilder(Options{FS: os.DirFS(dir), Now: benchNow, Cache: b.TempDir()})
	if _, err := bld.Build(ctx, &benchDiscard{}); err != nil {
		b.Fatal(err)
	}
	slug := corpus.Slug(benchReports / 2)
	name := "content/" + slug + "/zh.md"
	orig := files[name]
	for _, tc := range []struct {
		what string
		edit func(k int) []byte
	}{
		{"body", func(k int) []byte {
			return fmt.Appendf(bytes.Clone(orig), "\n改动第%d次：考察团补充了新的情况。\n", k)
		}},
		{"title", func(k int) []byte {
			return bytes.Replace(orig, []byte("title: \""), fmt.Appendf(nil, "title: \"第%d稿 ", k), 1)
		}},
		{"tag", func(k int) []byte { // in and out of the topic "marker"
			if k%2 == 0 {
				return orig
			}
			return bytes.Replace(orig, []byte("tags: ["), []byte("tags: [\"标记\", "), 1)
		}},
	} {
		b.Run(tc.what, func(b *testing.B) {
			k := 0
			for b.Loop() {
				b.StopTimer()
				k++
				if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), tc.edit(k), 0o644); err != nil {
					b.Fatal(err)
				}
				out := &benchKeep{}
				b.StartTimer()
				res, full, err := bld.Rebuild(ctx, []string{name}, out)
				if err != nil {
					b.Fatal(err)
				}
				if full {
					b.Fatal("editing one report caused a full build")
				}
				if _, ok := out.files["zh/"+slug+"/index.html"]; !ok {
					b.Fatalf("rebuild wrote %q, not the edited page", res.Written)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/rebuild")
		})
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), orig, 0o644); err != nil {
		b.Fatal(err)
	}
}

// benchEditions returns the first n reports' editions of the corpus, zh and
// en alternating.
func benchEditions(n int) (names []string, data [][]byte) {
	files := corpus.Generate(n, 1)
	for i := 1; i <= n; i++ {
		for _, lang := range []string{"zh", "en"} {
			name := "content/" + corpus.Slug(i) + "/" + lang + ".md"
			names = append(names, name)
			data = append(data, files[name])
		}
	}
	return names, data
}

// benchBody splits the generated front matter from the body, without package
// content, so that the Markdown benchmarks measure Markdown alone.
func benchBody(data []byte) (md []byte, line int) {
	rest, _ := bytes.CutPrefix(data, []byte("---\n"))
	fm, md, ok := bytes.Cut(rest, []byte("\n---\n"))
	if !ok {
		panic("generated edition without front matter")
	}
	return md, bytes.Count(fm, []byte("\n")) + 3
}

// BenchmarkFrontMatter parses the front matter of one edition per op.
func BenchmarkFrontMatter(b *testing.B) {
	names, data := benchEditions(20)
	cfg, ps := content.LoadConfig(benchMapFS(corpus.Generate(0, 1)))
	if cfg == nil {
		b.Fatalf("site.toml: %v", ps)
	}
	var n int64
	i := 0
	for b.Loop() {
		k := i % len(names)
		i++
		e, ps := content.ParseEdition(names[k], data[k], cfg)
		if e == nil || len(problem.Errors(ps, true)) > 0 {
			b.Fatalf("%s: %v", names[k], ps)
		}
		n += int64(len(data[k]))
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds()/1e6, "MB/s")
}

// benchEnv is the Env of a build, with photos resolved to fixed sizes.
func benchEnv(name string, line int) markdown.Env {
	lang := strings.TrimSuffix(path.Base(name), ".md")
	return markdown.Env{
		File: name, BodyLine: line, Lang: lang,
		Resolve: func(dest string, image bool) (markdown.Asset, error) {
			return markdown.Asset{URL: "/assets/" + dest, Width: 1200, Height: 800}, nil
		},
		StopLabel: func(n int) string {
			if lang == "zh" {
				return "第" + []string{"一", "二", "三", "四", "五"}[min(n, 5)-1] + "站"
			}
			return []string{"First", "Second", "Third", "Fourth", "Fifth"}[min(n, 5)-1] + " stop"
		},
	}
}

// BenchmarkMarkdown converts one edition's body per op with the build's
// goldmark configuration: "parse" alone, and "parse+render" to HTML.
func BenchmarkMarkdown(b *testing.B) {
	names, data := benchEditions(20)
	conv := markdown.New()
	for _, lang := range []string{"zh", "en"} {
		for _, render := range []bool{false, true} {
			what := lang + "/parse"
			if render {
				what += "+render"
			}
			b.Run(what, func(b *testing.B) {
				var n int64
				i := 0
				for b.Loop() {
					k := 2*(i%(len(names)/2)) + map[string]int{"zh": 0, "en": 1}[lang]
					i++
					md, line := benchBody(data[k])
					doc := conv.Parse(md, benchEnv(names[k], line))
					if len(doc.Stops) != 4 || len(doc.Figures) != 3 {
						b.Fatalf("%s: %d stops, %d figures; want 4 and 3", names[k], len(doc.Stops), len(doc.Figures))
					}
					if render {
						if err := doc.Render(io.Discard); err != nil {
							b.Fatal(err)
						}
					}
					n += int64(len(md))
				}
				b.ReportMetric(float64(n)/b.Elapsed().Seconds()/1e6, "MB/s")
			})
		}
	}
}

// BenchmarkMinify minifies HTML with the build's minifier: "page" is a
// complete built report page (already minified once, so a lower bound of
// the work on a freshly rendered page), "body" a report body as goldmark
// renders it.
func BenchmarkMinify(b *testing.B) {
	benchSkipLarge(b) // builds a small site, but on the 200-report corpus's data
	out := &benchKeep{}
	small := benchMapFS(corpus.Generate(2, 1))
	if _, err := NewBuilder(Options{FS: small, Now: benchNow, Cache: b.TempDir()}).Build(context.Background(), out); err != nil {
		b.Fatal(err)
	}
	page := out.files["zh/"+corpus.Slug(1)+"/index.html"]
	if page == nil {
		b.Fatalf("no zh page for %s among %d files", corpus.Slug(1), len(out.files))
	}
	names, data := benchEditions(1)
	md, line := benchBody(data[0])
	var rendered bytes.Buffer
	if err := markdown.New().Parse(md, benchEnv(names[0], line)).Render(&rendered); err != nil {
		b.Fatal(err)
	}
	bodyHTML := rendered.Bytes()
	m := publish.NewMinifier()
	for _, tc := range []struct {
		what string
		html []byte
	}{{"page", page}, {"body", bodyHTML}} {
		b.Run(tc.what, func(b *testing.B) {
			b.SetBytes(int64(len(tc.html)))
			for b.Loop() {
				if _, err := m.Bytes("text/html", tc.html); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTemplates renders a report page of the generated corpus:
// "execute" runs the theme's layout alone (html/template), "page" is all
// writePage does (the layout, then the minifier over the whole page).
func BenchmarkTemplates(b *testing.B) {
	out := &benchKeep{}
	bld := NewBuilder(Options{FS: benchMapFS(corpus.Generate(2, 1)), Now: benchNow, Cache: b.TempDir()})
	if _, err := bld.Build(context.Background(), out); err != nil {
		b.Fatal(err)
	}
	st := bld.reports[corpus.Slug(1)]
	if st == nil || len(st.editions) == 0 {
		b.Fatal("no editions built")
	}
	ed := st.editions[0]
	names, data := benchEditions(1)
	md, line := benchBody(data[0])
	var rendered bytes.Buffer
	if err := markdown.New().Parse(md, benchEnv(names[0], line)).Render(&rendered); err != nil {
		b.Fatal(err)
	}
	body := rendered.Bytes()
	var size int
	for _, tc := range []struct {
		what string
		run  func(p *theme.Page) error
	}{
		{"execute", func(p *theme.Page) error {
			var buf bytes.Buffer
			p.Report.Body = template.HTML(body)
			err := bld.set.Execute(&buf, p)
			size = buf.Len()
			return err
		}},
		{"page", func(p *theme.Page) error {
			var n benchDiscard
			err := bld.writePage(&n, "zh/x/index.html", p, body)
			size = int(n.bytes.Load())
			return err
		}},
	} {
		b.Run(tc.what, func(b *testing.B) {
			for b.Loop() {
				if err := tc.run(bld.reportPage(ed)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
			b.ReportMetric(float64(size), "B/page")
		})
	}
}

// BenchmarkFloor is the floor the issue names for a full build: plain
// goldmark (GFM, footnotes, CJK; no extensions of ours) and the HTML
// minifier over the 400 report bodies of BenchmarkBuild's corpus, nothing
// else: no front matter, templates, photos or writing. One op is the whole
// corpus, spread over GOMAXPROCS goroutines as a build spreads its reports,
// so its pages/s compares with BenchmarkBuild's (and -benchtime 3x is 1,200
// pages, not 3): no build of that corpus can go faster than
// "goldmark+minify". "s/10k-pages" projects it onto the 10,000-page corpus.
//
// "frontmatter+goldmark+minify" adds the one other library step every
// edition needs before it has a body at all: adrg/frontmatter splitting the
// whole file, with goccy/go-yaml decoding the front matter into a map (SPEC
// §2). It is still far from a build (no checks, templates, page around the
// body, photos, lists or writing), and it shows how much of a build's
// distance from the floor the required libraries take by themselves.
func BenchmarkFloor(b *testing.B) {
	names, data := benchEditions(benchReports)
	bodies := make([][]byte, len(names))
	for i := range data {
		bodies[i], _ = benchBody(data[i])
	}
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.CJK))
	m := publish.NewMinifier()
	yamlFormat := frontmatter.NewFormat("---", "---", yaml.Unmarshal)
	for _, tc := range []struct {
		what          string
		minify, whole bool
	}{{"goldmark", false, false}, {"goldmark+minify", true, false}, {"frontmatter+goldmark+minify", true, true}} {
		b.Run(tc.what, func(b *testing.B) {
			cpu0 := benchCPU()
			for b.Loop() {
				var next atomic.Int64
				var wg sync.WaitGroup
				for range runtime.GOMAXPROCS(0) {
					wg.Go(func() {
						var buf bytes.Buffer
						var page []byte
						for i := int(next.Add(1)) - 1; i < len(bodies); i = int(next.Add(1)) - 1 {
							body := bodies[i]
							if tc.whole {
								var fm map[string]any
								var err error
								if body, err = frontmatter.MustParse(bytes.NewReader(data[i]), &fm, yamlFormat); err != nil || len(fm) == 0 {
									b.Errorf("%s: front matter %v (%d fields)", names[i], err, len(fm))
									return
								}
							}
							buf.Reset()
							if err := md.Convert(body, &buf); err != nil {
								b.Error(err)
								return
							}
							if tc.minify {
								var err error
								// As writePage does: the rendered HTML used up
								// in place, minified into memory reused from
								// page to page.
								if page, err = m.Append(page[:0], "text/html", buf.Bytes()); err != nil {
									b.Error(err)
									return
								}
							}
						}
					})
				}
				wg.Wait()
			}
			perSec := float64(b.N*len(bodies)) / b.Elapsed().Seconds()
			b.ReportMetric(perSec, "pages/s")
			b.ReportMetric((benchCPU()-cpu0).Seconds()*1000/float64(b.N*len(bodies)), "cpu-ms/page")
			b.ReportMetric(10000/perSec, "s/10k-pages")
		})
	}
}

// BenchmarkWrite publishes the files of one build of the corpus into an
// output folder per op: publish.Create, WriteFile for each, Commit (which
// also removes the previous op's folder).
func BenchmarkWrite(b *testing.B) {
	benchSkipLarge(b)
	out := &benchKeep{}
	opts := Options{FS: benchMapFS(benchCorpus()), Now: benchNow, Cache: b.TempDir()}
	if _, err := NewBuilder(opts).Build(context.Background(), out); err != nil {
		b.Fatal(err)
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for name := range out.files {
			if !yield(name) {
				return
			}
		}
	})
	var size int64
	for _, data := range out.files {
		size += int64(len(data))
	}
	dest := filepath.Join(b.TempDir(), "public")
	b.SetBytes(size)
	for b.Loop() {
		d, err := publish.Create(dest)
		if err != nil {
			b.Fatal(err)
		}
		for _, name := range names {
			if err := d.WriteFile(name, out.files[name]); err != nil {
				b.Fatal(err)
			}
		}
		if err := d.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(names)*b.N)/b.Elapsed().Seconds(), "files/s")
}

// TestGeneratedCorpusBuilds checks that the benchmark corpus is a clean,
// realistic site: it builds without a single problem, and its pages carry
// the features the benchmarks are meant to exercise.
func TestGeneratedCorpusBuilds(t *testing.T) {
	const n = 40
	out := &benchKeep{}
	res, err := NewBuilder(Options{FS: benchMapFS(corpus.Generate(n, 1)), Now: benchNow}).Build(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Problems {
		t.Errorf("problem: %v", p)
	}
	for i := 1; i <= n; i++ {
		for _, lang := range []string{"zh", "en"} {
			name := lang + "/" + corpus.Slug(i) + "/index.html"
			page := string(out.files[name])
			if page == "" {
				t.Errorf("no %s", name)
				continue
			}
			for _, want := range []struct {
				what  string
				frag  string
				count int
			}{
				{"stops", `data-stop="`, 4},
				{"figures", "<figure", 3},
				{"credits", `class="credit"`, 3},
			} {
				if got := strings.Count(page, want.frag); got < want.count {
					t.Errorf("%s: %d %s (%q); want %d", name, got, want.what, want.frag, want.count)
				}
			}
			for _, frag := range []string{`<aside class="sidebar`, "<table", "<strong>", "<li"} {
				if !strings.Contains(page, frag) {
					t.Errorf("%s: no %s", name, frag)
				}
			}
		}
	}
}
