package preview

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/cmd/internal/problem"
	"dateline/cmd/internal/watch"
	"dateline/themes"
)

// patience bounds every wait, so that a broken server fails a test instead
// of hanging it.
const patience = 10 * time.Second

const siteTOML = `timezone = "Asia/Shanghai"
default_language = "zh"
[languages.zh]
tag = "zh-CN"
name = "中文"
title = "纵深"
[languages.en]
tag = "en"
name = "English"
title = "In Depth"
`

// zhReport and enReport return an edition with the given title and body.
func zhReport(title, body string) string {
	return "---\ntitle: " + title + "\ndate: 2025-06-12\ndateline: 杭州\nauthors: [{name: 李明, role: 文}]\n---\n\n" + body + "\n"
}

func enReport(title, body string) string {
	return "---\ntitle: " + title + "\ndate: 2025-06-12\ndateline: Hangzhou\nauthors: [{name: Li Ming, role: Text}]\n---\n\n" + body + "\n"
}

// baseSite is a small bilingual site without problems.
func baseSite() map[string]string {
	return map[string]string{
		"content/site.toml":   siteTOML,
		"content/alpha/zh.md": zhReport("余杭考察记", "导语：考察团走进余杭。ALPHA-ZH-1"),
		"content/alpha/en.md": enReport("A visit to Yuhang", "The delegation came to Yuhang. ALPHA-EN-1"),
		"content/beta/zh.md":  zhReport("夜市的烟火气", "夜市重新开张。BETA-ZH-1"),
		"content/beta/en.md":  enReport("The night market", "The night market is open again. BETA-EN-1"),
	}
}

func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		writeFile(t, dir, name, data)
	}
}

func writeFile(t testing.TB, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// event is one Server-Sent Event.
type event struct{ name, data string }

// harness is a running preview server on loopback.
type harness struct {
	t      testing.TB
	dir    string
	url    string // http://127.0.0.1:PORT
	host   string // 127.0.0.1:PORT
	srv    *Server
	builds chan Build
	first  Build

	mu  sync.Mutex
	all []Build
}

// start runs a server for the site in dir and waits for its first build.
// The server stops, and is checked to have stopped, when the test ends.
func start(t testing.TB, dir string, opts Options) *harness {
	t.Helper()
	h, done := launch(t, dir, opts)
	select {
	case h.first = <-h.builds:
	case err := <-done:
		t.Fatalf("Run returned before the first build: %v", err)
	case <-time.After(patience):
		t.Fatalf("no first build within %v", patience)
	}
	return h
}

// launch runs a server for the site in dir without waiting for anything;
// done receives what Run returns, unless the test's cleanup takes it.
func launch(t testing.TB, dir string, opts Options) (h *harness, done <-chan error) {
	t.Helper()
	h = &harness{t: t, dir: dir, builds: make(chan Build, 4096)}
	opts.Dir = dir
	if opts.Log == nil {
		opts.Log = testLog{t}
	}
	opts.OnBuild = func(b Build) {
		h.mu.Lock()
		h.all = append(h.all, b)
		h.mu.Unlock()
		select {
		case h.builds <- b:
		default:
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h.host = ln.Addr().String()
	h.url = "http://" + h.host
	h.srv = New(opts)
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- h.srv.Run(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-ran:
			if err != nil {
				t.Errorf("Run = %v; want nil after the context ends", err)
			}
		case <-time.After(patience):
			t.Errorf("Run did not return within %v of the context's end", patience)
		}
	})
	return h, ran
}

// testLog sends the server's log to the test log.
type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Logf("%s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// buildCount returns how many builds have been published.
func (h *harness) buildCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.all)
}

// builtSoFar returns the builds published so far.
func (h *harness) builtSoFar() []Build {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.all)
}

// get fetches a path and returns its status and body.
func (h *harness) get(path string) (int, string) {
	h.t.Helper()
	code, body, err := fetch(h.url + path)
	if err != nil {
		h.t.Fatalf("GET %s: %v", path, err)
	}
	return code, body
}

// waitFor waits until cond holds, checking it now and after every build:
// no sleeps, and never longer than patience.
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.After(patience)
	for !cond() {
		select {
		case <-h.builds:
		case <-deadline:
			h.mu.Lock()
			n := len(h.all)
			var last Build
			if n > 0 {
				last = h.all[n-1]
			}
			h.mu.Unlock()
			h.t.Fatalf("%s: not within %v (%d builds; last %+v)", what, patience, n, last)
		}
	}
}

// waitPage waits until the page at path answers with status and its body
// contains every one of want and none of unwanted.
func (h *harness) waitPage(path string, status int, want []string, unwanted ...string) string {
	h.t.Helper()
	var got string
	h.waitFor(fmt.Sprintf("GET %s = %d with %q, without %q", path, status, want, unwanted), func() bool {
		code, body := h.get(path)
		got = body
		if code != status {
			return false
		}
		for _, w := range want {
			if !strings.Contains(body, w) {
				return false
			}
		}
		for _, u := range unwanted {
			if strings.Contains(body, u) {
				return false
			}
		}
		return true
	})
	return got
}

// subscribe opens the event stream and returns its events.
func (h *harness) subscribe() <-chan event {
	h.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	h.t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", h.url+EventsPath, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("GET %s = %s", EventsPath, resp.Status)
	}
	events := make(chan event, 1024)
	go func() {
		defer resp.Body.Close()
		defer close(events)
		sc := bufio.NewScanner(resp.Body)
		var ev event
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.name != "" {
					events <- ev
				}
				ev = event{}
			case strings.HasPrefix(line, "event:"):
				ev.name = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
			case strings.HasPrefix(line, "data:"):
				ev.data = strings.TrimSpace(strings.TrimPrefix(line, "data:"))
			}
		}
	}()
	// The first frame is the version on connect.
	if ev := nextEvent(h.t, events, "version"); ev.data == "" {
		h.t.Fatalf("version event without data")
	}
	return events
}

// nextEvent returns the next event named name, skipping others.
func nextEvent(t testing.TB, events <-chan event, name string) event {
	t.Helper()
	deadline := time.After(patience)
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatalf("event stream ended waiting for %q", name)
			}
			if ev.name == name {
				return ev
			}
		case <-deadline:
			t.Fatalf("no %q event within %v", name, patience)
		}
	}
}

// newSite writes files into a fresh folder.
func newSite(t testing.TB, files map[string]string) string {
	dir := t.TempDir()
	writeFiles(t, dir, files)
	return dir
}

