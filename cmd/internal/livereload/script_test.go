package livereload

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/cmd/internal/browsertest"

	"github.com/chromedp/chromedp"
	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/js"
)

// checkScript checks what must hold for any endpoint and version: one
// script element, small, that the page cannot be broken out of, and that
// parses as JavaScript.
func checkScript(t *testing.T, endpoint, version string) {
	t.Helper()
	got := string(Script(endpoint, version))
	body, ok := strings.CutPrefix(got, "<script>")
	if body, ok = strings.CutSuffix(body, "</script>"); !ok {
		t.Fatalf("Script(%q, %q) = %q; want one <script> element", endpoint, version, got)
	}
	if lower := strings.ToLower(body); strings.Contains(lower, "</script") || strings.Contains(lower, "<!--") {
		t.Errorf("Script(%q, %q) holds </script or <!--: %q", endpoint, version, body)
	}
	if !strings.Contains(body, literal(endpoint)) || !strings.Contains(body, literal(version)) {
		t.Errorf("Script(%q, %q) lacks the endpoint or version literal: %q", endpoint, version, body)
	}
	if _, err := js.Parse(parse.NewInputString(body), js.Options{}); err != nil {
		t.Errorf("Script(%q, %q) does not parse: %v", endpoint, version, err)
	}
}

func TestScript(t *testing.T) {
	tests := []struct{ endpoint, version string }{
		{"/_dateline/events", "1"},
		{"/_dateline/events", ""},
		{"/ev?x=1&y=2", "2026-11-28T13:00:00Z#3"},
		{"</script><script>alert(1)</script>", "</SCRIPT>"},
		{"\"quoted\\path'", "line\nbreak\u2028sep"},
		{"/事件", "版本"},
	}
	for _, tt := range tests {
		checkScript(t, tt.endpoint, tt.version)
	}
	s := string(Script("/_dateline/events", "12"))
	if !strings.Contains(s, `new EventSource(E)`) || !strings.Contains(s, `const E="/_dateline/events"`) {
		t.Errorf("Script does not subscribe to its endpoint: %s", s)
	}
	if len(s) >= 2048 {
		t.Errorf("Script is %d bytes; want under 2 KB", len(s))
	}
}

func FuzzScript(f *testing.F) {
	f.Add("/_dateline/events", "1")
	f.Add("</script>", "<!--")
	f.Add("\u2028", "\\")
	f.Fuzz(func(t *testing.T, endpoint, version string) {
		checkScript(t, endpoint, version)
	})
}

