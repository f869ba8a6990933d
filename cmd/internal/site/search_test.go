package site

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"dateline/cmd/internal/corpus"
	"dateline/cmd/internal/publish"
)

// TestSearchOptionInCacheKey: a build with search after one without (say
// Pagefind was installed in between) does not carry over report pages
// without the search link from the build cache.
func TestSearchOptionInCacheKey(t *testing.T) {
	root := t.TempDir()
	fsys := benchMapFS(corpus.Generate(3, 7))
	out, kept, cache := filepath.Join(root, "public"), filepath.Join(root, "kept"), filepath.Join(root, "cache")
	build := func(search bool) map[string]string {
		d, err := publish.CreateReusing(out, kept)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := NewBuilder(Options{FS: fsys, Now: benchNow, Cache: cache, NoDerivatives: true, Search: search}).Build(context.Background(), d); err != nil {
			d.Abort()
			t.Fatal(err)
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		return tree(t, out)
	}
	build(false)
	site := build(true)
	page := site["en/"+corpus.Slug(1)+"/index.html"]
	if !strings.Contains(page, `href="/en/search/"`) {
		t.Error("a report page kept from the build without search has no search link")
	}
}
