package preview

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
	"time"

	"dateline/cmd/internal/search"
)

// searchPatience bounds a wait for Pagefind, which indexes in the
// background and may take seconds on a busy machine.
const searchPatience = 90 * time.Second

// TestSearchInPreview runs the preview with the real Pagefind: after the
// first build the search pages are indexed in the background and served
// with their bundles; an edit is on its page at once while the search
// page says its results are from the last index, until the index is made
// again a little later and holds the edit.
func TestSearchInPreview(t *testing.T) {
	bin := search.ForTest(t)
	dir := t.TempDir()
	writeFiles(t, dir, baseSite())
	h := start(t, dir, Options{Pagefind: bin, SearchQuiet: 300 * time.Millisecond})

	for _, lang := range []string{"zh", "en"} {
		if _, front := h.get("/" + lang + "/"); !strings.Contains(front, `href="/`+lang+`/search/"`) {
			t.Errorf("/%s/ does not link its search page", lang)
		}
	}
	indexed := func() bool {
		code, _ := h.get("/en/search/pagefind/pagefind-entry.json")
		_, page := h.get("/en/search/")
		return code == 200 && !strings.Contains(page, staleNotice)
	}
	poll(t, "the first index", indexed)
	code, page := h.get("/en/search/")
	if code != 200 || !strings.Contains(page, "pagefind-ui.js") || !strings.Contains(page, `id="dateline-search-stale"`) {
		t.Fatalf("/en/search/: %d, no Pagefind UI or no stale notice held hidden:\n%s", code, page)
	}
	if !indexHolds(h, "en", "ALPHA-EN-1") {
		t.Fatal("the index does not hold ALPHA-EN-1")
	}

	writeFile(t, dir, "content/alpha/en.md", enReport("A visit to Yuhang", "Rewritten. Zanzibarquux"))
	h.waitFor("the edit on its page", func() bool {
		_, page := h.get("/en/alpha/")
		return strings.Contains(page, "Zanzibarquux")
	})
	if _, page := h.get("/en/search/"); !strings.Contains(page, staleNotice) {
		t.Error("after an edit, /en/search/ does not say its results are from the last index")
	}
	if _, page := h.get("/zh/search/"); !strings.Contains(page, staleNotice) {
		t.Error("after an edit, /zh/search/ does not say its results are from the last index")
	}
	if _, page := h.get("/en/alpha/"); strings.Contains(page, staleNotice) {
		t.Error("a report page carries the search notice")
	}
	poll(t, "the index after the edit", indexed)
	if !indexHolds(h, "en", "zanzibarquux") {
		t.Error("the new index does not hold the edit")
	}
}

// TestNoSearchWithoutPagefind: without Pagefind the preview has no search
// page and no link to one.
func TestNoSearchWithoutPagefind(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, baseSite())
	h := start(t, dir, Options{})
	if _, front := h.get("/en/"); strings.Contains(front, "/en/search/") {
		t.Error("/en/ links a search page")
	}
	if code, _ := h.get("/en/search/"); code != 404 {
		t.Errorf("/en/search/: %d, want 404", code)
	}
}

// poll waits until cond holds, checking it every 100 ms.
func poll(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(searchPatience)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within %v", what, searchPatience)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// indexHolds reports whether a fragment of lang's index holds word
// (Pagefind gzips its fragments).
func indexHolds(h *harness, lang, word string) bool {
	h.srv.search.mu.RLock()
	defer h.srv.search.mu.RUnlock()
	for name, data := range h.srv.search.files {
		if !strings.HasPrefix(name, lang+"/search/pagefind/fragment/") {
			continue
		}
		r, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			continue
		}
		text, _ := io.ReadAll(r)
		if bytes.Contains(bytes.ToLower(text), bytes.ToLower([]byte(word))) {
			return true
		}
	}
	return false
}
