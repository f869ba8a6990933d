package site

import (
	"bytes"
	"context"
	"runtime"
	"strings"
	"testing"

	"dateline/cmd/internal/corpus"
	"dateline/cmd/internal/publish"
)

// TestWritePageSharesBody checks that writePage puts a report's rendered
// body into its layout without a copy: a page of a 256 KB body allocates
// about the minified page (into an Output that keeps nothing, renderPage
// makes it memory of its own), not that and a copy of the body as well.
func TestWritePageSharesBody(t *testing.T) {
	bld := NewBuilder(Options{FS: benchMapFS(corpus.Generate(1, 1)), Now: benchNow, Cache: t.TempDir()})
	if _, err := bld.Build(context.Background(), &benchDiscard{}); err != nil {
		t.Fatal(err)
	}
	st := bld.reports[corpus.Slug(1)]
	if st == nil || len(st.editions) == 0 {
		t.Fatal("no editions built")
	}
	body := []byte(strings.Repeat("<p>Words of a long report, one paragraph after another.</p>\n", 4400))
	want := bytes.Clone(body)
	// The page holds the body as the minifier leaves it.
	minBody, err := publish.NewMinifier().Bytes("text/html", bytes.Clone(body))
	if err != nil {
		t.Fatal(err)
	}
	// The least of up to 20 tries: a page reuses pooled buffers, which a
	// collection in between empties (and which the race detector drops at
	// random), and then allocates them again.
	limit := uint64(len(body)) * 3 / 2
	least := uint64(1 << 62)
	for i := 0; i < 20 && least > limit; i++ {
		p := bld.reportPage(st.editions[0])
		var out benchDiscard
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		err := bld.writePage(&out, "zh/x/index.html", p, body)
		runtime.ReadMemStats(&m1)
		if err != nil {
			t.Fatal(err)
		}
		if out.bytes.Load() < int64(len(minBody)) {
			t.Fatalf("wrote %d bytes; want the %d of the minified body at least", out.bytes.Load(), len(minBody))
		}
		if p.Report.Body != "" {
			t.Fatal("writePage left the body in the page")
		}
		least = min(least, m1.TotalAlloc-m0.TotalAlloc)
	}
	if !bytes.Equal(body, want) {
		t.Error("writePage changed the body it was given")
	}
	if least > limit {
		t.Errorf("a page of a %d KB body allocates %d KB; want under %d KB (is the body copied?)", len(body)>>10, least>>10, limit>>10)
	}
}
