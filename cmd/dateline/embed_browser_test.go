package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/cmd/internal/browsertest"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// embedReport is a report with five ::: embed figures, one per kind of
// source: Datawrapper (with a fallback image), Flourish, YouTube, Vimeo and
// a host the site allows. Long text between them puts the later ones
// below the fold, so that scrolling reaches them.
func embedSite(t *testing.T) map[string][]byte {
	t.Helper()
	filler := strings.Repeat("河道管理处的记录显示，这段堤防在过去十年里经历了三次较大的汛情，每一次都有新的隐患被发现。\n\n", 12)
	md := `---
title: 五个嵌入
date: 2025-06-01
---

导语。

::: embed https://datawrapper.dwcdn.net/Qx7Lk/1/
新堤三个标段的长度

图片来源：项目部

![条形图](photos/chart.png)
:::

` + filler + `
::: embed https://flo.uri.sh/visualisation/123456/embed
航线图
:::

` + filler + `
::: embed https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10
采访视频
:::

` + filler + `
::: embed https://vimeo.com/123456789
纪录片
:::

` + filler + `
::: embed https://graphics.example.cn/chart/1
本报图表
:::

` + filler
	files := map[string][]byte{
		"content/site.toml": []byte(`base_url = "https://news.example.cn/"
[languages.zh]
tag = "zh-CN"
[embeds]
allow = ["graphics.example.cn"]
`),
		"content/embeds/zh.md":            []byte(md),
		"content/embeds/photos/chart.png": pngPhoto(t, 120, 60, 7),
	}
	return files
}

// embedFrames are the frames the five embeds load, in page order: the
// address each iframe must get when the reader asks for it.
var embedFrames = []struct{ class, src string }{
	{"embed-datawrapper", "https://datawrapper.dwcdn.net/Qx7Lk/1/"},
	{"embed-flourish", "https://flo.uri.sh/visualisation/123456/embed"},
	{"embed-youtube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"},
	{"embed-vimeo", "https://player.vimeo.com/video/123456789?dnt=1"},
	{"embed-embed", "https://graphics.example.cn/chart/1"},
}

// requestLog records every request a tab makes, as the DevTools network
// domain and the Fetch domain see it.
type requestLog struct {
	mu   sync.Mutex
	urls []string
}

func (l *requestLog) add(u string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !slices.Contains(l.urls, u) {
		l.urls = append(l.urls, u)
	}
}

// foreign returns the requests, from the n-th on, to any host but the
// loopback server's.
func (l *requestLog) foreign(n int) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, s := range l.urls[min(n, len(l.urls)):] {
		if u, err := url.Parse(s); err != nil || u.Hostname() != "127.0.0.1" {
			out = append(out, s)
		}
	}
	return out
}

func (l *requestLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.urls)
}

// frameStub is what every request to another host gets instead of the
// network: a tiny page, answered by the test through the Fetch domain.
const frameStub = "<!doctype html><title>stub</title><p>stub frame</p>"

