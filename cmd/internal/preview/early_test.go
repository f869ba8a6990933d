package preview

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"io/fs"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"dateline/cmd/internal/problem"
)

// gateFS holds back the opening of one file until gate is closed: a first
// build that takes as long as a test needs. Only the full build reads that
// file; the reports a test asks for do not use it.
type gateFS struct {
	fs.FS
	name string
	gate chan struct{}
}

func (g gateFS) Open(name string) (fs.File, error) {
	if name == g.name {
		<-g.gate
	}
	return g.FS.Open(name)
}

// earlySite is baseSite with a photo in alpha (wide enough for resized
// copies) and a third report, zeta, whose Chinese file the first build
// cannot read until the gate opens.
func earlySite(t testing.TB) map[string]string {
	files := baseSite()
	files["content/alpha/photos/wide.png"] = string(widePNG(t))
	files["content/alpha/zh.md"] = zhReport("余杭考察记", "导语：考察团走进余杭。ALPHA-ZH-1\n\n![宽图](photos/wide.png \"图注（李明 摄）\")")
	files["content/alpha/en.md"] = enReport("A visit to Yuhang", "The delegation came to Yuhang. ALPHA-EN-1\n\n![Wide](photos/wide.png \"Caption (Photo: Li Ming)\")")
	files["content/zeta/zh.md"] = zhReport("最后一篇", "ZETA-ZH-1")
	files["content/zeta/en.md"] = enReport("The last one", "ZETA-EN-1")
	return files
}

// launchGated serves the site in dir with its first build held back.
func launchGated(t *testing.T, dir string) (*harness, chan struct{}) {
	gate := make(chan struct{})
	h, _ := launch(t, dir, Options{FS: gateFS{FS: os.DirFS(dir), name: "content/zeta/zh.md", gate: gate}})
	t.Cleanup(func() {
		select {
		case <-gate:
		default:
			close(gate)
		}
	})
	return h, gate
}

// widePNG returns a 1200×8 PNG: the photo cache makes resized copies.
func widePNG(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 1200, 8))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// fetch is a GET that may run on any goroutine.
//
// Chinese headlines carry <wbr> between their phrases (package phrase):
// the body comes without them, so that tests look for the words a reader
// sees. fetchRaw gives the bytes as served.
func fetch(url string) (int, string, error) {
	code, body, err := fetchRaw(url)
	return code, strings.ReplaceAll(body, "<wbr>", ""), err
}

