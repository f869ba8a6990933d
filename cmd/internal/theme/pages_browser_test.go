package theme

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"dateline/cmd/internal/browsertest"
	"dateline/cmd/internal/phrase"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestPagesInBrowser builds the sample site (two reports a page, so that
// there is a page 2; with Pagefind when it is found, so that there are
// search pages) with the dateline binary, serves it on loopback and opens
// every kind of page in headless Chromium: root, fronts, every report
// edition and the 404s, and the first page of every other kind it finds in
// the output by its path (front and topic page N, topic index, topic,
// author index, author, series, search, and any new pattern), on a phone
// (390×844) and a desktop (1366×900), in light and dark. It fails when a
// kind the site makes is missing. On each view it checks, with the DOM:
//   - a Chinese headline, dek, teaser headline, stop name or stop title in
//     the body breaks its lines only between BudouX phrases (package phrase);
//   - no line starts with a closing punctuation mark or ends with "·", a
//     meta line's separator never ends a line and no date breaks;
//   - Chinese UI text draws “ full-width, as the body does;
//   - a footnote marker does not open a taller line; figures in a table are
//     right-aligned in tabular figures;
//   - the journey's stop names are whole, the current stop's marker and
//     underline are not clipped, and the phone strip shows the current stop
//     after any scroll, and its start back at the top;
//   - on a page shorter than the window the footer touches the bottom and
//     "back to top" is hidden; the lead teaser leads on a phone; the report
//     head starts where the masthead and the hero start; "Read next" lines
//     up with the text and none of its dates breaks;
//   - the 404 pages link the other editions site-relative, name no
//     canonical URL, load no script and speak every language in the footer;
//   - axe-core finds no violation on the listing pages (cmd/dateline's
//     TestReaderExperience runs it on the other kinds).
//
// With DATELINE_SHOTS=DIR it also writes a screenshot of each view there.
func TestPagesInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the sample site and starts a browser")
	}
	browsertest.Chromium(t) // skip (or fail on CI) before building

	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := browsertest.Dateline(t)
	// The sample site with two reports a page, so that fronts and topics
	// have a page 2.
	site := browsertest.Sample(t, root)
	toml := filepath.Join(site, "content", "site.toml")
	settings, err := os.ReadFile(toml)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(toml, append([]byte("front_page_size = 2\n"), settings...), 0o644); err != nil {
		t.Fatal(err)
	}
	var env []string
	search := pagefind(t, root)
	if search != "" {
		env = append(env, "DATELINE_PAGEFIND="+search)
	}
	public := browsertest.Build(t, bin, site, env...)
	var all []string
	filepath.WalkDir(public, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".html") && !strings.Contains(p, string(filepath.Separator)+"pagefind"+string(filepath.Separator)) {
			rel := "/" + filepath.ToSlash(strings.TrimPrefix(p, public+string(filepath.Separator)))
			all = append(all, strings.TrimSuffix(rel, "index.html"))
		}
		return nil
	})
	slices.Sort(all)
	// Every report, root, front and 404; of each listing kind, the first
	// page in each language.
	var pages []string
	seen, kinds := map[string]bool{}, map[string]bool{}
	for _, p := range all {
		kind := pageKind(p)
		lang, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
		switch kind {
		case "root", "front", "report", "404":
			pages = append(pages, p)
		default:
			if !seen[kind+" "+lang] {
				pages = append(pages, p)
			}
		}
		seen[kind+" "+lang], kinds[kind] = true, true
	}
	want := []string{"root", "front", "front page N", "report", "404", "topics", "topic", "author"}
	if search != "" {
		want = append(want, "search")
	}
	for _, k := range want {
		if !kinds[k] {
			t.Errorf("the build has no %s page; pages %v", k, all)
		}
	}
	t.Logf("%d of %d pages, of kinds %v", len(pages), len(all), slices.Sorted(maps.Keys(kinds)))
	axe := axeCore(t, root)
	base := browsertest.ServeDir(t, public)

	shots := os.Getenv("DATELINE_SHOTS")
	if shots != "" {
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}

	bctx := browsertest.Browser(t, 8*time.Minute)

	for _, page := range pages {
		for _, size := range [][2]int64{{390, 844}, {1366, 900}} {
			for _, scheme := range []string{"light", "dark"} {
				view := fmt.Sprintf("%s at %d×%d, %s", page, size[0], size[1], scheme)
				err := chromedp.Do(bctx,
					chromedp.EmulateViewport(size[0], size[1]),
					colorScheme(scheme),
					chromedp.Navigate(base+page),
				)
				if err == nil {
					_, err = chromedp.Run(bctx, chromedp.Evaluate[bool](`(document.readyState==="complete"?Promise.resolve():new Promise(ok=>addEventListener("load",ok))).then(()=>Promise.race([new Promise(ok=>setTimeout(ok,3000)),Promise.all([document.fonts.ready,...[...document.images].filter(i=>i.loading!=="lazy"||i.getBoundingClientRect().top<innerHeight).map(i=>i.decode().catch(()=>{}))])])).then(()=>true)`, chromedp.EvalAwaitPromise))
				}
				if err != nil {
					t.Fatalf("%s: %v", view, err)
				}
				if shots != "" {
					png, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
					if err != nil {
						t.Fatal(err)
					}
					name := strings.Trim(strings.NewReplacer("/", "_", ".html", "").Replace(page), "_")
					if name == "" {
						name = "root"
					}
					name = fmt.Sprintf("%s-%d-%s.png", name, size[0], scheme)
					if err := os.WriteFile(filepath.Join(shots, name), png, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				res, err := chromedp.Run(bctx, chromedp.Evaluate[pageCheck](pageChecks))
				if err != nil {
					t.Fatalf("%s: %v", view, err)
				}
				for _, p := range res.Problems {
					t.Errorf("%s: %s", view, p)
				}
				for _, h := range res.Phrased {
					checkPhraseBreaks(t, view, h)
					if h.What == "stop-title" {
						checkStopWbr(t, view, h)
					}
				}
				if axe != nil && !slices.Contains([]string{"root", "front", "report", "404"}, pageKind(page)) {
					runAxe(t, bctx, view, axe)
				}
				if scheme == "light" && strings.Count(page, "/") == 3 {
					shot := ""
					if shots != "" {
						shot = filepath.Join(shots, fmt.Sprintf("%s-%d", strings.Trim(strings.ReplaceAll(page, "/", "_"), "_"), size[0]))
					}
					checkJourney(t, bctx, view, size[0] < 1024, shot)
				}
			}
		}
	}
}

// pageKind names the kind of the page at site path p, from its path:
// "root", "front", "front page N", "report", "404", "topics", "topic",
// "topic page N", "authors", "author", "series", "search", or the path's
// pattern for a kind this list does not know yet.
func pageKind(p string) string {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if parts[len(parts)-1] == "404.html" {
		return "404"
	}
	pageN := len(parts) >= 2 && parts[len(parts)-2] == "page"
	if pageN {
		parts = parts[:len(parts)-2]
	}
	kind := ""
	switch {
	case p == "/":
		return "root"
	case len(parts) == 1:
		kind = "front"
	case len(parts) == 2 && slices.Contains([]string{"topics", "authors", "series", "search"}, parts[1]):
		kind = parts[1]
	case len(parts) == 2:
		kind = "report"
	case len(parts) == 3 && parts[1] == "topics":
		kind = "topic"
	case len(parts) == 3 && parts[1] == "authors":
		kind = "author"
	case len(parts) == 3 && parts[1] == "series":
		kind = "series page"
	default:
		kind = "/" + parts[0] + "/" + strings.Join(parts[1:len(parts)-1], "/") + "/*/"
	}
	if pageN {
		kind += " page N"
	}
	return kind
}

// pagefind returns the Pagefind the build indexes the search pages with:
// $DATELINE_PAGEFIND, pagefind on PATH, or the copy .ci/run installs; ""
// without one (the build then makes no search page), and under CI=true
// a failure instead.
func pagefind(t *testing.T, root string) string {
	if p := os.Getenv("DATELINE_PAGEFIND"); p != "" && p != "off" {
		return p
	}
	if p, err := exec.LookPath("pagefind"); err == nil {
		return p
	}
	p := filepath.Join(root, ".ci", "node_modules", ".bin", "pagefind")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no Pagefind for the search pages; CI=true: .ci/run installs it (npm ci --prefix .ci)")
	}
	t.Log("no Pagefind: the search pages are not checked (npm ci --prefix .ci)")
	return ""
}

