package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dateline/cmd/internal/browsertest"
)

// copySample copies the sample site's content/ into a temp folder, with
// settings put first in its site.toml, and returns the folder.
func copySample(t *testing.T, settings string) string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS(filepath.Join(root, "content"))); err != nil {
		t.Fatal(err)
	}
	toml := filepath.Join(dir, "content", "site.toml")
	data, err := os.ReadFile(toml)
	if err == nil {
		err = os.WriteFile(toml, append([]byte(settings), data...), 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestNavigationInBrowser builds the sample site with the dateline binary
// (two reports a front page, so that there are older pages), serves it on
// loopback and finds its way around in headless Chromium by clicking, in
// both languages: from a report to the other part of its series and back,
// to its series page, its topic page and its author page, from the front
// page to page 2; and on each listing page the language switcher leads to
// the same listing in the other language.
func TestNavigationInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	browsertest.Chromium(t) // skip (or fail under CI) before building
	site := copySample(t, "front_page_size = 2\n")
	out := filepath.Join(t.TempDir(), "public")
	if code, stdout, stderr := runChild(t, site, []string{"DATELINE_CACHE=" + sampleCache(t)}, "build", "-s", site, "-o", out); code != 0 {
		t.Fatalf("dateline build: exit %d\n%s%s", code, stdout, stderr)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(out))) // 127.0.0.1
	defer srv.Close()

	// Pages that come back by Back and Forward load afresh: a page from
	// the back/forward cache leaves chromedp without a document.
	bctx := browsertest.Browser(t, 3*time.Minute, chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,BackForwardCache"))
	b := tab{t, bctx}

	const (
		part1  = "qingxi-river-dikes"
		part2  = "qingxi-river-dikes-after-the-flood"
		series = "qingxi-dikes"
		topic  = "flood"
		author = "li-ming"
	)
	tags := map[string]string{"zh": "zh-CN", "en": "en"}
	other := map[string]string{"zh": "en", "en": "zh"}

	// The helpers fail the subtest running (b.t).
	at := func(what, path string) {
		b.t.Helper()
		b.waitFor(what, fmt.Sprintf(`location.pathname===%q&&document.readyState==="complete"`, path))
	}
	click := func(what, selector, want string) {
		b.t.Helper()
		if !b.eval(fmt.Sprintf(`document.querySelector(%q)!==null`, selector)) {
			state, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`location.pathname`))
			b.t.Fatalf("%s: no %s on %s", what, selector, state)
		}
		cctx, cancel := context.WithTimeout(bctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(cctx, chromedp.Click(selector)); err != nil {
			b.t.Fatalf("%s: clicking %s: %v", what, selector, err)
		}
		at(what, want)
	}
	// back is the browser's Back button (the page may come from the
	// back/forward cache, without a load event to wait for).
	back := func(what, want string) {
		b.t.Helper()
		b.eval(`history.back(),true`)
		at(what, want)
	}
	forward := func(what, want string) {
		b.t.Helper()
		b.eval(`history.forward(),true`)
		at(what, want)
	}
	// switcher clicks the language switcher to the other language and back.
	switcher := func(lang, path string) {
		b.t.Helper()
		o := other[lang]
		there := "/" + o + strings.TrimPrefix(path, "/"+lang)
		click(path+" → "+o, fmt.Sprintf(`.lang-switch a[hreflang=%q]`, tags[o]), there)
		click(there+" → "+lang, fmt.Sprintf(`.lang-switch a[hreflang=%q]`, tags[lang]), path)
	}
	text := func(selector string) string {
		s, _ := chromedp.Run(bctx, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%q)||{}).textContent||""`, selector)))
		return strings.Join(strings.Fields(s), " ")
	}

	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			b.t = t
			p1, p2 := "/"+lang+"/"+part1+"/", "/"+lang+"/"+part2+"/"
			if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+p1)); err != nil {
				t.Fatal(err)
			}
			at("part 1", p1)
			want := map[string]string{"zh": "第1篇（共2篇）", "en": "Part 1 of 2"}[lang]
			if got := text(".series-line"); !strings.Contains(got, want) {
				t.Errorf("part 1 says %q; want %q", got, want)
			}

			// The series: the next part, and back by its previous link.
			click("next part", ".series-next", p2)
			if got, want := text(".series-line"), map[string]string{"zh": "第2篇（共2篇）", "en": "Part 2 of 2"}[lang]; !strings.Contains(got, want) {
				t.Errorf("part 2 says %q; want %q", got, want)
			}
			click("previous part", ".series-prev", p1)

			// The series page, its other language, and a part from it.
			sp := "/" + lang + "/series/" + series + "/"
			click("series page", ".series-line a", sp)
			switcher(lang, sp)
			click("first part from the series page", ".series-entry a", p1)

			// The topic page of its first tag, and back.
			tp := "/" + lang + "/topics/" + topic + "/"
			click("topic page", ".tags a", tp)
			back("back from the topic", p1)
			forward("forward to the topic", tp)
			switcher(lang, tp)
			click("the report from its topic", fmt.Sprintf(`.front-list a[href=%q]`, p1), p1)

			// The author page of its first byline name, and back.
			ap := "/" + lang + "/authors/" + author + "/"
			click("author page", ".byline-name a", ap)
			back("back from the author", p1)
			forward("forward to the author", ap)
			switcher(lang, ap)
			click("the report from its author", fmt.Sprintf(`.archive a[href=%q]`, p1), p1)

			// The front page and an older one, and back to the newest.
			click("front page", ".site-title", "/"+lang+"/")
			pg := "/" + lang + "/page/2/"
			click("older reports", ".pager-next", pg)
			switcher(lang, pg)
			click("newer reports", ".pager-prev", "/"+lang+"/")

			// Onward links lead on from a report.
			if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+p2)); err != nil {
				t.Fatal(err)
			}
			at("part 2", p2)
			if got := text("#onward-title"); got == "" {
				t.Error("part 2 has no onward heading")
			}
			click("onward", ".onward a", p1) // the dikes' first part: the same topic
		})
	}

	// The pages this test walks that the reader tests do not: axe-core
	// finds no violation on a series page or a last part.
	t.Run("axe", func(t *testing.T) {
		b.t = t
		axe, err := os.ReadFile(axeCore(t))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/zh/series/" + series + "/", "/en/series/" + series + "/", "/zh/" + part2 + "/", "/en/page/2/"} {
			if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+p)); err != nil {
				t.Fatal(err)
			}
			at(p, p)
			if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](string(axe)+";true")); err != nil {
				t.Fatalf("injecting axe-core: %v", err)
			}
			res, err := chromedp.Run(bctx, chromedp.Evaluate[string](
				`axe.run(document,{resultTypes:["violations"]}).then(r=>JSON.stringify(r.violations.map(v=>v.id+": "+v.help+" — "+v.nodes.slice(0,3).map(n=>n.target.join(" ")).join(", "))))`,
				chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("axe on %s: %v", p, err)
			}
			if res != "[]" {
				t.Errorf("%s: axe violations %s", p, res)
			}
		}
	})
}
