package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"dateline/cmd/internal/browsertest"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"
)

// The sample report the reader tests look at most closely, and the one with
// a corrections box.
const (
	readerSlug      = "yuhang-digital-governance"
	correctionsSlug = "qingxi-river-dikes"
	// weightBudget is what a report page may weigh in HTML, CSS and JS
	// before compression, photos excluded.
	weightBudget = 60 * 1024
	// photoDelay holds every photo back so that a page without reserved
	// photo boxes would visibly shift.
	photoDelay = 400 * time.Millisecond
)

// buildSampleDir builds the sample site into a temp folder and returns it.
func buildSampleDir(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	t.Setenv("DATELINE_CACHE", sampleCache(t))
	if code, stdout, stderr := dateline(t, "build", "-s", "../..", "-o", out); code != 0 {
		t.Fatalf("building the sample site: exit %d\n%s%s", code, stdout, stderr)
	}
	return out
}

// pageWeight is what one page costs a reader before compression.
type pageWeight struct{ HTML, CSS, JS int }

func (w pageWeight) total() int { return w.HTML + w.CSS + w.JS }

// weighPage adds up a built page with the stylesheets and scripts it links.
func weighPage(t *testing.T, out map[string][]byte, page string) pageWeight {
	t.Helper()
	data, ok := out[page]
	if !ok {
		t.Fatalf("no %s in the build", page)
	}
	w := pageWeight{HTML: len(data)}
	doc := parseHTML(t, data)
	for _, n := range find(doc, tag("link")) {
		if attr(n, "rel") == "stylesheet" {
			w.CSS += len(assetOf(t, out, page, attr(n, "href")))
		}
	}
	for _, n := range find(doc, tag("script")) {
		if src := attr(n, "src"); src != "" {
			w.JS += len(assetOf(t, out, page, src))
		} else if attr(n, "type") != "application/ld+json" {
			w.JS += len(text(n))
		}
	}
	return w
}

func assetOf(t *testing.T, out map[string][]byte, page, ref string) []byte {
	t.Helper()
	p := ref
	if !strings.HasPrefix(p, "/") {
		p = path.Join(path.Dir("/"+page), p)
	}
	b, ok := out[strings.TrimPrefix(p, "/")]
	if !ok {
		t.Fatalf("%s links %s, which the build lacks", page, ref)
	}
	return b
}

// TestReportWeight holds every report page, in each edition, to the weight
// budget, and checks what the browser must not wait for: web fonts and
// render-blocking scripts.
func TestReportWeight(t *testing.T) {
	out := readTree(t, buildSampleDir(t))
	var pages []string
	for name := range out {
		if strings.HasSuffix(name, "/index.html") && strings.Count(name, "/") == 2 {
			pages = append(pages, name)
		}
	}
	if len(pages) < 4 {
		t.Fatalf("found report pages %v; want both editions of two reports at least", pages)
	}
	for _, page := range pages {
		w := weighPage(t, out, page)
		t.Logf("%-42s HTML %6d B  CSS %6d B  JS %5d B  total %6d B (%.1f KB)", page, w.HTML, w.CSS, w.JS, w.total(), float64(w.total())/1024)
		if w.total() >= weightBudget {
			t.Errorf("%s weighs %d bytes in HTML, CSS and JS; want under %d", page, w.total(), weightBudget)
		}
		doc := parseHTML(t, out[page])
		for _, n := range find(doc, tag("script")) {
			src := attr(n, "src")
			_, deferred := attrOK(n, "defer")
			_, async := attrOK(n, "async")
			switch {
			case src == "" && attr(n, "type") == "application/ld+json":
			case src != "" && (deferred || async || attr(n, "type") == "module"):
			default:
				t.Errorf("%s: script %q blocks rendering; want defer, async or JSON-LD", page, src)
			}
		}
		for _, n := range find(doc, tag("link")) {
			if rel := attr(n, "rel"); rel == "preload" && attr(n, "as") == "font" {
				t.Errorf("%s preloads a font %s", page, attr(n, "href"))
			}
		}
	}
	for name, data := range out {
		if strings.HasSuffix(name, ".css") && regexp.MustCompile(`(?i)@font-face|@import`).Match(data) {
			t.Errorf("%s loads fonts or other stylesheets; the theme uses system fonts only", name)
		}
	}
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// readerServer serves a built site as a CDN would: files as they are,
// the site's 404.html with status 404 for anything missing, and photos
// after photoDelay.
func readerServer(t *testing.T, dir string) *httptest.Server {
	files := http.FileServer(http.Dir(dir))
	notFound, err := os.ReadFile(filepath.Join(dir, "404.html"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := path.Clean("/" + r.URL.Path)
		fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p)))
		if err == nil && fi.IsDir() {
			fi, err = os.Stat(filepath.Join(dir, filepath.FromSlash(p), "index.html"))
		}
		if err != nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			w.Write(notFound)
			return
		}
		switch strings.ToLower(path.Ext(p)) {
		case ".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif":
			select {
			case <-time.After(photoDelay):
			case <-r.Context().Done():
				return
			}
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// axeCore returns the path of axe-core's axe.min.js: $AXE_CORE (the
// package folder or the file itself), else where .ci/run puts it,
// .ci/node_modules/axe-core under the module root. Without it the test is
// skipped, and fails under CI=true.
func axeCore(t *testing.T) string {
	t.Helper()
	p := os.Getenv("AXE_CORE")
	if p == "" {
		root, err := moduleRoot()
		if err != nil {
			t.Fatal(err)
		}
		p = filepath.Join(root, ".ci", "node_modules", "axe-core")
	}
	if info, err := os.Stat(p); err == nil && info.IsDir() {
		p = filepath.Join(p, "axe.min.js")
	}
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("axe-core: %v; CI=true: .ci/run installs it (npm ci --prefix .ci)", err)
		}
		t.Skipf("axe-core: %v: skipping (npm ci --prefix .ci --ignore-scripts, or set AXE_CORE, to run it)", err)
	}
	return p
}

