package preview

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"dateline/cmd/internal/search"
)

// DefaultSearchQuiet is how long after the last build the preview indexes
// the site again for search.
const DefaultSearchQuiet = 3 * time.Second

// searchIndex is the preview's search: Pagefind's bundles for the search
// pages, made in the background from the site as the store holds it, after
// the first build and again once builds have been quiet for a while. An
// edit never waits for it: until the new index is in, the search pages
// say that their results are from the last full index (stale).
type searchIndex struct {
	bin   string        // the Pagefind program
	quiet time.Duration // how long after the last build to index again
	kick  chan struct{} // a build was published

	mu      sync.RWMutex
	files   map[string][]byte // the bundles: "<lang>/search/pagefind/…"
	version int               // the store version they were made from; 0 for none yet
}

func newSearchIndex(bin string, quiet time.Duration) *searchIndex {
	if quiet <= 0 {
		quiet = DefaultSearchQuiet
	}
	return &searchIndex{bin: bin, quiet: quiet, kick: make(chan struct{}, 1)}
}

// published tells the indexer that a build was published.
func (x *searchIndex) published() {
	select {
	case x.kick <- struct{}{}:
	default:
	}
}

// get returns a file of the bundles.
func (x *searchIndex) get(name string) ([]byte, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	data, ok := x.files[name]
	return data, ok
}

// stale reports whether the index was not made from the store's version.
func (x *searchIndex) stale(version int) bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.version != version
}

// run indexes the store at once (the first build is published), then
// again each time builds have been quiet for x.quiet, until ctx ends.
func (x *searchIndex) run(ctx context.Context, s *Server) {
	// The first build's own kick: it is indexed at once.
	select {
	case <-x.kick:
	default:
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-x.kick:
			timer.Reset(x.quiet)
		case <-timer.C:
			version, _ := s.files.state()
			if !x.stale(version) {
				continue
			}
			if err := x.index(ctx, s); err != nil && ctx.Err() == nil {
				fmt.Fprintf(s.opts.Log, "search: %v\n", err)
			}
		}
	}
}

// index runs Pagefind over the store's pages, written to a temporary
// folder, and takes its bundles.
func (x *searchIndex) index(ctx context.Context, s *Server) error {
	start := time.Now()
	version, pages := s.files.pages()
	dir, err := os.MkdirTemp("", "dateline-search-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	for name, data := range pages {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	names, err := search.Index(ctx, x.bin, dir)
	if err != nil {
		return err
	}
	files := make(map[string][]byte, len(names))
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			return err
		}
		files[name] = data
	}
	x.mu.Lock()
	x.files, x.version = files, version
	x.mu.Unlock()
	fmt.Fprintf(s.opts.Log, "search index made in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// isSearchPage reports whether a site file is a language's search page.
func isSearchPage(name string) bool {
	dir, file := path.Split(name)
	return file == "index.html" && strings.Count(dir, "/") == 2 && strings.HasSuffix(dir, "/search/")
}

// staleNotice shows the notice the search page holds hidden
// (#dateline-search-stale) while the index is older than the pages.
const staleNotice = `<style>#dateline-search-stale{display:block}</style>`
