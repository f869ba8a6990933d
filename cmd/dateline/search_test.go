package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dateline/cmd/internal/browsertest"
	"dateline/cmd/internal/search"
)

// TestSearchFindsReports builds the sample site with Pagefind and searches
// it in headless Chromium, served from a loopback file server: 堤坝 on
// /zh/search/ and dike on /en/search/ find the river report in that
// language (Pagefind's scripts and index minified as published), and the
// search page loads no script but Pagefind's.
func TestSearchFindsReports(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	search.ForTest(t)
	browsertest.Chromium(t) // skip (or fail under CI) before building
	dir := buildSampleDir(t)
	srv := readerServer(t, dir)

	for _, lang := range []string{"zh", "en"} {
		page, err := os.ReadFile(filepath.Join(dir, lang, "search", "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		if n, want := bytes.Count(page, []byte("<script src=")), bytes.Count(page, []byte(`<script src="/`+lang+`/search/pagefind/pagefind-ui.js"`)); n != 1 || want != 1 {
			t.Errorf("/%s/search/ loads %d scripts, %d of them pagefind-ui.js; want Pagefind's alone", lang, n, want)
		}
	}

	bctx := browsertest.Browser(t, 2*time.Minute)
	for _, c := range []struct{ lang, query, want, notWant string }{
		{"zh", "堤坝", "/zh/qingxi-river-dikes/", "/en/"},
		{"en", "dike", "/en/qingxi-river-dikes/", "/zh/"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			tctx, cancel := chromedp.NewContext(bctx)
			defer cancel()
			b := tab{t, tctx}
			if err := chromedp.Do(tctx, chromedp.Navigate(srv.URL+"/"+c.lang+"/search/")); err != nil {
				t.Fatal(err)
			}
			b.waitFor("the search box", `!!document.querySelector(".pagefind-ui__search-input")`)
			err := chromedp.Do(tctx, chromedp.SendKeys(".pagefind-ui__search-input", c.query))
			if err != nil {
				t.Fatal(err)
			}
			// Pagefind searches as the query is typed, says which query its
			// results are for, lists a placeholder for each result and fills
			// it in when the result's fragment arrives: wait until the
			// results are the whole query's and every one is filled in.
			b.waitFor("the results for "+c.query, `(r => r.length > 0 && r.every(li => li.querySelector(".pagefind-ui__result-link")))([...document.querySelectorAll("li.pagefind-ui__result")]) && (document.querySelector(".pagefind-ui__message")?.textContent ?? "").includes(`+strconv.Quote(c.query)+`)`)
			links, err := chromedp.Run(tctx, chromedp.Evaluate[[]string](
				`[...document.querySelectorAll(".pagefind-ui__result-link")].map(a => new URL(a.href).pathname)`))
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, l := range links {
				found = found || l == c.want
				if strings.HasPrefix(l, c.notWant) {
					t.Errorf("%q on /%s/search/ found %s, a page in another language", c.query, c.lang, l)
				}
			}
			if !found {
				t.Errorf("%q on /%s/search/ found %q, want %s among them", c.query, c.lang, links, c.want)
			}
		})
	}
}

// unzipped returns data, or what it holds when it is gzipped (Pagefind
// compresses its index, fragment and meta files).
func unzipped(data []byte) []byte {
	if !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		return data
	}
	r, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return data
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return data
	}
	return out
}

// TestSearchHoldsNothingUnpublished builds the test site with Pagefind,
// first as it will be in 2100 (the embargoed report published, twice, so
// that the kept output the next build stages in holds its page), then as
// it is: no file of the output, Pagefind's index unzipped included, holds
// the draft's or the embargoed report's marker. The 2100 build's index
// does hold the embargoed one, so the search looks where it should.
func TestSearchHoldsNothingUnpublished(t *testing.T) {
	search.ForTest(t)
	dir := t.TempDir()
	writeSite(t, dir, testSite(t))
	out := filepath.Join(t.TempDir(), "public")
	t.Setenv("DATELINE_CACHE", t.TempDir())
	holds := func(files map[string][]byte, marker string) []string {
		var names []string
		for name, data := range files {
			if bytes.Contains(unzipped(data), []byte(marker)) {
				names = append(names, name)
			}
		}
		slices.Sort(names)
		return names
	}
	for i := range 2 {
		if code, stdout, stderr := dateline(t, "build", "-s", dir, "-o", out, "--now", "2100-01-01"); code != 0 {
			t.Fatalf("build %d: exit %d\n%s%s", i+1, code, stdout, stderr)
		}
	}
	var indexed bool
	for _, name := range holds(readTree(t, out), embargoMarker) {
		indexed = indexed || strings.HasPrefix(name, "en/search/pagefind/fragment/")
	}
	if !indexed {
		t.Fatalf("in 2100 no fragment of en/search/pagefind/ holds the embargoed report's marker")
	}

	if code, stdout, stderr := dateline(t, "build", "-s", dir, "-o", out); code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, stdout, stderr)
	}
	files := readTree(t, out)
	for _, lang := range []string{"zh", "en"} {
		if _, ok := files[lang+"/search/pagefind/pagefind-entry.json"]; !ok {
			t.Errorf("no %s/search/pagefind/pagefind-entry.json: the site was not indexed", lang)
		}
	}
	for _, marker := range []string{draftMarker, embargoMarker} {
		if names := holds(files, marker); len(names) > 0 {
			t.Errorf("%s leaks into %s", marker, strings.Join(names, ", "))
		}
	}
}

