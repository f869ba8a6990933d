package publish_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"dateline/cmd/internal/content"
	"dateline/cmd/internal/corpus"
	"dateline/cmd/internal/markdown"
	"dateline/cmd/internal/publish"
	"dateline/cmd/internal/site"
)

// Real input for CompactHTML, Compact and InPre, from outside package site:
// report bodies as goldmark renders them, and the pages a build writes,
// each also with every tag on a line of its own, the shape a theme renders
// (a build gives Compact the page before it is compact).

// keep is a site.Output that keeps every file.
type keep struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (k *keep) WriteFile(name string, data []byte) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.files == nil {
		k.files = map[string][]byte{}
	}
	k.files[name] = data
	return nil
}

func mapFS(files map[string][]byte) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	return fsys
}

var buildNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// builtPages builds the site in fsys and returns its HTML pages by name.
func builtPages(tb testing.TB, fsys fs.FS, preview bool) map[string][]byte {
	tb.Helper()
	out := &keep{}
	opts := site.Options{FS: fsys, Now: buildNow, Preview: preview, NoDerivatives: true, Cache: tb.TempDir()}
	if _, err := site.Build(context.Background(), opts, out); err != nil {
		tb.Fatal(err)
	}
	pages := map[string][]byte{}
	for name, data := range out.files {
		if path.Ext(name) == ".html" {
			pages[name] = data
		}
	}
	return pages
}

// renderedBodies returns the HTML of every edition's body in fsys, by file.
func renderedBodies(tb testing.TB, fsys fs.FS) map[string][]byte {
	tb.Helper()
	cfg, ps := content.LoadConfig(fsys)
	if cfg == nil {
		tb.Fatalf("site.toml: %v", ps)
	}
	names, err := fs.Glob(fsys, "content/*/*.md")
	if err != nil {
		tb.Fatal(err)
	}
	conv := markdown.New()
	bodies := map[string][]byte{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			tb.Fatal(err)
		}
		e, ps := content.ParseEdition(name, data, cfg)
		if e == nil {
			tb.Fatalf("%s: %v", name, ps)
		}
		var buf bytes.Buffer
		if err := conv.Parse(e.Body, markdown.Env{File: name, BodyLine: e.BodyLine, Lang: e.Lang}).Render(&buf); err != nil {
			tb.Fatal(err)
		}
		bodies[name] = buf.Bytes()
	}
	return bodies
}

// oneTagALine puts a newline between every two adjacent tags.
func oneTagALine(b []byte) []byte { return bytes.ReplaceAll(b, []byte("><"), []byte(">\n<")) }

// checkOracle fails t unless CompactHTML, Compact and InPre agree with
// the oracle on src, and InPre on prefixes of src.
func checkOracle(t *testing.T, what string, src []byte) {
	t.Helper()
	if got, want := publish.CompactHTML(nil, src), publish.CompactHTMLOracle(nil, src); !bytes.Equal(got, want) {
		i := 0
		for i < min(len(got), len(want)) && got[i] == want[i] {
			i++
		}
		t.Errorf("%s: CompactHTML differs from the oracle at byte %d:\n got %q\nwant %q", what, i, got[max(0, i-60):min(len(got), i+60)], want[max(0, i-60):min(len(want), i+60)])
	}
	got, ok := publish.Compact(nil, src)
	want, wantOK := publish.CompactOracle(nil, src)
	if ok != wantOK || !bytes.Equal(got, want) {
		t.Errorf("%s: Compact gives %d bytes, %v; the oracle %d bytes, %v", what, len(got), ok, len(want), wantOK)
	}
	for k := 1; k <= 16; k++ {
		end := len(src) * k / 16
		if publish.InPre(src[:end]) != publish.InPreOracle(src[:end]) {
			t.Errorf("%s: InPre of the first %d bytes differs from the oracle", what, end)
		}
	}
}