// TestEmbedsLoadOnlyWhenAsked builds a report with five embeds, serves it
// on 127.0.0.1 and opens it in headless Chromium, recording every request
// through the DevTools network domain while the Fetch domain pauses each
// one: requests to the loopback server go on, any other is answered with a
// stub page (so no request leaves the machine; --host-resolver-rules makes
// sure of it). On first paint and after scrolling through the page no
// request goes to another host; a click on one facade then requests
// exactly that embed's frame, at the privacy-minded address
// (youtube-nocookie, Vimeo with dnt=1). With JavaScript disabled, the
// fallback image and link show and the load button stays hidden.
func TestEmbedsLoadOnlyWhenAsked(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	browsertest.Chromium(t) // skip (or fail under CI) before building
	dir := t.TempDir()
	writeSite(t, dir, embedSite(t))
	out := filepath.Join(t.TempDir(), "public")
	t.Setenv("DATELINE_CACHE", t.TempDir())
	if code, stdout, stderr := dateline(t, "build", "-s", dir, "-o", out); code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, stdout, stderr)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()
	pageURL := srv.URL + "/zh/embeds/"

	bctx := browsertest.Browser(t, 3*time.Minute,
		chromedp.WindowSize(1000, 800),
		chromedp.Flag("disable-component-update", true),
		// Frames of other sites stay in the page's process, so the page's
		// DevTools session sees their requests too.
		chromedp.Flag("disable-features", "IsolateOrigins,site-per-process"),
		chromedp.Flag("disable-site-isolation-trials", true),
		// No name but the loopback address resolves: even a request the
		// test failed to intercept could not reach the network.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"))

	// openTab opens a tab that logs and intercepts every request.
	openTab := func(t *testing.T, script bool) (context.Context, *requestLog) {
		tctx, cancel := chromedp.NewContext(bctx)
		t.Cleanup(cancel)
		tg, err := chromedp.Run(tctx, func(ctx context.Context, tg *chromedp.Target) (*chromedp.Target, error) { return tg, nil })
		if err != nil {
			t.Fatalf("opening a tab: %v", err)
		}
		log := &requestLog{}
		ectx, stop := context.WithCancel(tctx)
		t.Cleanup(stop)
		sent := cdp.Events(ectx, tg, network.RequestWillBeSent)
		paused := cdp.Events(ectx, tg, fetch.RequestPaused)
		go func() {
			for ev, err := range sent {
				if err != nil {
					return
				}
				log.add(ev.Request.URL)
			}
		}()
		go func() {
			for ev, err := range paused {
				if err != nil {
					return
				}
				log.add(ev.Request.URL)
				if u, err := url.Parse(ev.Request.URL); err == nil && u.Hostname() == "127.0.0.1" {
					_, _ = cdp.Call(ectx, tg, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
					continue
				}
				_, _ = cdp.Call(ectx, tg, fetch.FulfillRequest, fetch.FulfillRequestParams{
					RequestID:       ev.RequestID,
					ResponseCode:    200,
					ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/html; charset=utf-8"}},
					Body:            []byte(frameStub),
				})
			}
		}()
		setup := func(ctx context.Context, tg *chromedp.Target) error {
			// A tab in the background gets no animation frames.
			if _, err := cdp.Call(ctx, tg, page.BringToFront, cdp.Empty{}); err != nil {
				return err
			}
			if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
				return err
			}
			if _, err := cdp.Call(ctx, tg, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
				return err
			}
			if _, err := cdp.Call(ctx, tg, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*", RequestStage: fetch.RequestStageRequest}}}); err != nil {
				return err
			}
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !script})
			return err
		}
		if err := chromedp.Do(tctx, chromedp.Func(setup)); err != nil {
			t.Fatalf("setting up the tab: %v", err)
		}
		return tctx, log
	}
	eval := func(t *testing.T, ctx context.Context, expr string) any {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[any](expr))
		if err != nil {
			t.Fatalf("evaluating %s: %v", expr, err)
		}
		return v
	}

	t.Run("click to load", func(t *testing.T) {
		tctx, log := openTab(t, true)
		if err := chromedp.Do(tctx,
			chromedp.Navigate(pageURL),
			chromedp.WaitVisible(chromedp.CSS(`figure.embed-datawrapper .embed-load`)),
		); err != nil {
			t.Fatalf("loading %s: %v", pageURL, err)
		}
		if n := eval(t, tctx, `document.querySelectorAll("figure.embed .embed-load:not([hidden])").length`); n != float64(len(embedFrames)) {
			t.Errorf("%v load buttons shown; want %d", n, len(embedFrames))
		}
		if f := log.foreign(0); len(f) > 0 {
			t.Errorf("on first paint the page requested other hosts: %q", f)
		}
		// Scroll through the whole page, a screen at a time, so that
		// anything lazy below the fold would load.
		end := false
		for i := 0; i < 80 && !end; i++ {
			end = eval(t, tctx, `window.scrollBy({top: 700, behavior: "instant"}); window.scrollY + innerHeight >= document.documentElement.scrollHeight - 2`) == true
			time.Sleep(50 * time.Millisecond)
		}
		if !end {
			t.Fatal("scrolling never reached the end of the page")
		}
		time.Sleep(500 * time.Millisecond)
		if f := log.foreign(0); len(f) > 0 {
			t.Errorf("after scrolling the page requested other hosts: %q", f)
		}
		if log.len() == 0 {
			t.Fatal("no request was recorded at all: the log does not work")
		}

		// Each click loads exactly its own frame, nothing else.
		for i, want := range embedFrames {
			before := log.len()
			button := chromedp.CSS("figure." + want.class + " .embed-load")
			frame := chromedp.CSS("figure." + want.class + " iframe")
			cctx, cancel := context.WithTimeout(tctx, 15*time.Second)
			err := chromedp.Do(cctx,
				chromedp.ScrollIntoView(button),
				chromedp.Click(button),
				chromedp.WaitReady(frame),
			)
			cancel()
			if err != nil {
				t.Fatalf("clicking %s: %v", button, err)
			}
			src, err := chromedp.Run(tctx, chromedp.AttributeValue(frame, "src"))
			if err != nil {
				t.Fatal(err)
			}
			title, err := chromedp.Run(tctx, chromedp.AttributeValue(frame, "title"))
			if err != nil {
				t.Fatal(err)
			}
			if src.Value != want.src {
				t.Errorf("embed %d (%s): iframe src %q; want %q", i+1, want.class, src.Value, want.src)
			}
			if title.Value == "" {
				t.Errorf("embed %d (%s): iframe has no title", i+1, want.class)
			}
			for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && len(log.foreign(before)) == 0; {
				time.Sleep(20 * time.Millisecond)
			}
			// Give a stray second request time to show.
			time.Sleep(300 * time.Millisecond)
			if got := log.foreign(before); !slices.Equal(got, []string{want.src}) {
				t.Errorf("clicking embed %d (%s) requested %q; want exactly %q", i+1, want.class, got, want.src)
			}
			if n := eval(t, tctx, `document.querySelectorAll("iframe").length`); n != float64(i+1) {
				t.Errorf("after %d clicks the page has %v iframes", i+1, n)
			}
		}
	})

	t.Run("without JavaScript", func(t *testing.T) {
		tctx, log := openTab(t, false)
		if err := chromedp.Do(tctx,
			chromedp.Navigate(pageURL),
			chromedp.WaitReady(chromedp.CSS("body")),
			chromedp.Sleep(300*time.Millisecond),
		); err != nil {
			t.Fatalf("loading %s without JavaScript: %v", pageURL, err)
		}
		img := `document.querySelector("figure.embed-datawrapper .embed-facade a.embed-link img")`
		if ok := eval(t, tctx, img+`.complete && `+img+`.naturalWidth > 0`); ok != true {
			t.Error("the fallback image did not load")
		}
		if w := eval(t, tctx, img+`.getBoundingClientRect().width`); w.(float64) < 100 {
			t.Errorf("the fallback image shows %v px wide", w)
		}
		if hidden := eval(t, tctx, `[...document.querySelectorAll(".embed-load")].every(b => b.hidden && b.getBoundingClientRect().height === 0)`); hidden != true {
			t.Error("a load button shows without JavaScript, where it can do nothing")
		}
		if href := eval(t, tctx, `document.querySelector("figure.embed-datawrapper a.embed-link").getAttribute("href")`); href != "https://datawrapper.dwcdn.net/Qx7Lk/1/" {
			t.Errorf("fallback link href %v", href)
		}
		if txt := eval(t, tctx, `document.querySelector("figure.embed-vimeo a.embed-link").innerText.trim()`); txt != "纪录片" {
			t.Errorf("an embed without a fallback image shows link text %q; want its title", txt)
		}
		if n := eval(t, tctx, `document.querySelectorAll("iframe").length`); n != float64(0) {
			t.Errorf("%v iframes without JavaScript; want 0", n)
		}
		// The page's own script did not run: embed.js would unhide the
		// buttons.
		if f := log.foreign(0); len(f) > 0 {
			t.Errorf("without JavaScript the page requested other hosts: %q", f)
		}
	})
}