// TestSearchDeterministic builds the test site with Pagefind twice, into
// two folders with two caches: the outputs, Pagefind's files included,
// are the same bytes.
func TestSearchDeterministic(t *testing.T) {
	search.ForTest(t)
	dir := t.TempDir()
	writeSite(t, dir, testSite(t))
	var trees []map[string][]byte
	for range 2 {
		out := filepath.Join(t.TempDir(), "public")
		t.Setenv("DATELINE_CACHE", t.TempDir())
		if code, stdout, stderr := dateline(t, "build", "-s", dir, "-o", out); code != 0 {
			t.Fatalf("build: exit %d\n%s%s", code, stdout, stderr)
		}
		trees = append(trees, readTree(t, out))
	}
	if _, ok := trees[0]["zh/search/pagefind/pagefind-entry.json"]; !ok {
		t.Fatal("the site was not indexed")
	}
	sameTree(t, "the second build", trees[1], trees[0])
	// Each language's search page leads to the other's (SPEC §6: every
	// page has a language switcher).
	for _, pair := range [][2]string{{"zh", "en"}, {"en", "zh"}} {
		page := string(trees[0][pair[0]+"/search/index.html"])
		if !strings.Contains(page, `/`+pair[1]+`/search/" hreflang=`) {
			t.Errorf("%s/search/ does not link %s/search/", pair[0], pair[1])
		}
	}
}

// TestSearchWithoutPagefind builds the test site where no Pagefind can be
// found: the build succeeds with one warning that says how to install it,
// and publishes no search page and no link to one.
func TestSearchWithoutPagefind(t *testing.T) {
	t.Setenv(search.Env, "")
	t.Setenv("PATH", t.TempDir())
	dir := t.TempDir()
	writeSite(t, dir, testSite(t))
	out := filepath.Join(t.TempDir(), "public")
	t.Setenv("DATELINE_CACHE", t.TempDir())
	code, stdout, stderr := dateline(t, "build", "-s", dir, "-o", out)
	if code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, stdout, stderr)
	}
	if n := strings.Count(stderr, "npm install -g pagefind@1.6.0"); n != 1 {
		t.Errorf("the build's messages say how to install Pagefind %d times, want once:\n%s", n, stderr)
	}
	for name, data := range readTree(t, out) {
		if strings.HasSuffix(name, "search/index.html") || strings.Contains(name, "pagefind") {
			t.Errorf("%s published without Pagefind", name)
		}
		if strings.HasSuffix(name, ".html") && bytes.Contains(data, []byte("/search/")) {
			t.Errorf("%s links a search page, and there is none", name)
		}
	}
}

// TestServeSearch runs `dateline serve` with Pagefind: the search pages are
// served with their index once it is made. Without Pagefind, serve says so
// in one warning and has no search page or link.
func TestServeSearch(t *testing.T) {
	t.Run("pagefind", func(t *testing.T) {
		search.ForTest(t)
		dir := t.TempDir()
		writeSite(t, dir, testSite(t))
		url, _, stderr, _ := startServe(t, "-s", dir, "--addr", "127.0.0.1:0")
		deadline := time.Now().Add(90 * time.Second)
		for {
			code, _ := httpGet(t, url+"en/search/pagefind/pagefind-entry.json")
			if code == 200 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no search index served within 90 s; messages:\n%s", stderr.String())
			}
			time.Sleep(100 * time.Millisecond)
		}
		for _, lang := range []string{"zh", "en"} {
			if code, page := httpGet(t, url+lang+"/search/"); code != 200 || !strings.Contains(page, "pagefind-ui.js") {
				t.Errorf("/%s/search/: %d, no Pagefind UI", lang, code)
			}
			// Each edition has its own index, of its own language.
			if code, entry := httpGet(t, url+lang+"/search/pagefind/pagefind-entry.json"); code != 200 || !strings.Contains(entry, `"languages":{"`+lang) {
				t.Errorf("/%s/search/pagefind/pagefind-entry.json: %d, %.200s", lang, code, entry)
			}
		}
		if strings.Contains(stderr.String(), "no search") {
			t.Errorf("a warning about search with Pagefind there:\n%s", stderr.String())
		}
	})
	t.Run("none", func(t *testing.T) {
		t.Setenv(search.Env, "")
		t.Setenv("PATH", t.TempDir())
		dir := t.TempDir()
		writeSite(t, dir, testSite(t))
		url, _, stderr, _ := startServe(t, "-s", dir, "--addr", "127.0.0.1:0")
		for _, lang := range []string{"zh", "en"} {
			if _, front := httpGet(t, url+lang+"/"); strings.Contains(front, "/search/") {
				t.Errorf("/%s/ links a search page, and there is none", lang)
			}
			if code, _ := httpGet(t, url+lang+"/search/"); code != 404 {
				t.Errorf("/%s/search/: %d, want 404", lang, code)
			}
		}
		if n := strings.Count(stderr.String(), "npm install -g pagefind@1.6.0"); n != 1 {
			t.Errorf("serve says how to install Pagefind %d times, want once:\n%s", n, stderr.String())
		}
	})
}