func fetchRaw(url string) (int, string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

// pending is a request sent during the first build, answered when it is.
type pending struct {
	path  string
	early bool // answered while the first build was held back
	code  int
	body  string
	err   error
}

// sendAll requests paths on their own goroutines; the answers come on the
// channel, marked early when released was not yet set.
func sendAll(h *harness, released *atomic.Bool, paths ...string) <-chan pending {
	answers := make(chan pending, len(paths))
	for _, p := range paths {
		go func() {
			code, body, err := fetch(h.url + p)
			answers <- pending{path: p, early: !released.Load(), code: code, body: body, err: err}
		}()
	}
	return answers
}

var earlyScript = regexp.MustCompile(`v="[0-9a-z]+\.0-0"`)

var assetRef = regexp.MustCompile(`/assets/[^"' >,]+`)

// TestEarlyPages asks for pages while the first build is held back: report
// pages come at once, complete, and everything else only once the build is
// served, complete too.
func TestEarlyPages(t *testing.T) {
	h, gate := launchGated(t, newSite(t, earlySite(t)))
	var released atomic.Bool
	lists := sendAll(h, &released, "/", "/zh/", "/en/feed.xml", "/sitemap.xml", "/sitemap-reports-1.xml", "/zh/no-such-report/", "/favicon.ico")

	code, page := h.get("/zh/alpha/")
	if code != 200 || !strings.Contains(page, "ALPHA-ZH-1") || !strings.Contains(page, `lang="zh-CN"`) {
		t.Fatalf("GET /zh/alpha/ during the first build = %d:\n%s", code, page)
	}
	if !strings.Contains(page, EventsPath) || !earlyScript.MatchString(page) {
		t.Errorf("early page without the live-reload script at the early version")
	}
	if _, ok := overlay(page); ok || strings.Contains(page, "dateline-warnings") {
		t.Errorf("early page shows problems, none being known yet")
	}
	// Complete: its stylesheets, scripts, the photo and its resized copies.
	refs := slices.Compact(slices.Sorted(slices.Values(assetRef.FindAllString(page, -1))))
	var photos int
	for _, ref := range refs {
		if strings.HasPrefix(ref, "/assets/photos/") {
			photos++
		}
		if code, _ := h.get(ref); code != 200 {
			t.Errorf("GET %s (used by the early page) = %d", ref, code)
		}
	}
	if photos < 3 {
		t.Errorf("early page uses %d photo files (%q); want the photo and its resized copies", photos, refs)
	}
	if code, body := h.get("/en/beta/"); code != 200 || !strings.Contains(body, "BETA-EN-1") {
		t.Errorf("GET /en/beta/ during the first build = %d", code)
	}
	resp, _ := rawGet(t, h.host, "GET", "/zh/alpha", nil)
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/zh/alpha/" {
		t.Errorf("GET /zh/alpha during the first build = %s to %q; want 302 to /zh/alpha/", resp.Status, resp.Header.Get("Location"))
	}
	events := h.subscribe()
	if n := h.buildCount(); n != 0 {
		t.Fatalf("%d builds published while the first was held back", n)
	}

	released.Store(true)
	close(gate)
	want := map[string]struct {
		code int
		has  []string
	}{
		"/":                      {200, []string{"余杭考察记", "The last one"}},
		"/zh/":                   {200, []string{"余杭考察记", "夜市的烟火气", "最后一篇"}},
		"/en/feed.xml":           {200, []string{"A visit to Yuhang", "The night market", "The last one"}},
		"/sitemap.xml":           {200, []string{"/sitemap-lists.xml", "/sitemap-reports-1.xml"}},
		"/sitemap-reports-1.xml": {200, []string{"/zh/alpha/", "/en/zeta/"}},
		"/zh/no-such-report/":    {404, nil},
		"/favicon.ico":           {200, nil}, // the theme's, at the root
	}
	for range want {
		var a pending
		select {
		case a = <-lists:
		case <-time.After(patience):
			t.Fatalf("requests sent during the first build not answered within %v of it", patience)
		}
		w := want[a.path]
		switch {
		case a.err != nil:
			t.Errorf("GET %s: %v", a.path, a.err)
		case a.early:
			t.Errorf("GET %s was answered (%d) before the first build was served", a.path, a.code)
		case a.code != w.code:
			t.Errorf("GET %s = %d; want %d", a.path, a.code, w.code)
		}
		for _, s := range w.has {
			if !strings.Contains(a.body, s) {
				t.Errorf("GET %s lacks %q", a.path, s)
			}
		}
	}
	first := <-h.builds
	if !first.Full || first.Version != 1 || len(first.Problems) != 0 {
		t.Errorf("first build = %+v; want full, version 1, no problems", first)
	}
	// The build is clean and its page is the one served early but for the
	// onward links, which name other reports (series.go) that the early
	// page could not read while the first build held them: the open page
	// reloads to the build's.
	ev := nextEvent(t, events, "reload")
	if !strings.Contains(ev.data, ".1") {
		t.Errorf("reload after the first build at version %q; want version 1", ev.data)
	}
	_, after := h.get("/zh/alpha/")
	onward := regexp.MustCompile(`<aside class="?onward.*?</aside>`)
	if strings.Contains(page, "onward-title") || !strings.Contains(after, "onward-title") {
		t.Errorf("onward links: early page %v, first build's %v; want them only once the site is read", strings.Contains(page, "onward-title"), strings.Contains(after, "onward-title"))
	}
	if got, want := earlyScript.ReplaceAllString(page, ""), onward.ReplaceAllString(regexp.MustCompile(`v="[0-9a-z]+\.1"`).ReplaceAllString(after, ""), ""); got != want {
		t.Errorf("the page served early differs from the first build's beyond its onward links")
	}
}

// TestEarlyEdit edits a report whose page was served during the first
// build: the open page reloads, the page is never served stale again, and
// the site is current when the server is ready.
func TestEarlyEdit(t *testing.T) {
	h, gate := launchGated(t, newSite(t, earlySite(t)))
	if _, body := h.get("/zh/alpha/"); !strings.Contains(body, "ALPHA-ZH-1") {
		t.Fatalf("early page lacks ALPHA-ZH-1")
	}
	events := h.subscribe()
	writeFile(t, h.dir, "content/alpha/zh.md", zhReport("余杭考察记", "改过了。ALPHA-ZH-2\n\n![宽图](photos/wide.png \"图注（李明 摄）\")"))
	ev := nextEvent(t, events, "reload")
	if !strings.Contains(ev.data, ".0-") {
		t.Errorf("reload during the first build at version %q; want an early version", ev.data)
	}
	if _, body := h.get("/zh/alpha/"); !strings.Contains(body, "ALPHA-ZH-2") || strings.Contains(body, "ALPHA-ZH-1") {
		t.Errorf("after the reload during the first build, the page is stale:\n%s", body)
	}
	// A new report, written during the first build, is served as well.
	writeFile(t, h.dir, "content/eta/zh.md", zhReport("新来的", "ETA-ZH-1"))
	h.waitFor("the new report served early", func() bool {
		code, body, _ := fetch(h.url + "/zh/eta/")
		return code == 200 && strings.Contains(body, "ETA-ZH-1")
	})
	if n := h.buildCount(); n != 0 {
		t.Fatalf("%d builds published while the first was held back", n)
	}
	close(gate)
	select {
	case <-h.srv.Ready():
	case <-time.After(patience):
		t.Fatalf("not ready within %v of the first build's release", patience)
	}
	builds := h.builtSoFar()
	if len(builds) < 2 || !builds[0].Full || !slices.ContainsFunc(builds[1:], func(b Build) bool { return slices.Contains(b.Changed, "content/alpha/zh.md") }) {
		t.Errorf("builds when ready: %+v; want the first and a rebuild of content/alpha/zh.md", builds)
	}
	// The new report's page came from its folder, with no word from the
	// watcher, which can be late on a loaded machine: the front page lists
	// it once the watcher has told, before the first build ends or after.
	for path, marker := range map[string]string{"/zh/alpha/": "ALPHA-ZH-2", "/zh/eta/": "ETA-ZH-1", "/zh/": "新来的"} {
		h.waitFor("GET "+path+" with "+marker, func() bool {
			code, body, _ := fetch(h.url + path)
			return code == 200 && strings.Contains(body, marker)
		})
	}
}