// axeCore returns the source of axe-core ($AXE_CORE, else the copy .ci/run
// installs), which runs on every view of the listing pages (the reader
// tests of cmd/dateline run it on root, fronts, reports and 404s); nil
// without it, and under CI=true a failure instead.
func axeCore(t *testing.T, root string) []byte {
	p := os.Getenv("AXE_CORE")
	if p == "" {
		p = filepath.Join(root, ".ci", "node_modules", "axe-core", "axe.min.js")
	}
	src, err := os.ReadFile(p)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("axe-core: %v; CI=true: .ci/run installs it (npm ci --prefix .ci)", err)
		}
		t.Logf("axe-core: %v: the listing pages are not checked with it", err)
		return nil
	}
	return src
}

// runAxe runs axe-core on the page open in bctx and fails t for each
// violation.
func runAxe(t *testing.T, bctx context.Context, view string, axe []byte) {
	t.Helper()
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](string(axe)+";true")); err != nil {
		t.Fatalf("%s: injecting axe-core: %v", view, err)
	}
	res, err := chromedp.Run(bctx, chromedp.Evaluate[string](
		`axe.run(document,{resultTypes:["violations"]}).then(r=>JSON.stringify(r.violations.map(v=>({id:v.id,help:v.help,nodes:v.nodes.slice(0,4).map(n=>n.target.join(" ")+": "+n.failureSummary.replace(/\s+/g," ").slice(0,200))}))))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe: %v", view, err)
	}
	var violations []struct {
		ID, Help string
		Nodes    []string
	}
	if err := json.Unmarshal([]byte(res), &violations); err != nil {
		t.Fatalf("%s: axe: %v", view, err)
	}
	for _, v := range violations {
		t.Errorf("%s: axe %s: %s\n\t%s", view, v.ID, v.Help, strings.Join(v.Nodes, "\n\t"))
	}
}

// pageCheck is what pageChecks returns.
type pageCheck struct {
	Problems []string
	// Phrased lists the Chinese headlines: their text and the offsets
	// (in UTF-16 units) of the characters that start a line after the first.
	Phrased []phrased
}

// phrased is a Chinese headline as pageChecks finds it.
type phrased struct {
	What   string
	Text   string
	Breaks []int // offsets (UTF-16 units) of the characters that start a line after the first
	Wbr    []int // offsets of its <wbr> elements
}

// colorScheme emulates prefers-color-scheme on the tab.
func colorScheme(scheme string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return chromedp.Void{}, err
	}
}

// checkPhraseBreaks fails t when a headline breaks a line inside one of
// its BudouX phrases (a break after a space is a break between words).
func checkPhraseBreaks(t *testing.T, view string, h phrased) {
	t.Helper()
	bounds := map[int]bool{}
	n := 0
	for _, p := range phrase.Split(h.Text) {
		n += utf16Len(p)
		bounds[n] = true
	}
	u := []rune(h.Text)
	for _, b := range h.Breaks {
		if bounds[b] {
			continue
		}
		// The rune before the break, counted in UTF-16 units.
		i, k := 0, 0
		for ; i < len(u) && k+utf16Len(string(u[i])) < b; i++ {
			k += utf16Len(string(u[i]))
		}
		if i < len(u) && unicode.IsSpace(u[i]) {
			continue
		}
		t.Errorf("%s: %s %q breaks a line inside a phrase at %q|%q (phrases %q)", view, h.What, h.Text,
			string(u[:i+1]), string(u[i+1:]), phrase.Split(h.Text))
	}
}

// checkStopWbr fails t unless a stop title in the body (Markdown, not the
// theme's phrases) shows a <wbr> only where two of its phrases meet, and at
// least one when it is a title with Han characters and more than one
// phrase: it cannot rely on a line break to show them, since most stop
// titles fit on one line. Where the Markdown puts each <wbr> (never between
// two ASCII characters) is pinned by the case file
// markdown/testdata/stops_zh.txt, whose titles have ASCII in them, as the
// sample's have not; this checks that the page the browser shows keeps
// them.
func checkStopWbr(t *testing.T, view string, h phrased) {
	t.Helper()
	u := []rune(h.Text)
	phrases := phrase.Split(h.Text)
	bounds := map[int]int{} // UTF-16 offset of a phrase boundary: rune index
	n, k := 0, 0
	for _, p := range phrases {
		n += utf16Len(p)
		k += len([]rune(p))
		bounds[n] = k
	}
	for _, w := range h.Wbr {
		if k, ok := bounds[w]; !ok || k == 0 || k >= len(u) {
			t.Errorf("%s: stop title %q has a <wbr> at %d, inside a phrase or at an end (phrases %q)", view, h.Text, w, phrases)
		}
	}
	if len(h.Wbr) == 0 && len(phrases) > 1 && strings.ContainsFunc(h.Text, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		t.Errorf("%s: stop title %q shows no <wbr> between its phrases %q", view, h.Text, phrases)
	}
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}

// checkJourney scrolls a report page to each of its stops and back to the
// top: the current stop's marker and underline stay unclipped, and on a
// phone the strip shows the current stop, and its start at the top. With
// shot, it saves a screenshot at each stop as shot-stop-N.png.
func checkJourney(t *testing.T, bctx context.Context, view string, phone bool, shot string) {
	t.Helper()
	n, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll(".journey-stop").length`))
	if err != nil || n == 0 {
		return
	}
	eval := func(expr string, v any) {
		t.Helper()
		res, err := chromedp.Run(bctx, chromedp.Evaluate[json.RawMessage](expr))
		if err == nil && v != nil {
			err = json.Unmarshal(res, v)
		}
		if err != nil {
			t.Fatalf("%s: %s: %v", view, expr, err)
		}
	}
	waitCurrent := func(want string) bool {
		deadline := time.Now().Add(3 * time.Second)
		for time.Now().Before(deadline) {
			var got string
			eval(`document.querySelector(".journey a[aria-current]")?.hash||""`, &got)
			if got == want {
				return true
			}
			time.Sleep(25 * time.Millisecond)
		}
		t.Errorf("%s: stop %q never became current", view, want)
		return false
	}
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("#stop-%d", i)
		var reached bool
		eval(`(()=>{const y=document.querySelector("`+id+`").getBoundingClientRect().top+scrollY;scrollTo({top:y,behavior:"instant"});return scrollY>=y-innerHeight*0.15})()`, &reached)
		if !reached {
			// A short last stop never reaches the reading line: at the
			// end of the page it is the one being read.
			eval(`scrollTo({top:document.documentElement.scrollHeight,behavior:"instant"}),true`, nil)
		}
		if !waitCurrent(id) {
			continue
		}
		time.Sleep(50 * time.Millisecond)
		var problems []string
		eval(journeyChecks, &problems)
		for _, p := range problems {
			t.Errorf("%s, reading %s: %s", view, id, p)
		}
		if shot != "" {
			if png, err := chromedp.Run(bctx, chromedp.CaptureScreenshot()); err == nil {
				os.WriteFile(fmt.Sprintf("%s-stop-%d.png", shot, i), png, 0o644)
			}
		}
	}
	eval(`scrollTo({top:0,behavior:"instant"}),true`, nil)
	waitCurrent("")
	time.Sleep(50 * time.Millisecond)
	if phone {
		var left float64
		eval(`document.querySelector(".journey-route").scrollLeft`, &left)
		if left > 0 {
			t.Errorf("%s: back at the top, the phone strip stays scrolled by %.0fpx; want its first stop in view", view, left)
		}
	}
}