// moduleRoot returns the folder holding go.mod, above the test's.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("no go.mod above the test's folder")
		}
		dir = up
	}
}

// emulateMedia sets CSS media features on a tab, e.g. prefers-color-scheme.
func emulateMedia(features map[string]string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		p := emulation.SetEmulatedMediaParams{}
		for _, name := range []string{"prefers-color-scheme", "prefers-reduced-motion"} {
			if v, ok := features[name]; ok {
				p.Features = append(p.Features, &emulation.MediaFeature{Name: name, Value: v})
			}
		}
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, p)
		return chromedp.Void{}, err
	}
}

type viewport struct {
	name string
	w, h int64
}

var readerViewports = []viewport{{"phone", 390, 844}, {"desktop", 1366, 900}}

// tab is one browser tab with the helpers the reader tests use.
type tab struct {
	t   *testing.T
	ctx context.Context
}

func (b tab) eval(expr string) bool {
	ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](expr, chromedp.EvalAwaitPromise))
	return err == nil && ok
}

func (b tab) waitFor(what, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(8 * time.Second)
	for !b.eval(expr) {
		if time.Now().After(deadline) {
			state, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`JSON.stringify({url:location.href,y:scrollY,focus:document.activeElement&&document.activeElement.outerHTML.slice(0,120)})`))
			b.t.Fatalf("%s: %s never held; page state %s", what, expr, state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (b tab) open(vp viewport, scheme, url string) {
	b.t.Helper()
	err := chromedp.Do(b.ctx,
		chromedp.EmulateViewport(vp.w, vp.h),
		emulateMedia(map[string]string{"prefers-color-scheme": scheme, "prefers-reduced-motion": ""}),
		chromedp.Navigate(url))
	if err != nil {
		b.t.Fatalf("opening %s: %v", url, err)
	}
	b.waitFor("loaded "+url, `document.readyState==="complete"`)
}

// TestReaderExperience opens the built sample site in headless Chromium:
// axe-core finds no accessibility violation on any kind of page at a phone
// and a desktop width in light and dark mode; photos arriving late shift
// nothing; no font is downloaded; the keyboard reaches the skip link and the
// journey navigator; reduced motion stops smooth scrolling and transitions;
// the language switcher keeps the stop. It leaves screenshots of the sample
// report in a temp folder (or in $DATELINE_SCREENSHOTS) and logs where.
func TestReaderExperience(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	axe, err := os.ReadFile(axeCore(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := buildSampleDir(t)
	srv := readerServer(t, dir)

	bctx := browsertest.Browser(t, 4*time.Minute,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()))
	newTab := func(t *testing.T) tab {
		c, cancel := chromedp.NewContext(bctx)
		t.Cleanup(cancel)
		// A tab in the background gets no animation frames: smooth
		// scrolling would never end.
		front := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := cdp.Call(ctx, tg, page.BringToFront, cdp.Empty{})
			return chromedp.Void{}, err
		}
		if err := chromedp.Do(c, front); err != nil {
			t.Fatalf("opening a tab: %v", err)
		}
		return tab{t, c}
	}

	report := func(lang string) string { return srv.URL + "/" + lang + "/" + readerSlug + "/" }

	t.Run("axe", func(t *testing.T) {
		b := newTab(t)
		pages := []string{"/", "/zh/", "/en/", "/zh/" + readerSlug + "/", "/en/" + readerSlug + "/",
			"/en/" + correctionsSlug + "/", "/no-such-page/"}
		for _, scheme := range []string{"light", "dark"} {
			for _, vp := range readerViewports {
				for _, p := range pages {
					b.open(vp, scheme, srv.URL+p)
					if !b.eval(`matchMedia("(prefers-color-scheme: ` + scheme + `)").matches`) {
						t.Fatalf("%s: the page does not see prefers-color-scheme: %s", p, scheme)
					}
					if p == "/no-such-page/" && !b.eval(`document.querySelector("meta[name=robots][content=noindex]")!==null`) {
						t.Fatalf("%s: the server did not answer with the site's 404 page", p)
					}
					if !b.eval(`typeof axe==="object"`) {
						if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](string(axe)+";true")); err != nil {
							t.Fatalf("injecting axe-core: %v", err)
						}
					}
					res, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](
						`axe.run(document,{resultTypes:["violations"]}).then(r=>JSON.stringify(r.violations.map(v=>({id:v.id,impact:v.impact,help:v.help,nodes:v.nodes.slice(0,4).map(n=>n.target.join(" ")+" — "+n.failureSummary.replace(/\s+/g," ").slice(0,240))}))))`,
						chromedp.EvalAwaitPromise))
					if err != nil {
						t.Fatalf("axe on %s: %v", p, err)
					}
					var violations []struct {
						ID, Impact, Help string
						Nodes            []string
					}
					if err := json.Unmarshal([]byte(res), &violations); err != nil {
						t.Fatal(err)
					}
					for _, v := range violations {
						t.Errorf("%s %s %s: axe %s (%s): %s\n\t%s", p, vp.name, scheme, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
					}
				}
			}
		}
		t.Logf("axe-core ran on %d pages × %d viewports × 2 colour schemes", len(pages), len(readerViewports))
	})

	t.Run("layout-shift-and-fonts", func(t *testing.T) {
		b := newTab(t)
		for _, lang := range []string{"zh", "en"} {
			for _, vp := range readerViewports {
				b.open(vp, "light", report(lang))
				// The figures further down are lazy: ask for them now, so
				// that they too arrive late while the page is on screen.
				b.eval(`document.querySelectorAll("img[loading=lazy]").forEach(i=>i.loading="eager"),true`)
				b.waitFor("every photo loaded", `[...document.images].every(i=>i.complete&&i.naturalWidth>0)`)
				res, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`new Promise(done=>{let c=0;new PerformanceObserver(l=>{for(const e of l.getEntries())if(!e.hadRecentInput)c+=e.value}).observe({type:"layout-shift",buffered:true});setTimeout(()=>done(JSON.stringify({cls:c,fonts:performance.getEntriesByType("resource").map(r=>r.name).filter(n=>/\.(woff2?|ttf|otf|eot)(\?|$)/i.test(n)||/fonts\./.test(n)),photos:performance.getEntriesByType("resource").filter(r=>r.initiatorType==="img").length})),300)})`, chromedp.EvalAwaitPromise))
				if err != nil {
					t.Fatal(err)
				}
				var m struct {
					CLS    float64
					Fonts  []string
					Photos int
				}
				if err := json.Unmarshal([]byte(res), &m); err != nil {
					t.Fatal(err)
				}
				t.Logf("%s %s: cumulative layout shift %g with %d photos held back %v", lang, vp.name, m.CLS, m.Photos, photoDelay)
				if m.Photos == 0 {
					t.Errorf("%s %s: no photo loaded; the shift measure means nothing", lang, vp.name)
				}
				if m.CLS != 0 {
					t.Errorf("%s %s: cumulative layout shift %g; want 0", lang, vp.name, m.CLS)
				}
				if len(m.Fonts) > 0 {
					t.Errorf("%s %s: fonts downloaded %v; want system fonts only", lang, vp.name, m.Fonts)
				}
			}
		}
	})

	t.Run("keyboard", func(t *testing.T) {
		b := newTab(t)
		for _, lang := range []string{"zh", "en"} {
			b.open(readerViewports[1], "light", report(lang))
			// Smooth scrolling needs animation frames, which a loaded
			// machine may starve; what is tested here is where Enter
			// leads, so jump there.
			if err := chromedp.Do(b.ctx, emulateMedia(map[string]string{"prefers-reduced-motion": "reduce"})); err != nil {
				t.Fatal(err)
			}
			tabKey := func() {
				t.Helper()
				if err := chromedp.Do(b.ctx, chromedp.KeyEvent("\t")); err != nil {
					t.Fatal(err)
				}
			}
			tabKey()
			if !b.eval(`document.activeElement.matches("a.skip-link")&&document.activeElement.getAttribute("href")==="#main"`) {
				t.Errorf("%s: the first Tab does not reach the skip link", lang)
			}
			if !b.eval(`(()=>{const a=document.activeElement,r=a.getBoundingClientRect(),s=getComputedStyle(a);return r.top>=0&&r.height>0&&s.outlineStyle!=="none"&&parseFloat(s.outlineWidth)>=2})()`) {
				t.Errorf("%s: the focused skip link is not visible with an outline of 2px or more", lang)
			}
			found := false
			for i := 0; i < 40 && !found; i++ {
				tabKey()
				found = b.eval(`document.activeElement.matches(".journey a[href='#stop-3']")`)
			}
			if !found {
				t.Fatalf("%s: Tab never reaches the journey navigator's third stop", lang)
			}
			if !b.eval(`getComputedStyle(document.activeElement).outlineStyle!=="none"`) {
				t.Errorf("%s: the focused journey link shows no outline", lang)
			}
			if err := chromedp.Do(b.ctx, chromedp.KeyEvent("\r")); err != nil {
				t.Fatal(err)
			}
			b.waitFor(lang+": Enter on the third stop goes there", `location.hash==="#stop-3"&&Math.abs(document.getElementById("stop-3").getBoundingClientRect().top)<innerHeight/2`)
			b.waitFor(lang+": Enter on the third stop moves focus to it", `document.activeElement.id==="stop-3"`)
			// The next Tab continues inside the stop, not back in the navigator.
			tabKey()
			if !b.eval(`(()=>{const a=document.activeElement,s=document.getElementById("stop-3");return a!==document.body&&!a.closest(".journey")&&(s.contains(a)||(s.compareDocumentPosition(a)&Node.DOCUMENT_POSITION_FOLLOWING)>0)})()`) {
				st, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.activeElement.outerHTML.slice(0,200)`))
				t.Errorf("%s: after Enter on a stop, Tab does not continue from that stop; focus is on %s", lang, st)
			}
		}
	})

	t.Run("reduced-motion", func(t *testing.T) {
		b := newTab(t)
		for _, motion := range []string{"no-preference", "reduce"} {
			err := chromedp.Do(b.ctx, chromedp.EmulateViewport(1366, 900),
				emulateMedia(map[string]string{"prefers-reduced-motion": motion}),
				chromedp.Navigate(report("en")))
			if err != nil {
				t.Fatal(err)
			}
			b.waitFor("loaded", `document.readyState==="complete"`)
			res, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`JSON.stringify({scroll:getComputedStyle(document.documentElement).scrollBehavior,moving:[...document.querySelectorAll("body *")].filter(e=>{const s=getComputedStyle(e);return s.transitionDuration.split(",").some(d=>parseFloat(d)>0.01)||s.animationName!=="none"&&s.animationDuration.split(",").some(d=>parseFloat(d)>0.01)}).length})`))
			if err != nil {
				t.Fatal(err)
			}
			var m struct {
				Scroll string
				Moving int
			}
			json.Unmarshal([]byte(res), &m)
			t.Logf("prefers-reduced-motion %s: scroll-behavior %s, %d elements with transitions", motion, m.Scroll, m.Moving)
			if motion == "reduce" && (m.Scroll != "auto" || m.Moving != 0) {
				t.Errorf("reduced motion: scroll-behavior %s and %d elements still move; want auto and none", m.Scroll, m.Moving)
			}
		}
	})

	t.Run("switcher-keeps-stop", func(t *testing.T) {
		b := newTab(t)
		for _, c := range []struct{ from, to, tag string }{{"en", "zh", "zh-CN"}, {"zh", "en", "en"}} {
			b.open(readerViewports[0], "light", report(c.from)+"#stop-3")
			// Let the page come to rest at the stop: a click during the
			// scroll would land on whatever passes under the pointer.
			b.waitFor("at stop 3", `Math.abs(document.getElementById("stop-3").getBoundingClientRect().top)<innerHeight/2`)
			b.waitFor("scrolling over", `new Promise(r=>{const y=scrollY;setTimeout(()=>r(scrollY===y),150)})`)
			if err := chromedp.Do(b.ctx, chromedp.Click(fmt.Sprintf(`.lang-switch a[hreflang=%q]`, c.tag))); err != nil {
				t.Fatal(err)
			}
			want := "/" + c.to + "/" + readerSlug + "/#stop-3"
			b.waitFor(c.from+" → "+c.to+" keeps the stop", `location.pathname+location.hash===`+fmt.Sprintf("%q", want)+`&&document.readyState==="complete"`)
			b.waitFor("lands at stop 3", `Math.abs(document.getElementById("stop-3").getBoundingClientRect().top)<innerHeight/2`)
		}
	})

	t.Run("screenshots", func(t *testing.T) {
		shots := os.Getenv("DATELINE_SCREENSHOTS")
		if shots == "" {
			shots = filepath.Join(t.TempDir(), "screenshots")
		}
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
		b := newTab(t)
		type shot struct {
			name, url, scheme string
			vp                viewport
		}
		var list []shot
		for _, lang := range []string{"zh", "en"} {
			for _, vp := range readerViewports {
				list = append(list, shot{fmt.Sprintf("%s-%s-%s", readerSlug, lang, vp.name), report(lang), "light", vp})
			}
		}
		list = append(list,
			shot{readerSlug + "-en-desktop-dark", report("en"), "dark", readerViewports[1]},
			shot{readerSlug + "-zh-phone-dark", report("zh"), "dark", readerViewports[0]},
			shot{correctionsSlug + "-zh-desktop", srv.URL + "/zh/" + correctionsSlug + "/", "light", readerViewports[1]},
			shot{"front-en-desktop", srv.URL + "/en/", "light", readerViewports[1]},
			shot{"front-zh-phone", srv.URL + "/zh/", "light", readerViewports[0]})
		for _, s := range list {
			b.open(s.vp, s.scheme, s.url)
			b.eval(`document.querySelectorAll("img[loading=lazy]").forEach(i=>i.loading="eager"),true`)
			b.waitFor("photos loaded", `[...document.images].every(i=>i.complete)`)
			png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(shots, s.name+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("%d screenshots in %s", len(list), shots)
	})
}

// TestReaderLanguages checks what screen readers and hyphenation rely on:
// each page names its language, and every link to another edition names
// the language of its own text.
func TestReaderLanguages(t *testing.T) {
	out := readTree(t, buildSampleDir(t))
	want := map[string]string{"zh": "zh-CN", "en": "en"}
	checked := 0
	for name, data := range out {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		doc := parseHTML(t, data)
		htmlTag := find(doc, tag("html"))
		if len(htmlTag) != 1 {
			t.Fatalf("%s: %d <html> elements", name, len(htmlTag))
		}
		lang := attr(htmlTag[0], "lang")
		if dir, _, ok := strings.Cut(name, "/"); ok {
			if lang != want[dir] {
				t.Errorf("%s: <html lang=%q>; want %q", name, lang, want[dir])
			}
		} else if lang == "" {
			t.Errorf("%s: <html> has no lang", name)
		}
		for _, a := range find(doc, tag("a")) {
			if h := attr(a, "hreflang"); h != "" && langOf(a) != h {
				t.Errorf("%s: link to the %s edition %q is in lang=%q; want %q", name, h, text(a), langOf(a), h)
			}
		}
		checked++
	}
	if checked < 8 {
		t.Errorf("checked %d pages; want the whole sample site", checked)
	}
}

// langOf is the language of n's text: its own lang or its nearest
// ancestor's.
func langOf(n *html.Node) string {
	for ; n != nil; n = n.Parent {
		if l, ok := attrOK(n, "lang"); ok {
			return l
		}
	}
	return ""
}