// overlay returns the problems listed in a page's error overlay, and
// whether the overlay is there.
func overlay(page string) ([]string, bool) {
	i := strings.Index(page, `id="dateline-overlay"`)
	if i < 0 {
		return nil, false
	}
	rest := page[i:]
	if j := strings.Index(rest, "</div>"); j >= 0 {
		rest = rest[:j]
	}
	var items []string
	for _, m := range problemItem.FindAllStringSubmatch(rest, -1) {
		items = append(items, m[1])
	}
	return items, true
}

var problemItem = regexp.MustCompile(`<li class="dateline-problem"[^>]*>([^<]*)</li>`)

func TestFirstBuildServesSite(t *testing.T) {
	h := start(t, newSite(t, baseSite()), Options{})
	if !h.first.Full || h.first.Version != 1 || len(h.first.Problems) != 0 {
		t.Errorf("first build = %+v; want full, version 1, no problems", h.first)
	}
	tests := []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{"/zh/", "/en/"}},
		{"/zh/", 200, []string{"余杭考察记", "夜市的烟火气", `href="/zh/alpha/"`}},
		{"/en/", 200, []string{"A visit to Yuhang"}},
		{"/zh/alpha/", 200, []string{"ALPHA-ZH-1", `lang="zh-CN"`}},
		{"/en/alpha/", 200, []string{"ALPHA-EN-1", `lang="en"`}},
	}
	for _, tt := range tests {
		code, body := h.get(tt.path)
		if code != tt.status {
			t.Errorf("GET %s = %d; want %d", tt.path, code, tt.status)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s lacks %q", tt.path, w)
			}
		}
		// Every page carries the live-reload script at the build's
		// version, and no overlay when nothing is wrong.
		if !strings.Contains(body, EventsPath) || !regexp.MustCompile(`v="[0-9a-z]+\.1"`).MatchString(body) {
			t.Errorf("GET %s: no live-reload script at version 1", tt.path)
		}
		if _, ok := overlay(body); ok || strings.Contains(body, "dateline-warnings") {
			t.Errorf("GET %s shows an overlay or warnings for a clean site", tt.path)
		}
	}
}

// TestEdits drives the server over HTTP while files change on disk, the
// ways editors and reporters change them.
func TestEdits(t *testing.T) {
	tests := []struct {
		name string
		edit func(t *testing.T, dir string)
		// then: path → status and text it must (not) show.
		checks []pageCheck
	}{
		{
			name: "plain save",
			edit: func(t *testing.T, dir string) {
				writeFile(t, dir, "content/alpha/zh.md", zhReport("余杭考察记", "导语已改写。ALPHA-ZH-2"))
			},
			checks: []pageCheck{
				{"/zh/alpha/", 200, []string{"ALPHA-ZH-2"}, []string{"ALPHA-ZH-1"}},
				{"/en/alpha/", 200, []string{"ALPHA-EN-1"}, nil},
			},
		},
		{
			name: "rename-over save",
			edit: func(t *testing.T, dir string) {
				// What vim (backupcopy=no), Sublime Text and JetBrains
				// IDEs do: write a temporary file, rename it over.
				tmp := filepath.Join(dir, "content", "alpha", "zh.md.tmp")
				if err := os.WriteFile(tmp, []byte(zhReport("余杭考察记", "另存后改名。ALPHA-ZH-3")), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Rename(tmp, filepath.Join(dir, "content", "alpha", "zh.md")); err != nil {
					t.Fatal(err)
				}
			},
			checks: []pageCheck{
				{"/zh/alpha/", 200, []string{"ALPHA-ZH-3"}, []string{"ALPHA-ZH-1"}},
			},
		},
		{
			name: "editor temp files",
			edit: func(t *testing.T, dir string) {
				for _, name := range []string{".zh.md.swp", "zh.md~", "4913", ".#zh.md", "zh.md.tmp"} {
					writeFile(t, dir, "content/alpha/"+name, "not markdown ---\n")
				}
				writeFile(t, dir, "content/alpha/zh.md", zhReport("余杭考察记", "临时文件之后。ALPHA-ZH-4"))
			},
			checks: []pageCheck{
				{"/zh/alpha/", 200, []string{"ALPHA-ZH-4"}, nil},
			},
		},
		{
			name: "new report folder",
			edit: func(t *testing.T, dir string) {
				writeFile(t, dir, "content/gamma/zh.md", zhReport("新来的报道", "全新的报道。GAMMA-ZH-1"))
				writeFile(t, dir, "content/gamma/en.md", enReport("A new report", "Brand new. GAMMA-EN-1"))
			},
			checks: []pageCheck{
				{"/zh/gamma/", 200, []string{"GAMMA-ZH-1"}, nil},
				{"/en/gamma/", 200, []string{"GAMMA-EN-1"}, nil},
				{"/zh/", 200, []string{"新来的报道", "余杭考察记"}, nil},
				{"/sitemap-reports-1.xml", 200, []string{"/zh/gamma/"}, nil},
			},
		},
		{
			name: "new nested folders at once",
			edit: func(t *testing.T, dir string) {
				// mkdir -p and write at once: the files inside folders
				// created before their watch existed are seen too.
				writeFile(t, dir, "content/delta/photos/a/b.png", string(pngBytes(t)))
				writeFile(t, dir, "content/delta/en.md", enReport("Nested", "DELTA-EN-1"))
				writeFile(t, dir, "content/delta/zh.md", zhReport("嵌套", "![图](photos/a/b.png \"图注（李明 摄）\")\n\nDELTA-ZH-1"))
			},
			checks: []pageCheck{
				{"/zh/delta/", 200, []string{"DELTA-ZH-1", `width="4"`}, nil},
			},
		},
		{
			name: "deleted report",
			edit: func(t *testing.T, dir string) {
				if err := os.RemoveAll(filepath.Join(dir, "content", "beta")); err != nil {
					t.Fatal(err)
				}
			},
			checks: []pageCheck{
				{"/zh/beta/", 404, nil, []string{"BETA-ZH-1"}},
				{"/en/beta/", 404, nil, []string{"BETA-EN-1"}},
				{"/zh/", 200, []string{"余杭考察记"}, []string{"夜市的烟火气"}},
				{"/sitemap-reports-1.xml", 200, []string{"/zh/alpha/"}, []string{"/zh/beta/"}},
				{"/zh/feed.xml", 200, []string{"余杭考察记"}, []string{"夜市的烟火气"}},
			},
		},
		{
			name: "deleted edition",
			edit: func(t *testing.T, dir string) {
				if err := os.Remove(filepath.Join(dir, "content", "beta", "en.md")); err != nil {
					t.Fatal(err)
				}
			},
			checks: []pageCheck{
				{"/en/beta/", 404, nil, nil},
				{"/zh/beta/", 200, []string{"BETA-ZH-1"}, []string{`hreflang="en"`}},
			},
		},
		{
			name: "renamed report",
			edit: func(t *testing.T, dir string) {
				if err := os.Rename(filepath.Join(dir, "content", "beta"), filepath.Join(dir, "content", "night-market")); err != nil {
					t.Fatal(err)
				}
			},
			checks: []pageCheck{
				{"/zh/beta/", 404, nil, nil},
				{"/zh/night-market/", 200, []string{"BETA-ZH-1"}, nil},
				{"/zh/", 200, []string{`href="/zh/night-market/"`}, []string{`href="/zh/beta/"`}},
			},
		},
		{
			name: "site.toml",
			edit: func(t *testing.T, dir string) {
				writeFile(t, dir, "content/site.toml", strings.Replace(siteTOML, `title = "纵深"`, `title = "新的站名SITETITLE"`, 1))
			},
			checks: []pageCheck{
				{"/zh/", 200, []string{"新的站名SITETITLE"}, nil},
				{"/zh/alpha/", 200, []string{"新的站名SITETITLE", "ALPHA-ZH-1"}, nil},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t, newSite(t, baseSite()), Options{})
			events := h.subscribe()
			tt.edit(t, h.dir)
			for _, c := range tt.checks {
				h.waitPage(c.path, c.status, c.want, c.unwanted...)
			}
			// The pages were told after the build was served: the page
			// fetched on "reload" is the new one.
			ev := nextEvent(t, events, "reload")
			if c := tt.checks[0]; c.status == 200 {
				h.waitPage(c.path, c.status, c.want, c.unwanted...)
			}
			if ps := h.srv.Problems(); len(problem.Errors(ps, false)) > 0 {
				t.Errorf("problems after the edit: %v", ps)
			}
			for _, b := range h.builtSoFar()[1:] {
				for _, p := range b.Changed {
					if strings.Contains(p, ".swp") || strings.HasSuffix(p, "~") || strings.HasSuffix(p, "4913") || strings.Contains(p, ".#") || strings.HasSuffix(p, ".tmp") {
						t.Errorf("build %d was caused by editor's temp file %s", b.Version, p)
					}
				}
			}
			if strings.HasSuffix(ev.data, ".1") {
				t.Errorf("reload event at version 1; want a later version")
			}
			// A change inside report folders rebuilds only those reports.
			if tt.name != "site.toml" {
				for _, b := range h.builtSoFar()[1:] {
					if b.Full {
						t.Errorf("build %d after %s was a full one; want an incremental rebuild", b.Version, b.Changed)
					}
				}
			}
		})
	}
}