// journeyChecks returns what is wrong with the current stop of the journey
// navigator.
const journeyChecks = `(() => {
  const bad = [];
  const a = document.querySelector(".journey a[aria-current]"), li = a.parentElement;
  const cs = getComputedStyle(li, "::after"), r = li.getBoundingClientRect();
  const ring = parseFloat((cs.boxShadow.match(/(\d+(\.\d+)?)px\s*$/) || [0, 0])[1]) || 0;
  const marker = {left: r.left + parseFloat(cs.left) - ring, top: r.top + parseFloat(cs.top) - ring};
  marker.right = marker.left + parseFloat(cs.width) + 2 * ring;
  marker.bottom = marker.top + parseFloat(cs.height) + 2 * ring;
  const name = a.querySelector(".journey-name");
  const nr = name.getBoundingClientRect(), fs = parseFloat(getComputedStyle(name).fontSize);
  const lines = [...(() => { const g = document.createRange(); g.selectNodeContents(name); return g.getClientRects(); })()];
  const lastLine = lines.reduce((m, x) => x.bottom > m ? x.bottom : m, -Infinity);
  const underline = {left: nr.left, right: nr.right, top: nr.top, bottom: lastLine + 0.3 * fs};
  const inside = (box, c) => box.left >= c.left - 0.5 && box.right <= c.right + 0.5 && box.top >= c.top - 0.5 && box.bottom <= c.bottom + 0.5;
  for (let e = li; e && e !== document.body; e = e.parentElement) {
    const s = getComputedStyle(e);
    if (s.overflowX === "visible" && s.overflowY === "visible") continue;
    const b = e.getBoundingClientRect();
    const clip = {left: b.left + e.clientLeft, top: b.top + e.clientTop, right: b.left + e.clientLeft + e.clientWidth, bottom: b.top + e.clientTop + e.clientHeight};
    if (!inside(marker, clip)) bad.push("the marker of the current stop is clipped by ." + e.className.split(" ")[0] + " " + JSON.stringify([marker, clip]));
    if (!inside(underline, clip)) bad.push("the underline of the current stop is clipped by ." + e.className.split(" ")[0] + " " + JSON.stringify([underline, clip]));
  }
  if (getComputedStyle(li.closest(".journey")).position === "sticky" && !inside(marker, {left: 0, top: 0, right: innerWidth, bottom: innerHeight})) bad.push("the marker of the current stop is outside the window " + JSON.stringify(marker));
  return bad;
})()`

