package preview

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dateline/cmd/internal/browsertest"
	"dateline/cmd/internal/search"
)

// TestBrowserSearch searches the preview in headless Chromium: the
// search page finds a report; after an edit the page (reloaded by the
// edit) shows the notice that results are from the last index; once the
// index is made again the notice is gone and the edit is found.
func TestBrowserSearch(t *testing.T) {
	bin := search.ForTest(t)
	browsertest.Chromium(t) // skip (or fail under CI) before starting the preview
	dir := t.TempDir()
	writeFiles(t, dir, baseSite())
	h := start(t, dir, Options{Pagefind: bin, SearchQuiet: 2 * time.Second})
	indexed := func() bool {
		code, _ := h.get("/en/search/pagefind/pagefind-entry.json")
		_, page := h.get("/en/search/")
		return code == 200 && !strings.Contains(page, staleNotice)
	}
	poll(t, "the first index", indexed)

	bctx := browsertest.Browser(t, 3*time.Minute)
	holds := func(expr string) bool { return holdsIn(bctx, expr) }
	waitFor := func(what, expr string) { t.Helper(); waitIn(t, bctx, searchPatience, what, expr) }
	const notice = `(()=>{const n=document.getElementById("dateline-search-stale");return !!n&&n.getBoundingClientRect().height>0})()`
	const ready = `document.readyState==="complete"&&!!document.querySelector(".pagefind-ui__search-input")`
	search := func(word, want string) {
		t.Helper()
		if err := chromedp.Do(bctx, chromedp.SendKeys(".pagefind-ui__search-input", word)); err != nil {
			t.Fatal(err)
		}
		waitFor("a result for "+word, `[...document.querySelectorAll(".pagefind-ui__result-link")].some(a=>new URL(a.href).pathname===`+"\""+want+"\""+`)`)
	}

	if err := chromedp.Do(bctx, chromedp.Navigate(h.url+"/en/search/")); err != nil {
		t.Fatal(err)
	}
	waitFor("the search box", ready)
	if holds(notice) {
		t.Error("the stale notice shows on a fresh index")
	}
	search("night market", "/en/beta/")

	// An edit reloads the open page; the index is not made again yet.
	if !holds(`(window.marker=1,true)`) {
		t.Fatal("cannot mark the page")
	}
	writeFile(t, dir, "content/alpha/en.md", enReport("A visit to Yuhang", "Rewritten. Zanzibarquux"))
	waitFor("the reload after the edit, with the notice", `window.marker===undefined&&`+ready+`&&`+notice)

	poll(t, "the index after the edit", indexed)
	if err := chromedp.Do(bctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitFor("the search box", ready)
	if holds(notice) {
		t.Error("the stale notice shows after the index was made again")
	}
	search("Zanzibarquux", "/en/alpha/")
}