// pngBytes returns a 4×3 PNG.
func pngBytes(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type pageCheck struct {
	path     string
	status   int
	want     []string
	unwanted []string
}

// TestReloadAfterBuild checks the order a browser relies on: when the
// "reload" event arrives, the new page is already being served.
func TestReloadAfterBuild(t *testing.T) {
	h := start(t, newSite(t, baseSite()), Options{})
	events := h.subscribe()
	for i := 2; i <= 6; i++ {
		marker := fmt.Sprintf("ALPHA-ZH-R%d", i)
		writeFile(t, h.dir, "content/alpha/zh.md", zhReport("余杭考察记", marker))
		for {
			ev := nextEvent(t, events, "reload")
			code, body := h.get("/zh/alpha/")
			if code != 200 || !strings.Contains(body, `v="`+ev.data+`"`) && !strings.Contains(body, marker) {
				t.Fatalf("on reload %s the page is %d, at another version: %s", ev.data, code, body)
			}
			if strings.Contains(body, marker) {
				break
			}
		}
	}
}

func TestBrokenThenFixed(t *testing.T) {
	h := start(t, newSite(t, baseSite()), Options{})
	// An unparsable date: an error with its file and line.
	broken := "---\ntitle: 余杭考察记\ndate: 2025-13-45\n---\n\n改坏了。ALPHA-ZH-BROKEN\n"
	writeFile(t, h.dir, "content/alpha/zh.md", broken)
	var problems []string
	h.waitFor("error overlay on every page", func() bool {
		for _, p := range []string{"/zh/alpha/", "/en/alpha/", "/zh/", "/", "/en/beta/", "/zh/no-such-page/"} {
			_, body := h.get(p)
			items, ok := overlay(body)
			if !ok {
				return false
			}
			problems = items
		}
		return true
	})
	if len(problems) != 1 || !strings.HasPrefix(problems[0], "content/alpha/zh.md:3: ") {
		t.Errorf("overlay lists %q; want one problem at content/alpha/zh.md:3", problems)
	}
	// The server goes on: the last good page stays readable under the
	// overlay, the other pages are current.
	if code, body := h.get("/zh/alpha/"); code != 200 || !strings.Contains(body, "ALPHA-ZH-1") {
		t.Errorf("broken report: GET /zh/alpha/ = %d without the last good text", code)
	}
	if code, _ := h.get("/zh/no-such-page/"); code != 404 {
		t.Errorf("GET /zh/no-such-page/ = %d; want 404 under the overlay", code)
	}

	// A second broken file joins the list.
	writeFile(t, h.dir, "content/beta/en.md", "---\ndate: 2025-06-12\n---\n\nno title\n")
	h.waitFor("two problems", func() bool {
		_, body := h.get("/zh/beta/")
		items, _ := overlay(body)
		return len(items) == 2
	})

	writeFile(t, h.dir, "content/alpha/zh.md", zhReport("余杭考察记", "修好了。ALPHA-ZH-FIXED"))
	writeFile(t, h.dir, "content/beta/en.md", enReport("The night market", "Fixed. BETA-EN-FIXED"))
	for _, p := range []string{"/zh/alpha/", "/en/beta/", "/zh/"} {
		body := h.waitPage(p, 200, nil, `id="dateline-overlay"`)
		if _, ok := overlay(body); ok {
			t.Errorf("GET %s still shows the overlay", p)
		}
	}
	h.waitPage("/zh/alpha/", 200, []string{"ALPHA-ZH-FIXED"})
	h.waitPage("/en/beta/", 200, []string{"BETA-EN-FIXED"})
}

// TestBrokenAtStart starts on a broken site: the server still serves, with
// the overlay, and the site appears when the file is fixed.
func TestBrokenAtStart(t *testing.T) {
	files := baseSite()
	files["content/alpha/zh.md"] = "---\ntitle: [unclosed\n---\n\nALPHA-ZH-BROKEN\n"
	h := start(t, newSite(t, files), Options{})
	if len(problem.Errors(h.first.Problems, false)) == 0 {
		t.Fatalf("first build of a broken site has no errors: %v", h.first.Problems)
	}
	body := h.waitPage("/zh/beta/", 200, []string{"BETA-ZH-1"})
	if items, ok := overlay(body); !ok || len(items) == 0 || !strings.HasPrefix(items[0], "content/alpha/zh.md:") {
		t.Errorf("overlay = %q, %v; want content/alpha/zh.md:LINE: …", items, ok)
	}
	writeFile(t, h.dir, "content/alpha/zh.md", zhReport("余杭考察记", "ALPHA-ZH-FIXED"))
	h.waitPage("/zh/alpha/", 200, []string{"ALPHA-ZH-FIXED"}, `id="dateline-overlay"`)
	h.waitPage("/zh/beta/", 200, []string{"BETA-ZH-1"}, `id="dateline-overlay"`)
}

// TestBrokenSiteConfig breaks site.toml, which every page depends on: the
// last good site stays served under the overlay; after the fix the site is
// current again, including a report deleted while it was broken.
func TestBrokenSiteConfig(t *testing.T) {
	h := start(t, newSite(t, baseSite()), Options{})
	writeFile(t, h.dir, "content/site.toml", "timezone = \"Asia/Shanghai\"\n[languages.zh\n")
	body := h.waitPage("/zh/alpha/", 200, []string{"ALPHA-ZH-1", `id="dateline-overlay"`})
	if items, _ := overlay(body); len(items) == 0 || !strings.HasPrefix(items[0], "content/site.toml:") {
		t.Errorf("overlay = %q; want content/site.toml:LINE: …", items)
	}
	if err := os.RemoveAll(filepath.Join(h.dir, "content", "beta")); err != nil {
		t.Fatal(err)
	}
	h.waitFor("a build after the deletion", func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		last := h.all[len(h.all)-1]
		return len(last.Changed) > 0 && strings.HasPrefix(last.Changed[0], "content/beta")
	})
	writeFile(t, h.dir, "content/site.toml", siteTOML)
	h.waitPage("/zh/alpha/", 200, []string{"ALPHA-ZH-1"}, `id="dateline-overlay"`)
	h.waitPage("/zh/beta/", 404, nil)
	h.waitPage("/zh/", 200, []string{"余杭考察记"}, "夜市的烟火气")
}

