package theme

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"path"
	"strings"
	"testing"
	"time"

	"dateline/cmd/internal/browsertest"

	"github.com/chromedp/chromedp"
)

// TestJourneyInBrowser runs the default theme's report page in headless
// Chromium: the navigator marks the stop being read, the language switcher
// keeps the reader's stop, and no width from a phone to a desktop scrolls
// sideways.
func TestJourneyInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	s := loadDefault(t)
	assets := map[string][]byte{}
	var css, js []string
	for _, f := range s.Static() {
		u := "/assets/" + f.Path
		assets[u] = f.Data
		switch {
		case strings.HasPrefix(f.Path, "css/"):
			css = append(css, u)
		case strings.HasPrefix(f.Path, "js/"):
			js = append(js, u)
		}
	}
	pages := map[string][]byte{}
	for _, lang := range []string{"zh", "en"} {
		p := reportPage(t, s, lang)
		p.CSS, p.JS = css, js
		var buf bytes.Buffer
		if err := s.Execute(&buf, p); err != nil {
			t.Fatal(err)
		}
		pages[p.URL] = buf.Bytes()
	}
	// Photos in the shapes the fixtures declare: a wrong shape would shift
	// the layout when it loads.
	photos := map[string][]byte{}
	for name, size := range map[string]image.Point{"hero": {16, 9}, "hero.800": {16, 9}, "hall": {12, 8}} {
		img := image.NewRGBA(image.Rectangle{Max: size})
		img.Set(0, 0, color.Black)
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		photos["/assets/photos/"+name+".jpg"] = b.Bytes()
	}
	base := browsertest.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b, ok := pages[r.URL.Path]; ok {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(b)
			return
		}
		if b, ok := assets[r.URL.Path]; ok {
			w.Header().Set("Content-Type", map[string]string{".css": "text/css", ".js": "text/javascript"}[path.Ext(r.URL.Path)])
			w.Write(b)
			return
		}
		if b, ok := photos[r.URL.Path]; ok {
			time.Sleep(200 * time.Millisecond) // after the first paint
			w.Header().Set("Content-Type", "image/png")
			w.Write(b)
			return
		}
		http.NotFound(w, r)
	}))
	bctx := browsertest.Browser(t, 2*time.Minute)

	eval := func(expr string) bool {
		ok, err := chromedp.Run(bctx, chromedp.Evaluate[bool](expr))
		return err == nil && ok
	}
	waitFor := func(what, expr string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !eval(expr) {
			if time.Now().After(deadline) {
				state, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`JSON.stringify({url:location.href,y:scrollY,h:innerHeight,H:document.documentElement.scrollHeight,tops:[...document.querySelectorAll("section.stop")].map(s=>[Math.round(s.getBoundingClientRect().top),Math.round(s.getBoundingClientRect().bottom)]),w:document.documentElement.scrollWidth,cur:[...document.querySelectorAll(".journey a[aria-current]")].map(a=>a.hash)})`))
				t.Fatalf("%s: %s never held; page state %s", what, expr, state)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	scrollTo := func(id string) {
		t.Helper()
		if !eval(`(()=>{const s=document.getElementById("` + id + `");scrollTo({top:s.getBoundingClientRect().top+scrollY,behavior:"instant"});return true})()`) {
			t.Fatalf("cannot scroll to %s", id)
		}
	}

	for _, w := range []int64{390, 820, 1366} {
		if err := chromedp.Do(bctx, chromedp.EmulateViewport(w, 900), chromedp.Navigate(base+"/zh/yuhang/")); err != nil {
			t.Fatal(err)
		}
		waitFor("loaded", `document.readyState==="complete"`)
		waitFor("no sideways scrolling at this width", `document.documentElement.scrollWidth<=innerWidth`)
		cls, err := chromedp.Run(bctx, chromedp.Evaluate[float64](`new Promise(done=>{let c=0;new PerformanceObserver(l=>{for(const e of l.getEntries())if(!e.hadRecentInput)c+=e.value}).observe({type:"layout-shift",buffered:true});setTimeout(()=>done(c),500)})`, chromedp.EvalAwaitPromise))
		if err != nil || cls > 0.001 {
			t.Errorf("width %d: cumulative layout shift %v (%v); want 0", w, cls, err)
		}
		sticky := eval(`getComputedStyle(document.querySelector(".journey")).position==="sticky"`)
		if sticky != (w >= 1024) {
			t.Errorf("width %d: journey sticky = %v; want sticky only on wide screens", w, sticky)
		}
	}

	// Above the first stop, none is current. Reading stop 3 marks it, and
	// the stops before it as passed. (The padding lets the short fixture
	// stops reach the top of the window.)
	eval(`document.body.style.paddingBottom="1500px",true`)
	waitFor("no stop current in the lede", `document.querySelector(".journey a[aria-current]")===null`)
	scrollTo("stop-3")
	waitFor("stop 3 current", `document.querySelector(".journey a[aria-current=step]")?.hash==="#stop-3"`)
	if n := eval(`document.querySelectorAll(".journey a[aria-current]").length===1`); !n {
		t.Errorf("more than one stop is current")
	}
	if !eval(`[...document.querySelectorAll(".journey-stop")].map(li=>li.classList.contains("passed")).join()==="true,true,false,false"`) {
		t.Errorf("stops 1 and 2 are not marked as passed")
	}

	// The switcher takes the reader to the same stop in the other
	// edition: the fragment of the address, else the stop being read.
	scrollTo("stop-4")
	waitFor("stop 4 current", `document.querySelector(".journey a[aria-current=step]")?.hash==="#stop-4"`)
	eval(`document.querySelector('.lang-switch a[hreflang="en"]').click(),true`)
	waitFor("English edition at stop 4", `location.pathname==="/en/yuhang/"&&location.hash==="#stop-4"`)
	waitFor("loaded", `document.readyState==="complete"`)
	eval(`document.body.style.paddingBottom="1500px",true`)
	eval(`location.hash="#stop-2",true`)
	eval(`document.querySelector('.lang-switch a[hreflang="zh-CN"]').click(),true`)
	waitFor("Chinese edition at stop 2", `location.pathname==="/zh/yuhang/"&&location.hash==="#stop-2"`)
}