// TestCompactRealPages: CompactHTML, Compact and InPre give what the oracle
// gives on every page of the sample site and of a generated one (its
// preview too, whose report pages have an inline style sheet), and on
// every report body, as built and with a tag a line.
func TestCompactRealPages(t *testing.T) {
	sample := os.DirFS(filepath.Join("..", "..", ".."))
	generated := mapFS(corpus.Generate(4, 7))
	inputs := map[string][]byte{}
	for name, fsys := range map[string]fs.FS{"sample": sample, "generated": generated} {
		for file, data := range builtPages(t, fsys, false) {
			inputs[name+": "+file] = data
		}
		for file, data := range renderedBodies(t, fsys) {
			inputs[name+": body of "+file] = data
		}
	}
	for file, data := range builtPages(t, generated, true) {
		inputs["preview: "+file] = data
	}
	var pages, bodies int
	for _, what := range slices.Sorted(func(yield func(string) bool) {
		for k := range inputs {
			if !yield(k) {
				return
			}
		}
	}) {
		if strings.Contains(what, "body of") {
			bodies++
		} else {
			pages++
		}
		checkOracle(t, what, inputs[what])
		checkOracle(t, what+", a tag a line", oneTagALine(inputs[what]))
	}
	t.Logf("%d pages and %d bodies checked", pages, bodies)
	if pages < 20 || bodies < 10 {
		t.Errorf("%d pages and %d bodies checked", pages, bodies)
	}
}

// benchInput returns a report body as goldmark renders it, and its page
// as the theme renders it around the body's marker: the built page with
// the body cut out and a tag a line. They are made once.
func benchInput(b *testing.B) (body, page []byte) {
	benchInputs.Lock()
	defer benchInputs.Unlock()
	if benchInputs.body != nil {
		return benchInputs.body, benchInputs.page
	}
	fsys := mapFS(corpus.Generate(2, 1))
	body = renderedBodies(b, fsys)["content/"+corpus.Slug(1)+"/zh.md"]
	page = builtPages(b, fsys, false)["zh/"+corpus.Slug(1)+"/index.html"]
	if body == nil || page == nil {
		b.Fatal("no report body or page")
	}
	// The body sits in <div class="report-body"> in the default theme.
	const open, marker = `<div class="report-body">`, "<dateline-report-body></dateline-report-body>"
	if i := bytes.Index(page, []byte(open)); i >= 0 {
		if j := bytes.Index(page[i:], []byte("</div><footer")); j >= 0 {
			page = slices.Concat(page[:i+len(open)], []byte(marker), page[i+j:])
		}
	}
	if !bytes.Contains(page, []byte(marker)) {
		b.Log("the body was not found in its page: the page is measured whole")
	}
	benchInputs.body, benchInputs.page = body, oneTagALine(page)
	return benchInputs.body, benchInputs.page
}

var benchInputs struct {
	sync.Mutex
	body, page []byte
}

// BenchmarkCompactHTML makes a report body compact, as a build splices it
// into its page; "oracle" is the implementation before it was made fast.
func BenchmarkCompactHTML(b *testing.B) {
	body, _ := benchInput(b)
	for _, tc := range []struct {
		name string
		f    func(dst, src []byte) []byte
	}{{"fast", publish.CompactHTML}, {"oracle", publish.CompactHTMLOracle}} {
		b.Run(tc.name, func(b *testing.B) {
			dst := make([]byte, 0, len(body))
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				dst = tc.f(dst[:0], body)
			}
		})
	}
}

// BenchmarkCompact makes a report page's chrome compact (Compact decides
// and compacts); "oracle" as above.
func BenchmarkCompact(b *testing.B) {
	_, page := benchInput(b)
	for _, tc := range []struct {
		name string
		f    func(dst, src []byte) ([]byte, bool)
	}{{"fast", publish.Compact}, {"oracle", publish.CompactOracle}} {
		b.Run(tc.name, func(b *testing.B) {
			dst := make([]byte, 0, len(page))
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				var ok bool
				if dst, ok = tc.f(dst[:0], page); !ok {
					b.Fatal("the page is not compactable")
				}
			}
		})
	}
}

// BenchmarkInPre looks for an open <pre> in the compact chrome before the
// body's marker, as a build does on every report page; "oracle" as above.
func BenchmarkInPre(b *testing.B) {
	_, page := benchInput(b)
	chrome, _ := publish.Compact(nil, page)
	if i := bytes.Index(chrome, []byte("<dateline-report-body>")); i >= 0 {
		chrome = chrome[:i]
	}
	for _, tc := range []struct {
		name string
		f    func([]byte) bool
	}{{"fast", publish.InPre}, {"oracle", publish.InPreOracle}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(chrome)))
			for b.Loop() {
				if tc.f(chrome) {
					b.Fatal("inside <pre>")
				}
			}
		})
	}
}
