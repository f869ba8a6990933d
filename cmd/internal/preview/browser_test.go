package preview

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dateline/cmd/internal/browsertest"
	"dateline/themes"
)

// stopsReport is a Chinese edition with four long stops, lede first.
func stopsReport(lede string) string {
	var b strings.Builder
	b.WriteString(lede + "\n\n")
	for i, n := range []string{"一", "二", "三", "四"} {
		fmt.Fprintf(&b, "## 第%s站 地点%d\n\n", n, i+1)
		for p := range 25 {
			fmt.Fprintf(&b, "第%d站的第%d段：考察团在这里看了很多，也问了很多，记下了当地干部和群众的说法。\n\n", i+1, p+1)
		}
	}
	return zhReport("余杭考察记", b.String())
}

// TestBrowser drives a page in headless Chromium while the site changes:
// the page reloads by itself after an edit and shows the new text; the
// error overlay appears on a broken file and goes when it is fixed; the
// reader stays at the same stop after a reload; a stylesheet change is
// swapped in without a reload.
func TestBrowser(t *testing.T) {
	browsertest.Chromium(t) // skip (or fail under CI) before starting the preview
	files := baseSite()
	files["content/site.toml"] = "theme = \"default\"\n" + siteTOML
	files["content/alpha/zh.md"] = stopsReport("导语：考察团走进余杭。BROWSER-0")
	dir := newSite(t, files)
	if err := copyFS(filepath.Join(dir, "themes", "default"), themes.Default()); err != nil {
		t.Fatal(err)
	}
	h := start(t, dir, Options{})

	bctx := browsertest.Browser(t, 2*time.Minute, chromedp.Flag("disable-component-update", true), chromedp.WindowSize(900, 700))
	holds := func(expr string) bool { return holdsIn(bctx, expr) }
	waitFor := func(what, expr string) { t.Helper(); waitIn(t, bctx, patience, what, expr) }
	hasText := func(s string) string {
		return fmt.Sprintf(`document.readyState==="complete"&&document.body.innerText.includes(%q)`, s)
	}

	if err := chromedp.Do(bctx, chromedp.Navigate(h.url+"/zh/alpha/")); err != nil {
		t.Fatal(err)
	}
	waitFor("page loaded", hasText("BROWSER-0"))

	// An edit: the open page reloads by itself and shows the new text.
	writeFile(t, dir, "content/alpha/zh.md", stopsReport("导语改过了。BROWSER-1"))
	waitFor("reloaded after an edit", hasText("BROWSER-1"))

	// A broken file: the overlay appears, naming the file and line; the
	// fix makes it go.
	writeFile(t, dir, "content/alpha/zh.md", "---\ntitle: 余杭考察记\ndate: 2025-13-45\n---\n\nBROWSER-BROKEN\n")
	waitFor("overlay shown", `(()=>{const o=document.getElementById("dateline-overlay");return !!o&&o.innerText.includes("content/alpha/zh.md:3:")&&o.getBoundingClientRect().height>0})()`)
	writeFile(t, dir, "content/alpha/zh.md", stopsReport("修好了。BROWSER-2"))
	waitFor("overlay gone after the fix", hasText("BROWSER-2")+`&&!document.getElementById("dateline-overlay")`)

	// The reader is 120px into the third stop; the lede above it grows by
	// several paragraphs. After the reload the third stop is where it was.
	top, err := chromedp.Run(bctx, chromedp.Evaluate[float64](
		`(()=>{const s=document.getElementById("stop-3");scrollTo({top:s.getBoundingClientRect().top+scrollY+120,behavior:"instant"});window.marker=1;return s.getBoundingClientRect().top})()`))
	if err != nil {
		t.Fatal(err)
	}
	if top > 0 || top < -200 {
		t.Fatalf("stop-3 is at %vpx after scrolling into it; want about -120", top)
	}
	writeFile(t, dir, "content/alpha/zh.md", stopsReport(strings.Repeat("导语新增了一段很长的说明，把后面的内容往下推。\n\n", 12)+"BROWSER-3"))
	waitFor("reloaded after the lede grew", hasText("BROWSER-3")+`&&window.marker===undefined`)
	waitFor("still at the third stop", fmt.Sprintf(
		`(()=>{const r=document.getElementById("stop-3").getBoundingClientRect();return Math.abs(r.top-(%v))<4&&r.top<innerHeight&&r.bottom>0})()`, top))

	// A stylesheet-only change: swapped in place, no reload, same place.
	if !holds(`(window.marker=2,true)`) {
		t.Fatal("cannot mark the page")
	}
	css := filepath.Join(dir, "themes", "default", "static", "css", "dateline.css")
	data, err := os.ReadFile(css)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(css, append(data, "\nbody{outline:3px solid rgb(1, 2, 3)}\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor("new stylesheet applied", `getComputedStyle(document.body).outlineColor==="rgb(1, 2, 3)"`)
	if !holds(`window.marker===2`) {
		t.Error("the page reloaded on a stylesheet-only change; want the stylesheet swapped in place")
	}
	waitFor("one stylesheet link", `document.querySelectorAll('link[rel~="stylesheet"][href*="/assets/css/"]').length===1`)
}

// holdsIn evaluates a boolean expression in the page; an error (the page
// between two documents) reads as false.
func holdsIn(bctx context.Context, expr string) bool {
	ok, err := chromedp.Run(bctx, chromedp.Evaluate[bool](expr))
	return err == nil && ok
}

// waitIn polls the page until expr holds, failing t after patience: a
// browser's reload is not a build, so there is no event to wait on.
func waitIn(t *testing.T, bctx context.Context, patience time.Duration, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for !holdsIn(bctx, expr) {
		if time.Now().After(deadline) {
			state, _ := chromedp.Run(bctx, chromedp.Evaluate[string](
				`JSON.stringify({url:location.href,y:scrollY,ready:document.readyState,overlay:!!document.getElementById("dateline-overlay"),text:document.body?document.body.innerText.slice(0,300):""})`))
			t.Fatalf("%s: %s did not hold within %v; page %s", what, expr, patience, state)
		}
		time.Sleep(25 * time.Millisecond)
	}
}