func TestWarningsPanel(t *testing.T) {
	files := baseSite()
	files["content/alpha/zh.md"] = "---\ntitle: 余杭考察记\ntitel: 拼错\ndate: 2025-06-12\n---\n\nALPHA-ZH-1\n"
	h := start(t, newSite(t, files), Options{})
	_, body := h.get("/en/beta/")
	if _, ok := overlay(body); ok {
		t.Errorf("a warning shows the error overlay")
	}
	i := strings.Index(body, `<details id="dateline-warnings"`)
	if i < 0 {
		t.Fatalf("no warnings panel on a site with a warning")
	}
	panel := body[i:]
	if strings.HasPrefix(panel, `<details id="dateline-warnings" open`) {
		t.Errorf("the warnings panel is open; want it collapsed")
	}
	if !strings.Contains(panel, "content/alpha/zh.md:3: warning: ") || !strings.Contains(panel, "titel") {
		t.Errorf("warnings panel lacks content/alpha/zh.md:3: warning: … titel: %.300s", panel)
	}
	writeFile(t, h.dir, "content/alpha/zh.md", zhReport("余杭考察记", "ALPHA-ZH-1"))
	h.waitPage("/en/beta/", 200, nil, "dateline-warnings")
}

// TestBanners checks that drafts and embargoed reports are in the preview,
// with a banner saying so.
func TestBanners(t *testing.T) {
	files := baseSite()
	files["content/draft/zh.md"] = "---\ntitle: 还没写完\ndate: 2025-06-12\ndraft: true\n---\n\nDRAFT-ZH\n"
	files["content/draft/en.md"] = "---\ntitle: Not finished\ndate: 2025-06-12\ndraft: true\n---\n\nDRAFT-EN\n"
	files["content/future/zh.md"] = "---\ntitle: 明天见报\ndate: 2099-06-12T08:00:00+08:00\n---\n\nFUTURE-ZH\n"
	files["content/future/en.md"] = "---\ntitle: Out tomorrow\ndate: 2099-06-12T08:00:00+08:00\n---\n\nFUTURE-EN\n"
	h := start(t, newSite(t, files), Options{})
	banner := regexp.MustCompile(`<div class=preview-banner[^>]*>([^<]*)</div>|<div class="preview-banner"[^>]*>([^<]*)</div>`)
	tests := []struct {
		path string
		want []string // in the banner
	}{
		{"/zh/draft/", []string{"草稿"}},
		{"/en/draft/", []string{"Draft"}},
		{"/zh/future/", []string{"定时发布", "2099年6月12日 08:00"}},
		{"/en/future/", []string{"Embargoed until", "2099"}},
		{"/zh/alpha/", nil},
	}
	for _, tt := range tests {
		code, body := h.get(tt.path)
		if code != 200 {
			t.Errorf("GET %s = %d; want 200 in the preview", tt.path, code)
			continue
		}
		m := banner.FindStringSubmatch(body)
		if tt.want == nil {
			if m != nil {
				t.Errorf("GET %s: banner %q on a published report", tt.path, m[0])
			}
			continue
		}
		if m == nil {
			t.Errorf("GET %s: no banner", tt.path)
			continue
		}
		text := m[1] + m[2]
		for _, w := range tt.want {
			if !strings.Contains(text, w) {
				t.Errorf("GET %s: banner %q lacks %q", tt.path, text, w)
			}
		}
	}
}