// TestEarlyProblems starts on a site with a broken edition: its page waits
// for the first build (and shows the overlay then), the other pages are
// served early and reload when the build has problems to show.
func TestEarlyProblems(t *testing.T) {
	files := earlySite(t)
	files["content/beta/en.md"] = "---\ndate: 2025-06-12\n---\n\nno title BETA-EN-BROKEN\n"
	h, gate := launchGated(t, newSite(t, files))
	var released atomic.Bool
	broken := sendAll(h, &released, "/en/beta/")
	if code, body := h.get("/zh/beta/"); code != 200 || !strings.Contains(body, "BETA-ZH-1") {
		t.Fatalf("GET /zh/beta/ during the first build = %d", code)
	}
	events := h.subscribe()
	released.Store(true)
	close(gate)

	var a pending
	select {
	case a = <-broken:
	case <-time.After(patience):
		t.Fatalf("GET /en/beta/ not answered within %v of the first build", patience)
	}
	if a.early || a.code != 404 {
		t.Errorf("GET /en/beta/ (broken) = %d, early %v; want 404 after the first build", a.code, a.early)
	}
	if items, ok := overlay(a.body); !ok || len(items) == 0 || !strings.HasPrefix(items[0], "content/beta/en.md") {
		t.Errorf("broken edition's page: overlay %q, %v; want content/beta/en.md's error", items, ok)
	}
	nextEvent(t, events, "reload")
	if _, body := h.get("/zh/beta/"); !strings.Contains(body, `id="dateline-overlay"`) {
		t.Errorf("after the first build, /zh/beta/ shows no overlay")
	}
	if len(problem.Errors(h.readyProblems(t), false)) == 0 {
		t.Errorf("no errors after the first build")
	}
}

// readyProblems returns the server's problems once the first build is served.
func (h *harness) readyProblems(t *testing.T) []problem.Problem {
	select {
	case <-h.srv.Ready():
	case <-time.After(patience):
		t.Fatalf("not ready within %v", patience)
	}
	return h.srv.Problems()
}

// TestYieldFS checks the first build's file system: the same files as the
// site's, the same symbolic-link interface, and reads that wait for a
// request's build to end, but not for ever.
func TestYieldFS(t *testing.T) {
	dir := newSite(t, baseSite())
	e := newEarly()
	fsys := yieldFS(os.DirFS(dir), e)
	if err := fstest.TestFS(fsys, "content/site.toml", "content/alpha/zh.md", "content/beta/en.md"); err != nil {
		t.Error(err)
	}
	if _, ok := fsys.(fs.ReadLinkFS); !ok {
		t.Errorf("yieldFS(os.DirFS) is not an fs.ReadLinkFS: content would follow links it refuses")
	}
	if _, ok := yieldFS(gateFS{FS: os.DirFS(dir)}, e).(fs.ReadLinkFS); ok {
		t.Errorf("yieldFS of a file system without links is an fs.ReadLinkFS")
	}
	read := func() <-chan struct{} {
		done := make(chan struct{})
		go func() {
			if _, err := fs.ReadFile(fsys, "content/site.toml"); err != nil {
				t.Error(err)
			}
			close(done)
		}()
		return done
	}
	wait := func(done <-chan struct{}, what string) {
		select {
		case <-done:
		case <-time.After(patience):
			t.Fatalf("%s: the read did not end within %v", what, patience)
		}
	}
	e.busy()
	done := read()
	e.done()
	wait(done, "after the request's build")
	e.busy() // a request that never ends
	wait(read(), "during a request's build")
	e.done()
}