// TestScriptInBrowser runs the script in headless Chromium: a reload keeps
// the reader at the same place in the same stop although the text above it
// grew; a stylesheet change swaps the stylesheet without a reload; a page
// built at an old version reloads when it connects.
func TestScriptInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	h := New()
	var mu sync.Mutex
	site := struct {
		version, css string
		header       int // px of text above the first stop
		stale        int // pages still to serve at version "stale"
		served       int
	}{version: "1", css: "/assets/style.aaaaaaaaaa.css", header: 300}
	mux := http.NewServeMux()
	mux.Handle("/events", h)
	mux.HandleFunc("/assets/", func(w http.ResponseWriter, r *http.Request) {
		color := map[string]string{
			"/assets/style.aaaaaaaaaa.css": "rgb(255, 0, 0)",
			"/assets/style.bbbbbbbbbb.css": "rgb(0, 0, 255)",
		}[r.URL.Path]
		w.Header().Set("Content-Type", "text/css")
		fmt.Fprintf(w, "body{margin:0;color:%s}", color)
	})
	mux.HandleFunc("/report/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		version := site.version
		if site.stale > 0 {
			site.stale--
			version = "stale"
		}
		site.served++
		var b strings.Builder
		// The first script keeps what the live-reload script saved for the
		// test to see: the live-reload script consumes it.
		fmt.Fprintf(&b, `<!doctype html><html><head><link rel="stylesheet" href="%s">`+
			`<script>window.saved=sessionStorage.getItem("dateline:/report/")</script></head><body>`, site.css)
		fmt.Fprintf(&b, `<header style="height:%dpx">lede</header>`, site.header)
		for i := 1; i <= 4; i++ {
			fmt.Fprintf(&b, `<section class="stop" id="stop-%d"><h2>Stop %d</h2><div style="height:1500px"></div></section>`, i, i)
		}
		mu.Unlock()
		b.WriteString(string(Script("/events", version)))
		b.WriteString(`</body></html>`)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprint(w, b.String())
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(func() { h.Close(); srv.Close() })
	h.Reload("1")

	bctx := browsertest.Browser(t, 2*time.Minute, chromedp.WindowSize(800, 600))

	// eval evaluates expr; errors (a page between two documents) read as false.
	eval := func(expr string) bool {
		ok, err := chromedp.Run(bctx, chromedp.Evaluate[bool](expr))
		return err == nil && ok
	}
	waitFor := func(what, expr string) {
		t.Helper()
		deadline := time.Now().Add(3 * patience)
		for !eval(expr) {
			if time.Now().After(deadline) {
				state, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`JSON.stringify({y:scrollY,top:document.getElementById("stop-3").getBoundingClientRect().top,css:[...document.querySelectorAll("link")].map(l=>l.href)})`))
				t.Fatalf("%s: %s never held; page state %s", what, expr, state)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+"/report/")); err != nil {
		t.Fatal(err)
	}
	waitClients(t, h, 1)
	waitFor("styled", `getComputedStyle(document.body).color==="rgb(255, 0, 0)"`)

	// Read 200px into stop 3, then the lede grows by 500px and the site
	// is rebuilt.
	y, err := chromedp.Run(bctx, chromedp.Evaluate[float64](`(()=>{const s=document.getElementById("stop-3");scrollTo(0,s.getBoundingClientRect().top+scrollY+200);window.marker=1;return scrollY})()`))
	if err != nil || y < 3000 {
		t.Fatalf("scrolled to %v (%v); want into stop 3", y, err)
	}
	mu.Lock()
	site.version, site.header = "2", 800
	mu.Unlock()
	h.Reload("2")
	waitFor("reloaded", `window.marker===undefined&&document.readyState==="complete"&&document.querySelector("header").offsetHeight===800`)
	// Chromium restores a reloaded page to its scroll anchor by itself, so
	// the final place does not prove the script's part; what it saved does.
	waitFor("same place in stop 3", `Math.abs(document.getElementById("stop-3").getBoundingClientRect().top+200)<2`)
	waitFor("saved the stop", `(()=>{const p=JSON.parse(window.saved);return p.id==="stop-3"&&Math.abs(p.o-200)<2&&Math.abs(p.y-`+fmt.Sprint(y)+`)<2})()`)
	waitFor("consumed the record", `sessionStorage.getItem("dateline:/report/")===null`)
	waitClients(t, h, 1)

	// Restoring, on a fresh visit (no browser restoration): to the stop,
	// or to the plain offset when the stop is gone.
	for _, tt := range []struct{ record, want string }{
		{`{"id":"stop-2","o":300,"y":50}`, `Math.abs(document.getElementById("stop-2").getBoundingClientRect().top+300)<2`},
		{`{"id":"stop-9","o":300,"y":777}`, `Math.abs(scrollY-777)<2`},
		{`{"id":"","o":0,"y":1234}`, `Math.abs(scrollY-1234)<2`},
	} {
		eval(fmt.Sprintf(`sessionStorage.setItem("dateline:/report/",%q),true`, tt.record))
		if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+"/report/")); err != nil {
			t.Fatal(err)
		}
		waitFor("restored "+tt.record, tt.want)
	}
	waitClients(t, h, 1)

	// A stylesheet change: swapped in place, no reload.
	eval(`window.marker=2,true`)
	mu.Lock()
	site.css = "/assets/style.bbbbbbbbbb.css"
	mu.Unlock()
	h.CSS("3", []string{"/assets/style.bbbbbbbbbb.css"})
	waitFor("restyled", `getComputedStyle(document.body).color==="rgb(0, 0, 255)"`)
	waitFor("one stylesheet", `document.querySelectorAll('link[rel="stylesheet"]').length===1&&document.querySelector("link").getAttribute("href")==="/assets/style.bbbbbbbbbb.css"`)
	if !eval(`window.marker===2`) {
		t.Error("the page reloaded for a stylesheet change")
	}

	// A page built at an old version reloads as soon as it connects.
	mu.Lock()
	site.stale, site.version = 1, "3"
	before := site.served
	mu.Unlock()
	if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+"/report/")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * patience)
	for {
		mu.Lock()
		n := site.served - before
		mu.Unlock()
		if n >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the stale page was served %d times; want a reload on connect", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// And a page at the hub's version stays.
	waitClients(t, h, 1)
	mu.Lock()
	n := site.served - before
	mu.Unlock()
	if n != 2 {
		t.Errorf("served %d times; want 2 (the stale page, then its reload)", n)
	}
}