// TestThemeCSS edits the stylesheet of a site-local copy of the default
// theme: pages link the new content-hashed stylesheet and are told to swap
// it ("css"), not to reload.
func TestThemeCSS(t *testing.T) {
	files := baseSite()
	files["content/site.toml"] = "theme = \"default\"\n" + siteTOML
	dir := newSite(t, files)
	if err := copyFS(filepath.Join(dir, "themes", "default"), themes.Default()); err != nil {
		t.Fatal(err)
	}
	h := start(t, dir, Options{})
	stylesheet := regexp.MustCompile(`<link rel=stylesheet href="?(/assets/[^" >]+\.css)|<link rel="stylesheet" href="(/assets/[^"]+\.css)"`)
	link := func() string {
		_, body := h.get("/zh/alpha/")
		m := stylesheet.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no stylesheet link in /zh/alpha/")
		}
		return m[1] + m[2]
	}
	before := link()
	events := h.subscribe()

	css := filepath.Join(dir, "themes", "default", "static", "css", "dateline.css")
	data, err := os.ReadFile(css)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(css, append(data, "\n.theme-test-marker{color:#123456}\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	ev := nextEvent(t, events, "css")
	var after string
	h.waitFor("a new stylesheet link", func() bool { after = link(); return after != before })
	if !strings.Contains(ev.data, `"`+after+`"`) {
		t.Errorf("css event %s does not name the new stylesheet %s", ev.data, after)
	}
	if code, body := h.get(after); code != 200 || !strings.Contains(body, "theme-test-marker") {
		t.Errorf("GET %s = %d; want the edited stylesheet", after, code)
	}
	if code, _ := h.get(before); code != 404 {
		t.Errorf("GET %s (old stylesheet) = %d; want 404", before, code)
	}
	// OnBuild runs after the pages were told: wait for it to record the build.
	h.waitFor("the stylesheet build recorded", func() bool {
		for _, b := range h.builtSoFar()[1:] {
			if b.CSS {
				return true
			}
		}
		return false
	})
	// No "reload" for the stylesheet change.
	select {
	case ev := <-events:
		if ev.name == "reload" {
			t.Errorf("a reload event after a stylesheet-only change")
		}
	default:
	}

	// A layout change reloads.
	layout := filepath.Join(dir, "themes", "default", "layouts", "report.html")
	data, err = os.ReadFile(layout)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(layout, []byte(strings.Replace(string(data), "</main>", "<p>LAYOUT-MARKER</p></main>", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	nextEvent(t, events, "reload")
	h.waitPage("/zh/alpha/", 200, []string{"LAYOUT-MARKER"})
}

// copyFS copies a file tree into dir.
func copyFS(dir string, fsys fs.FS) error {
	return fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(name))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// TestBurst saves one file 200 times as fast as it can while pages are
// being read: the last content is served, after few rebuilds.
func TestBurst(t *testing.T) {
	h := start(t, newSite(t, baseSite()), Options{})
	before := h.buildCount()
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 2 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := http.Get(h.url + "/zh/alpha/")
				if err != nil {
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	const saves = 200
	// A pause between two saves as long as half the watcher's quiet window
	// may rightly end a batch; on a loaded machine the writer is paused
	// that long now and then, so each such pause allows one more rebuild.
	pauses := 0
	last := time.Now()
	for i := 1; i <= saves; i++ {
		writeFile(t, h.dir, "content/alpha/zh.md", zhReport("余杭考察记", fmt.Sprintf("第%d次保存。BURST-%d-END", i, i)))
		now := time.Now()
		if now.Sub(last) >= watch.DefaultQuiet/2 {
			pauses++
		}
		last = now
	}
	h.waitPage("/zh/alpha/", 200, []string{fmt.Sprintf("BURST-%d-END", saves)})
	close(stop)
	readers.Wait()
	n := h.buildCount() - before
	t.Logf("%d saves, %d rebuilds, %d pauses of the writer", saves, n, pauses)
	if n > 20+pauses {
		t.Errorf("%d saves gave %d rebuilds with %d pauses of the writer; want few (≤ 20 + pauses)", saves, n, pauses)
	}
	// The last build served the last save.
	h.waitPage("/zh/alpha/", 200, []string{fmt.Sprintf("BURST-%d-END", saves)})
}

// panicFS panics when a given file is opened: a stand-in for a bug met by
// one report's conversion.
type panicFS struct {
	fs.FS
	name string
}

func (p panicFS) Open(name string) (fs.File, error) {
	if name == p.name {
		panic("test panic opening " + name)
	}
	return p.FS.Open(name)
}

func TestPanicInOneReport(t *testing.T) {
	dir := newSite(t, baseSite())
	fsys := panicFS{FS: os.DirFS(dir), name: "content/gamma/photos/boom.png"}
	h := start(t, dir, Options{FS: fsys})
	writeFile(t, dir, "content/gamma/zh.md", zhReport("会出错的报道", "![图](photos/boom.png \"图注（李明 摄）\")\n\nGAMMA-ZH"))
	body := h.waitPage("/zh/alpha/", 200, []string{"ALPHA-ZH-1", `id="dateline-overlay"`})
	items, _ := overlay(body)
	if len(items) != 1 || !strings.HasPrefix(items[0], "content/gamma") || !strings.Contains(items[0], "test panic") {
		t.Errorf("overlay = %q; want the panic as content/gamma's error", items)
	}
	// The server goes on: the fix is picked up.
	writeFile(t, dir, "content/gamma/zh.md", zhReport("会出错的报道", "没有图了。GAMMA-ZH-FIXED"))
	h.waitPage("/zh/gamma/", 200, []string{"GAMMA-ZH-FIXED"}, `id="dateline-overlay"`)
}

// rawGet sends one request line as given, with no client-side cleaning
// or escaping, and returns the response.
func rawGet(t *testing.T, host, method, target string, header map[string]string) (*http.Response, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", host, patience)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(patience))
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\n", method, target)
	if _, ok := header["Host"]; !ok {
		fmt.Fprintf(&b, "Host: %s\r\n", host)
	}
	for k, v := range header {
		fmt.Fprintf(&b, "%s: %s\r\n", k, v)
	}
	b.WriteString("Connection: close\r\n\r\n")
	if _, err := io.WriteString(conn, b.String()); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(method, "/", nil)
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		// The stream never ends; closing the connection ends it (closing
		// the body would read it to the end first).
		return resp, ""
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	return resp, string(body)
}

// TestSafety sends hostile and odd requests: nothing outside the built
// site is served, whatever the encoding; unknown paths get the site's 404
// page; folders are never listed; foreign Host and Origin headers are
// refused.
func TestSafety(t *testing.T) {
	dir := newSite(t, baseSite())
	// Files next to the site and inside it that are not build output.
	writeFile(t, dir, "secret.txt", "SECRET-OUTSIDE")
	writeFile(t, filepath.Dir(dir), "parent-secret.txt", "SECRET-PARENT")
	h := start(t, dir, Options{})
	_, page404 := h.get("/zh/no-such-report/")

	tests := []struct {
		method, target string
		header         map[string]string
		status         int
		location       string // for redirects
	}{
		{"GET", "/zh/alpha/", nil, 200, ""},
		{"GET", "/zh/alpha", nil, 302, "/zh/alpha/"},
		{"GET", "/zh/alpha?x=1", nil, 302, "/zh/alpha/?x=1"},
		{"GET", "/zh", nil, 302, "/zh/"},
		{"GET", "/zh/alpha/index.html", nil, 200, ""},
		{"GET", "/secret.txt", nil, 404, ""},
		{"GET", "/content/site.toml", nil, 404, ""},
		{"GET", "/content/alpha/zh.md", nil, 404, ""},
		{"GET", "/../secret.txt", nil, 404, ""},
		{"GET", "/../../parent-secret.txt", nil, 404, ""},
		{"GET", "/zh/../../secret.txt", nil, 404, ""},
		{"GET", "/zh/../en/alpha/", nil, 404, ""},
		{"GET", "/./zh/alpha/", nil, 404, ""},
		{"GET", "/%2e%2e/secret.txt", nil, 404, ""},
		{"GET", "/%2E%2E/%2e%2e/parent-secret.txt", nil, 404, ""},
		{"GET", "/zh/..%2f..%2fsecret.txt", nil, 404, ""},
		{"GET", "/zh%2falpha%2f", nil, 404, ""},
		{"GET", "/zh%2Falpha/", nil, 404, ""},
		{"GET", "/zh/..%5c..%5csecret.txt", nil, 404, ""},
		{"GET", "/zh%5calpha%5c", nil, 404, ""},
		{"GET", "/zh\\alpha\\", nil, 404, ""},
		{"GET", "/zh/alpha%00/", nil, 404, ""},
		{"GET", "//zh/alpha/", nil, 404, ""},
		{"GET", "/zh//alpha/", nil, 404, ""},
		{"GET", "//example.com/", nil, 404, ""},
		{"GET", "/assets/", nil, 404, ""},
		{"GET", "/assets", nil, 404, ""},
		{"GET", "/zh/alpha/..", nil, 404, ""},
		{"GET", "http://" + h.host + "/../secret.txt", nil, 404, ""},
		{"POST", "/zh/alpha/", nil, 405, ""},
		{"DELETE", "/zh/alpha/", nil, 405, ""},
		{"GET", "/zh/alpha/", map[string]string{"Host": "evil.example"}, 403, ""},
		{"GET", "/zh/alpha/", map[string]string{"Host": "evil.example:" + port(h.host)}, 403, ""},
		{"GET", "/zh/alpha/", map[string]string{"Host": "127.0.0.1.nip.io:" + port(h.host)}, 403, ""},
		{"GET", "/zh/alpha/", map[string]string{"Host": "192.168.1.20:" + port(h.host)}, 403, ""},
		{"GET", "/zh/alpha/", map[string]string{"Host": "localhost:" + port(h.host)}, 200, ""},
		{"GET", "/zh/alpha/", map[string]string{"Host": "LOCALHOST:" + port(h.host)}, 200, ""},
		{"GET", "/zh/alpha/", map[string]string{"Host": "[::1]:" + port(h.host)}, 200, ""},
		{"GET", EventsPath, map[string]string{"Host": "evil.example:" + port(h.host)}, 403, ""},
		{"GET", EventsPath, map[string]string{"Origin": "http://evil.example"}, 403, ""},
		{"GET", EventsPath, map[string]string{"Origin": "http://localhost:1"}, 403, ""},
		{"GET", EventsPath, map[string]string{"Origin": "https://" + h.host}, 403, ""},
		{"GET", EventsPath, map[string]string{"Origin": "null"}, 403, ""},
		{"GET", EventsPath, map[string]string{"Origin": "http://" + h.host}, 200, ""},
		{"GET", EventsPath, nil, 200, ""},
	}
	for _, tt := range tests {
		resp, body := rawGet(t, h.host, tt.method, tt.target, tt.header)
		name := fmt.Sprintf("%s %s %v", tt.method, tt.target, tt.header)
		if resp.StatusCode != tt.status {
			t.Errorf("%s = %d; want %d", name, resp.StatusCode, tt.status)
		}
		for _, secret := range []string{"SECRET-OUTSIDE", "SECRET-PARENT", "timezone", "title: 余杭"} {
			if strings.Contains(body, secret) {
				t.Errorf("%s leaks %q", name, secret)
			}
		}
		if tt.location != "" && resp.Header.Get("Location") != tt.location {
			t.Errorf("%s redirects to %q; want %q", name, resp.Header.Get("Location"), tt.location)
		}
		if tt.status == 404 && tt.method == "GET" {
			// The site's own 404 page, not a listing or a bare message.
			if !strings.Contains(body, "<html") || strings.Contains(body, "<pre>") || !strings.Contains(body, EventsPath) {
				t.Errorf("%s: not the site's 404 page: %.200s", name, body)
			}
			if page404 == "" || !strings.Contains(page404, "<title>") {
				t.Errorf("no 404 page to compare with")
			}
		}
		if tt.status == 200 && tt.method == "GET" && tt.target != EventsPath {
			if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s: headers %v; want no-store and nosniff", name, resp.Header)
			}
		}
	}
}

func port(hostport string) string {
	_, p, _ := net.SplitHostPort(hostport)
	return p
}

func TestNotFoundPage(t *testing.T) {
	h := start(t, newSite(t, baseSite()), Options{})
	tests := []struct{ path, lang string }{
		{"/zh/no-such-report/", `lang="zh-CN"`},
		{"/en/no-such-report/", `lang="en"`},
		{"/nothing-here", `lang="zh-CN"`}, // the default language
	}
	for _, tt := range tests {
		code, body := h.get(tt.path)
		if code != 404 || !strings.Contains(body, tt.lang) || !strings.Contains(body, EventsPath) {
			t.Errorf("GET %s = %d; want 404 with the site's %s 404 page and the reload script", tt.path, code, tt.lang)
		}
	}
}

func TestHead(t *testing.T) {
	h := start(t, newSite(t, baseSite()), Options{})
	for _, p := range []string{"/zh/alpha/", "/zh/no-such/"} {
		get, getBody := rawGet(t, h.host, "GET", p, nil)
		head, headBody := rawGet(t, h.host, "HEAD", p, nil)
		if head.StatusCode != get.StatusCode || headBody != "" {
			t.Errorf("HEAD %s = %d with %d bytes; want %d and no body", p, head.StatusCode, len(headBody), get.StatusCode)
		}
		if cl := head.Header.Get("Content-Length"); cl != fmt.Sprint(len(getBody)) {
			t.Errorf("HEAD %s: Content-Length %s; GET sends %d bytes", p, cl, len(getBody))
		}
		if head.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
			t.Errorf("HEAD %s: Content-Type %q; GET %q", p, head.Header.Get("Content-Type"), get.Header.Get("Content-Type"))
		}
	}
}

// TestShutdown ends the context with an event stream open: Run returns
// promptly and the stream ends.
func TestShutdown(t *testing.T) {
	dir := newSite(t, baseSite())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{}, 1)
	srv := New(Options{Dir: dir, OnBuild: func(Build) {
		select {
		case ready <- struct{}{}:
		default:
		}
	}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, ln) }()
	select {
	case <-ready:
	case <-time.After(patience):
		t.Fatal("no first build")
	}
	resp, err := http.Get("http://" + ln.Addr().String() + EventsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	streamEnded := make(chan struct{})
	go func() { io.Copy(io.Discard, resp.Body); close(streamEnded) }()

	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v; want nil", err)
		}
	case <-time.After(patience):
		t.Fatal("Run did not return after the context ended")
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("shutdown took %v with a stream open; want it prompt (Shutdown gives up after 2 s)", d)
	}
	select {
	case <-streamEnded:
	case <-time.After(patience):
		t.Error("the event stream did not end")
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("the listener still accepts connections after Run returned")
	}
}

func TestSitePath(t *testing.T) {
	tests := []struct {
		target string
		name   string
		dir    bool
		ok     bool
	}{
		{"/", "index.html", true, true},
		{"/zh/", "zh/index.html", true, true},
		{"/zh/alpha/", "zh/alpha/index.html", true, true},
		{"/zh/alpha", "zh/alpha", false, true},
		{"/assets/css/x.1234567890.css", "assets/css/x.1234567890.css", false, true},
		{"/zh/%E4%BD%99%E6%9D%AD/", "zh/余杭/index.html", true, true},
		{"/zh/a%20b/", "zh/a b/index.html", true, true},
		{"/..", "", false, false},
		{"/../", "", false, false},
		{"/zh/../en/", "", false, false},
		{"/%2e%2e/", "", false, false},
		{"/zh/%2e/", "", false, false},
		{"/zh%2fen/", "", false, false},
		{"/zh%2Fen/", "", false, false},
		{"/zh%5cen/", "", false, false},
		{"/zh\\en/", "", false, false},
		{"/zh%00/", "", false, false},
		{"//zh/", "", false, false},
		{"/zh//", "", false, false},
		{"zh/", "", false, false},
	}
	for _, tt := range tests {
		req, err := http.ReadRequest(bufio.NewReader(strings.NewReader("GET " + tt.target + " HTTP/1.1\r\nHost: x\r\n\r\n")))
		if err != nil {
			if tt.ok {
				t.Errorf("ReadRequest(%q): %v", tt.target, err)
			}
			continue
		}
		name, dir, ok := sitePath(req.URL)
		if name != tt.name || dir != tt.dir || ok != tt.ok {
			t.Errorf("sitePath(%q) = %q, %v, %v; want %q, %v, %v", tt.target, name, dir, ok, tt.name, tt.dir, tt.ok)
		}
	}
}

func TestHostChecker(t *testing.T) {
	loop := hostChecker(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1313})
	lan := hostChecker(&net.TCPAddr{IP: net.IPv4(192, 168, 1, 20), Port: 1313})
	tests := []struct {
		host       string
		loop, open bool
	}{
		{"127.0.0.1:1313", true, true},
		{"127.0.0.1", true, true},
		{"127.9.9.9:1313", true, true},
		{"localhost:1313", true, true},
		{"Localhost", true, true},
		{"[::1]:1313", true, true},
		{"192.168.1.20:1313", false, true},
		{"evil.example:1313", false, false},
		{"127.0.0.1.nip.io:1313", false, false},
		{"localhost.evil.example", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		if got := loop(tt.host); got != tt.loop {
			t.Errorf("loopback server: allowed(%q) = %v; want %v", tt.host, got, tt.loop)
		}
		if got := lan(tt.host); got != tt.open {
			t.Errorf("LAN server: allowed(%q) = %v; want %v", tt.host, got, tt.open)
		}
	}
}

func TestSameOrigin(t *testing.T) {
	tests := []struct {
		origin, host string
		want         bool
	}{
		{"http://127.0.0.1:1313", "127.0.0.1:1313", true},
		{"http://LOCALHOST:1313", "localhost:1313", true},
		{"http://127.0.0.1:1314", "127.0.0.1:1313", false},
		{"https://127.0.0.1:1313", "127.0.0.1:1313", false},
		{"http://evil.example", "127.0.0.1:1313", false},
		{"null", "127.0.0.1:1313", false},
		{"http://user@127.0.0.1:1313", "127.0.0.1:1313", false},
		{"", "127.0.0.1:1313", false},
	}
	for _, tt := range tests {
		if got := sameOrigin(tt.origin, tt.host); got != tt.want {
			t.Errorf("sameOrigin(%q, %q) = %v; want %v", tt.origin, tt.host, got, tt.want)
		}
	}
}

func TestInject(t *testing.T) {
	page := []byte("<!doctype html><html><body><p>x</p></body></html>")
	problems := []problem.Problem{
		problem.Errorf("content/a/zh.md", 7, "bad <thing> & more"),
		problem.Warnf("content/a/en.md", 2, "unknown field \"titel\""),
	}
	got := string(inject(page, "3", problems))
	for _, want := range []string{
		`<li class="dateline-problem" style="margin:.3rem 0;white-space:pre-wrap">content/a/zh.md:7: bad &lt;thing&gt; &amp; more</li>`,
		`content/a/en.md:2: warning: unknown field &#34;titel&#34;`,
		`<details id="dateline-warnings"`,
		`v="3"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("inject lacks %q:\n%s", want, got)
		}
	}
	if !strings.HasSuffix(got, "</body></html>") || !strings.HasPrefix(got, "<!doctype html><html><body><p>x</p>") {
		t.Errorf("inject did not insert before </body>: %s", got)
	}
	if got := string(inject([]byte("<p>no body"), "1", nil)); !strings.HasPrefix(got, "<p>no body<script>") {
		t.Errorf("inject without </body> = %q; want the script appended", got)
	}
}

// TestInjectCapsProblems: a site with thousands of warnings (a large site's
// stale translations) serves pages with the first shownProblems of them and
// a count of the rest, not megabytes of list.
func TestInjectCapsProblems(t *testing.T) {
	page := []byte("<!doctype html><html><body><p>x</p></body></html>")
	if shownProblems != 100 {
		t.Fatalf("shownProblems = %d; the table below is for 100", shownProblems)
	}
	for _, tt := range []struct {
		errs, warns int
		shown       int // problems listed on the page
		more        []string
	}{
		{0, 100, 100, nil},
		{0, 20000, 100, []string{"19900 warnings more in the terminal"}},
		{101, 3, 103, []string{"1 error more in the terminal"}},
		{250, 101, 200, []string{"150 errors more", "1 warning more"}},
		{2, 0, 2, nil},
	} {
		var problems []problem.Problem
		for i := range tt.errs {
			problems = append(problems, problem.Errorf(fmt.Sprintf("content/e%05d/zh.md", i), 1, "broken"))
		}
		for i := range tt.warns {
			problems = append(problems, problem.Warnf(fmt.Sprintf("content/w%05d/en.md", i), 1, "the translation may be stale"))
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		got := string(inject(page, "1", problems))
		runtime.ReadMemStats(&after)
		if a := after.TotalAlloc - before.TotalAlloc; a > 512<<10 {
			t.Errorf("%d errors, %d warnings: inject allocated %d bytes; want under 512 KiB", tt.errs, tt.warns, a)
		}
		if n := strings.Count(got, `class="dateline-problem"`); n != tt.shown {
			t.Errorf("%d errors, %d warnings: page lists %d problems; want %d", tt.errs, tt.warns, n, tt.shown)
		}
		if n := strings.Count(got, `class="dateline-more"`); n != len(tt.more) {
			t.Errorf("%d errors, %d warnings: %d \"more\" lines; want %d", tt.errs, tt.warns, n, len(tt.more))
		}
		for _, m := range tt.more {
			if !strings.Contains(got, m) {
				t.Errorf("%d errors, %d warnings: page lacks %q", tt.errs, tt.warns, m)
			}
		}
		if tt.warns > 0 && !strings.Contains(got, fmt.Sprintf("%d 条警告", tt.warns)) {
			t.Errorf("%d warnings: summary does not count them all", tt.warns)
		}
	}
}

// FuzzSitePath checks that no request path maps to a name outside the
// site: whatever sitePath accepts is a valid, clean, slash-separated path
// below the root.
func FuzzSitePath(f *testing.F) {
	for _, s := range []string{"/", "/zh/alpha/", "/zh/alpha", "/../x", "/%2e%2e/x", "/zh%2fen/", "/zh%5c../", "//x/", "/a/./b", "/%E4%BD%99/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, target string) {
		req, err := http.ReadRequest(bufio.NewReader(strings.NewReader("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n")))
		if err != nil {
			return
		}
		name, dir, ok := sitePath(req.URL)
		if !ok {
			if name != "" {
				t.Errorf("sitePath(%q) refused but named %q", target, name)
			}
			return
		}
		if !fs.ValidPath(name) || strings.ContainsAny(name, "\\\x00") || name == "." {
			t.Errorf("sitePath(%q) = %q: not a clean path inside the site", target, name)
		}
		for _, elem := range strings.Split(name, "/") {
			if elem == ".." || elem == "." || elem == "" {
				t.Errorf("sitePath(%q) = %q: element %q", target, name, elem)
			}
		}
		if dir && path.Base(name) != "index.html" {
			t.Errorf("sitePath(%q) = %q, dir %v", target, name, dir)
		}
	})
}

// TestPoll runs the watcher in polling mode (`dateline serve --poll`, for
// file systems that send no events): saves, new folders and deletions are
// seen all the same.
func TestPoll(t *testing.T) {
	h := start(t, newSite(t, baseSite()), Options{Poll: 20 * time.Millisecond})
	writeFile(t, h.dir, "content/alpha/zh.md", zhReport("余杭考察记", "轮询看到了。ALPHA-ZH-POLL"))
	h.waitPage("/zh/alpha/", 200, []string{"ALPHA-ZH-POLL"})
	writeFile(t, h.dir, "content/gamma/en.md", enReport("Polled", "GAMMA-EN-POLL"))
	h.waitPage("/en/gamma/", 200, []string{"GAMMA-EN-POLL"})
	if err := os.RemoveAll(filepath.Join(h.dir, "content", "beta")); err != nil {
		t.Fatal(err)
	}
	h.waitPage("/zh/beta/", 404, nil)
}

// TestThemesFolderCreatedLater starts on a site that uses the embedded
// theme and has no themes/ folder; a site-local theme copied in later, and
// then edited, is picked up.
func TestThemesFolderCreatedLater(t *testing.T) {
	h := start(t, newSite(t, baseSite()), Options{})
	dir := t.TempDir()
	if err := copyFS(dir, themes.Default()); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(dir, "layouts", "report.html")
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(report, []byte(strings.Replace(string(data), "</main>", "<p>LOCAL-THEME</p></main>", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(h.dir, "themes"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(dir, filepath.Join(h.dir, "themes", "local")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, h.dir, "content/site.toml", "theme = \"local\"\n"+siteTOML)
	h.waitPage("/zh/alpha/", 200, []string{"LOCAL-THEME", "ALPHA-ZH-1"})

	report = filepath.Join(h.dir, "themes", "local", "layouts", "report.html")
	data, err = os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(report, []byte(strings.Replace(string(data), "LOCAL-THEME", "LOCAL-THEME-2", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	h.waitPage("/zh/alpha/", 200, []string{"LOCAL-THEME-2"})
}
