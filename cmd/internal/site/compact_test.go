package site

import (
	"bytes"
	"context"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"

	"dateline/cmd/internal/corpus"
	"dateline/cmd/internal/publish"
)

// TestCompactPagesAreMinified: a page made compact instead of minified is
// the same document to the minifier — minifying it gives what minifying
// the minifier's own page gives — on the sample site and a generated one,
// front pages, report pages and 404s alike. And the default theme's pages
// are the compact ones.
func TestCompactPagesAreMinified(t *testing.T) {
	sites := map[string]Options{
		"sample":    {FS: os.DirFS(filepath.Join("..", "..", "..")), Now: benchNow},
		"generated": {FS: benchMapFS(corpus.Generate(3, 5)), Now: benchNow},
		"preview":   {FS: benchMapFS(corpus.Generate(2, 6)), Now: benchNow, Preview: true},
	}
	m := publish.NewMinifier()
	for name, opts := range sites {
		t.Run(name, func(t *testing.T) {
			opts.Cache = t.TempDir()
			var compacted int64
			build := func(minifyAll bool) map[string][]byte {
				out := &benchKeep{}
				b := NewBuilder(opts)
				b.minifyAll = minifyAll
				if _, err := b.Build(context.Background(), out); err != nil {
					t.Fatal(err)
				}
				if !minifyAll {
					compacted = atomic.LoadInt64(&b.compacted)
				}
				return out.files
			}
			compact, minified := build(false), build(true)
			var pages int
			for _, file := range slices.Sorted(func(yield func(string) bool) {
				for k := range minified {
					if !yield(k) {
						return
					}
				}
			}) {
				if path.Ext(file) != ".html" {
					continue
				}
				pages++
				a, err1 := m.Bytes("text/html", compact[file])
				b, err2 := m.Bytes("text/html", minified[file])
				if err1 != nil || err2 != nil {
					t.Fatalf("%s: %v %v", file, err1, err2)
				}
				if !bytes.Equal(a, b) {
					i := 0
					for i < min(len(a), len(b)) && a[i] == b[i] {
						i++
					}
					t.Errorf("%s: the compact page differs from the minified one for the minifier at byte %d:\n%q\n%q",
						file, i, a[max(0, i-80):min(len(a), i+80)], b[max(0, i-80):min(len(b), i+80)])
				}
			}
			if pages < 5 {
				t.Errorf("%d pages compared", pages)
			}
			// The default theme's pages are all compact, but the preview's
			// report pages, which carry an inline style sheet.
			if want := int64(pages); !opts.Preview && compacted != want {
				t.Errorf("%d of %d pages made compact", compacted, want)
			} else if opts.Preview && compacted >= want {
				t.Errorf("preview: all %d pages made compact; want the minifier for those with inline CSS", compacted)
			}
		})
	}
}