// pageChecks runs the checks of one view and returns a pageCheck.
const pageChecks = `(() => {
  const bad = [], phrased = [];
  const zh = (el) => (el.closest("[lang]")?.lang || "").startsWith("zh");
  const CLOSE = "，。、：；！？”’）》」』】〉…,.;:!?)]}";
  // lines returns the lines of el's text: each a list of [char, node, offset, rect].
  function lines(el) {
    const out = [], w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), rg = document.createRange();
    let line = null, prev = null;
    for (let n; (n = w.nextNode());) {
      if (!n.parentElement.checkVisibility({visibilityProperty: true})) continue;
      const s = n.data;
      for (let i = 0; i < s.length; i++) {
        if (s.charCodeAt(i) >= 0xDC00 && s.charCodeAt(i) < 0xE000) continue;
        const j = s.codePointAt(i) > 0xFFFF ? i + 2 : i + 1;
        rg.setStart(n, i); rg.setEnd(n, j);
        const rs = rg.getClientRects();
        if (!rs.length || rs[0].width === 0) continue;
        const b = rs[rs.length - 1];
        if (!line || (prev && b.left < prev.left - 1 && b.top > prev.top + 2)) out.push(line = []);
        line.push([s.slice(i, j), n, i, b]);
        prev = b;
      }
    }
    return out;
  }
  const blocks = document.querySelectorAll("main h1, main h2, main h3, main p, main li, main figcaption, main td, main th, .site-footer p, .site-footer li");
  for (const el of blocks) {
    if (el.querySelector("p, li, h2")) continue;
    const ls = lines(el);
    const label = el.tagName.toLowerCase() + (el.className ? "." + el.className.split(" ")[0] : "");
    ls.forEach((l, k) => {
      const text = l.map(c => c[0]).join("").trim();
      if (!text) return;
      if (k > 0 && CLOSE.includes(text[0])) bad.push(label + ": a line starts with " + JSON.stringify(text[0]) + ": " + JSON.stringify(text.slice(0, 20)));
      if (text.endsWith("·")) bad.push(label + ": a line ends with \"·\": " + JSON.stringify(text.slice(-20)));
    });
  }
  // Chinese headlines: where their lines break, for the Go side to compare
  // with the phrases.
  for (const el of document.querySelectorAll(".headline, .dek, .teaser-title, .teaser-dek, .journey-name, .stop-title, .archive a, .edition-latest a")) {
    if (!zh(el)) continue;
    const ls = lines(el), text = el.textContent, breaks = [];
    // Offsets in el.textContent of each line's first character.
    const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const base = new Map();
    for (let n, k = 0; (n = w.nextNode()); k += n.data.length) base.set(n, k);
    for (const l of ls.slice(1)) breaks.push(base.get(l[0][1]) + l[0][2]);
    const wbr = [], tw = document.createTreeWalker(el, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let n, k = 0; (n = tw.nextNode());) {
      if (n.nodeType === Node.TEXT_NODE) k += n.data.length;
      else if (n.tagName === "WBR") wbr.push(k);
    }
    phrased.push({What: el.className || el.tagName.toLowerCase(), Text: text, Breaks: breaks, Wbr: wbr});
  }
  // Meta lines: no date breaks, no separator ends a line, none shows at a line start.
  for (const m of document.querySelectorAll(".report-meta, .teaser-meta")) {
    const kids = [...m.children], col = m.parentElement.getBoundingClientRect().left;
    kids.forEach((c, i) => {
      const r = c.getBoundingClientRect();
      for (const t of c.querySelectorAll("time")) if (t.getClientRects().length > 1) bad.push("a date breaks: " + JSON.stringify(t.textContent));
      if (c.tagName === "TIME" && c.getClientRects().length > 1) bad.push("a date breaks: " + JSON.stringify(c.textContent));
      const next = kids[i + 1], last = !next || next.getBoundingClientRect().top > r.top + 2;
      const first = i === 0 || kids[i - 1].getBoundingClientRect().top < r.top - 2;
      if (last && next && getComputedStyle(c, "::after").content.includes("·")) bad.push("a meta line ends with \"·\" after " + JSON.stringify(c.textContent));
      if (first && getComputedStyle(c, "::before").content.includes("·") && r.left >= col - 1) bad.push("a meta line starts with a visible \"·\" before " + JSON.stringify(c.textContent));
    });
  }
  // Chinese UI text draws “ full-width, as the body does.
  for (const el of document.querySelectorAll(".journey a, figcaption, .sidebar p, .corrections li, .teaser-stops, .report-meta, .site-footer-note, .credits-line")) {
    if (!zh(el) || !el.checkVisibility()) continue;
    // Between two ideographs, so that no neighbouring punctuation trims it.
    const s = document.createElement("span"), u = document.createElement("span");
    s.textContent = "字“字";
    u.textContent = "字字";
    s.style.cssText = u.style.cssText = "display:inline-block;white-space:nowrap";
    el.append(s, u);
    const ratio = (s.getBoundingClientRect().width - u.getBoundingClientRect().width) / parseFloat(getComputedStyle(s).fontSize);
    const font = getComputedStyle(s).fontFamily;
    s.remove();
    u.remove();
    if (ratio < 0.9) bad.push((el.className || el.tagName.toLowerCase()) + ": “ is " + ratio.toFixed(2) + "em wide; want a full-width quote as in the body (" + font + ")");
  }
  for (const el of document.querySelectorAll(".corrections")) {
    const body = document.querySelector(".report-body");
    if (zh(el) && getComputedStyle(el).textAutospace !== getComputedStyle(body).textAutospace) bad.push("the corrections box lacks the body's autospace: " + getComputedStyle(el).textAutospace);
  }
  // A footnote marker does not make its line taller.
  for (const p of document.querySelectorAll(".report-body p:has(sup)")) {
    const tops = lines(p).map(l => Math.min(...l.filter(c => !c[1].parentElement.closest("sup")).map(c => c[3].top)));
    for (let i = 2; i < tops.length; i++) {
      if (Math.abs((tops[i] - tops[i - 1]) - (tops[1] - tops[0])) > 1.5) bad.push("a footnote marker opens a taller line: line tops " + JSON.stringify(tops.map(Math.round)));
    }
  }
  // Figures in tables: right-aligned, tabular.
  for (const td of document.querySelectorAll(".report-body td")) {
    if (!/^[\d.,\s]+\s*(公里|km|%|米|m)?$/.test(td.textContent.trim())) continue;
    const s = getComputedStyle(td);
    if (s.textAlign !== "right") bad.push("table figure " + JSON.stringify(td.textContent) + " is aligned " + s.textAlign);
    if (!s.fontVariantNumeric.includes("tabular-nums")) bad.push("table figure " + JSON.stringify(td.textContent) + " is not in tabular figures");
  }
  // Stop names are whole.
  for (const n of document.querySelectorAll(".journey-name")) {
    if (n.scrollHeight > n.clientHeight + 1 || n.scrollWidth > n.clientWidth + 1) bad.push("a stop name is cut: " + JSON.stringify(n.textContent));
  }
  // Short pages: the footer at the bottom, no "back to top".
  const doc = document.documentElement;
  if (doc.scrollHeight <= innerHeight + 1) {
    const f = document.querySelector(".site-footer").getBoundingClientRect();
    if (Math.abs(f.bottom - innerHeight) > 1) bad.push("on a short page the footer ends " + Math.round(innerHeight - f.bottom) + "px above the bottom of the window");
    const top = document.querySelector('.site-footer a[href="#top"]');
    if (top && top.checkVisibility()) bad.push("\"back to top\" shows on a page that does not scroll");
  }
  // Hierarchy.
  const teasers = [...document.querySelectorAll(".teaser-title")];
  if (teasers.length > 1 && parseFloat(getComputedStyle(teasers[0]).fontSize) <= parseFloat(getComputedStyle(teasers[1]).fontSize)) bad.push("the lead teaser has the weight of the others");
  for (const t of document.querySelectorAll(".report-body .sidebar-title")) {
    const s = getComputedStyle(t), p = t.parentElement.querySelector("p, li");
    if (p && parseFloat(s.fontSize) >= parseFloat(getComputedStyle(p).fontSize) && s.textTransform !== "uppercase") bad.push("a sidebar title is plain text size, not a label");
    if (p && s.color === getComputedStyle(p).color) bad.push("a sidebar title has the colour of its text");
  }
  const head = document.querySelector(".has-journey .report-head"), hero = document.querySelector(".has-journey .hero");
  if (head && hero && innerWidth >= 1024) {
    const hl = document.querySelector(".headline").getBoundingClientRect().left, ml = document.querySelector(".site-title").getBoundingClientRect().left;
    const hr = hero.getBoundingClientRect().left;
    if (Math.abs(hl - hr) > 1 || Math.abs(hl - ml) > 1) bad.push("the headline starts at " + Math.round(hl) + "px, the hero at " + Math.round(hr) + "px, the masthead at " + Math.round(ml) + "px");
  }
  // "Read next" lines up with the text column, and none of its dates breaks.
  const onward = document.querySelector(".onward"), body = document.querySelector(".report-body");
  if (onward && body) {
    const o = onward.getBoundingClientRect(), r = body.getBoundingClientRect();
    if (Math.abs(o.left - r.left) > 1 || Math.abs(o.right - r.right) > 1) bad.push("Read next spans " + Math.round(o.left) + "–" + Math.round(o.right) + "px, the text " + Math.round(r.left) + "–" + Math.round(r.right) + "px");
    for (const t of onward.querySelectorAll("time")) if (t.getClientRects().length > 1) bad.push("a Read next date breaks: " + t.textContent);
  }
  // 404 pages.
  if (document.body.classList.contains("page-404")) {
    if (document.querySelector('link[rel="canonical"]')) bad.push("a 404 page names a canonical URL");
    if (document.querySelector("script[src]")) bad.push("a 404 page loads a script");
    for (const a of document.querySelectorAll("a[hreflang]")) if (/^https?:/.test(a.getAttribute("href"))) bad.push("a 404 page links an edition absolutely: " + a.getAttribute("href"));
    const langs = new Set([...document.querySelectorAll(".site-footer [lang]")].map(e => e.lang));
    langs.add(document.documentElement.lang);
    if (langs.size < 2) bad.push("the 404 footer speaks only " + [...langs]);
  }
  return {Problems: bad, Phrased: phrased};
})()`
