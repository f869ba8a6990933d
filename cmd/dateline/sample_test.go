package main

import (
	"bytes"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"dateline/cmd/internal/publish"
)

// buildSample builds the repository's own sample site (../../content).
func buildSample(t *testing.T) map[string][]byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	// The build cache goes to a temp folder, not into the repository.
	t.Setenv("DATELINE_CACHE", sampleCache(t))
	code, stdout, stderr := dateline(t, "build", "-s", "../..", "-o", out)
	if code != 0 {
		t.Fatalf("building the sample site: exit %d\n%s%s", code, stdout, stderr)
	}
	return readTree(t, out)
}

// TestSampleSiteLinksResolve checks that every href and src in every page
// leads to a file of the build, that hashed names match their content, and
// that _headers gives every hashed file the immutable policy.
func TestSampleSiteLinksResolve(t *testing.T) {
	out := buildSample(t)
	const base = "https://news.example.org/"
	resolve := func(page, ref string) (string, bool) {
		u, err := url.Parse(ref)
		if err != nil {
			return "", false
		}
		if u.Scheme != "" || u.Host != "" {
			if !strings.HasPrefix(ref, base) {
				return "", false // another site
			}
			u, _ = url.Parse("/" + strings.TrimPrefix(ref, base))
		}
		p := u.Path
		switch {
		case p == "":
			return page, true
		case !strings.HasPrefix(p, "/"):
			p = path.Join("/"+path.Dir(page), p)
		}
		name := strings.TrimPrefix(p, "/")
		if name == "" || strings.HasSuffix(p, "/") {
			name = path.Join(name, "index.html")
		}
		return name, true
	}
	checked := 0
	for name, data := range out {
		if path.Ext(name) != ".html" {
			continue
		}
		doc := parseHTML(t, data)
		for _, n := range find(doc, func(*html.Node) bool { return true }) {
			for _, key := range []string{"href", "src"} {
				ref := attr(n, key)
				if ref == "" || strings.HasPrefix(ref, "mailto:") {
					continue
				}
				target, internal := resolve(name, ref)
				if !internal {
					continue
				}
				checked++
				if _, ok := out[target]; !ok {
					t.Errorf("%s: <%s %s=%q> leads to %s, which the build did not write", name, n.Data, key, ref, target)
				}
			}
			for _, cand := range strings.Split(attr(n, "srcset"), ",") {
				if f := strings.Fields(cand); len(f) > 0 {
					if target, ok := resolve(name, f[0]); ok {
						if _, ok := out[target]; !ok {
							t.Errorf("%s: srcset candidate %q not written", name, f[0])
						}
					}
				}
			}
		}
	}
	if checked < 50 {
		t.Errorf("checked only %d internal links; the test is not looking", checked)
	}

	headers := string(out["_headers"])
	hashed := 0
	for name, data := range out {
		stem := strings.TrimSuffix(path.Base(name), path.Ext(name))
		got := stem[strings.LastIndexByte(stem, '.')+1:]
		if !strings.HasPrefix(name, "assets/") {
			if got == publish.Hash(data) {
				t.Errorf("%s: a hashed name outside assets/", name)
			}
			continue
		}
		hashed++
		if got != publish.Hash(data) {
			t.Errorf("%s: name says %s, content hashes to %s", name, got, publish.Hash(data))
		}
	}
	if hashed == 0 || !strings.Contains(headers, "/assets/*\n  Cache-Control: public, max-age=31536000, immutable") {
		t.Errorf("_headers does not cover the %d hashed files:\n%s", hashed, headers)
	}
	for _, stable := range []string{"index.html", "sitemap.xml", "robots.txt", "zh/feed.xml", "en/feed.xml", "404.html"} {
		if _, ok := out[stable]; !ok {
			t.Errorf("stable name %s missing", stable)
		}
	}
	if !bytes.Contains(out["robots.txt"], []byte("Sitemap: https://news.example.org/sitemap.xml")) {
		t.Errorf("robots.txt does not name the sitemap: %s", out["robots.txt"])
	}
}

// TestSampleReport checks the seed report's stops, figures, credits and
// sidebar in both languages.
func TestSampleReport(t *testing.T) {
	out := buildSample(t)
	tests := []struct {
		page    string
		labels  []string
		sidebar string
		credits string
	}{
		{"zh/yuhang-digital-governance/index.html", []string{"第一站", "第二站", "第三站", "第四站"}, "马上行动", "文/图 孙庆辉"},
		{"en/yuhang-digital-governance/index.html", []string{"First stop", "Second stop", "Third stop", "Fourth stop"}, "Taking action", "Sun Qinghui"},
	}
	for _, tt := range tests {
		data, ok := out[tt.page]
		if !ok {
			t.Fatalf("%s not written", tt.page)
		}
		doc := parseHTML(t, data)
		class := func(c string) func(*html.Node) bool {
			return func(n *html.Node) bool { return strings.Contains(" "+attr(n, "class")+" ", " "+c+" ") }
		}
		stops := find(doc, func(n *html.Node) bool { return n.Data == "section" && class("stop")(n) })
		if len(stops) != 4 {
			t.Errorf("%s: %d stops; want 4", tt.page, len(stops))
		}
		for i, s := range stops {
			if i < len(tt.labels) {
				if got := text(find(s, class("stop-label"))[0]); got != tt.labels[i] {
					t.Errorf("%s: stop %d label %q; want %q", tt.page, i+1, got, tt.labels[i])
				}
			}
			if want := "stop-" + string(rune('1'+i)); attr(s, "id") != want || attr(s, "data-stop") != string(rune('1'+i)) {
				t.Errorf("%s: stop %d has id %q data-stop %q", tt.page, i+1, attr(s, "id"), attr(s, "data-stop"))
			}
		}
		// The journey navigator links every stop.
		var journey []string
		for _, a := range find(doc, tag("a")) {
			if h := attr(a, "href"); strings.HasPrefix(h, "#stop-") {
				journey = append(journey, h)
			}
		}
		for i := 1; i <= 4; i++ {
			want := "#stop-" + string(rune('0'+i))
			if !strings.Contains(strings.Join(journey, " "), want) {
				t.Errorf("%s: no journey link to %s (links: %v)", tt.page, want, journey)
			}
		}
		figures := find(doc, tag("figure"))
		if len(figures) < 4 {
			t.Errorf("%s: %d figures; want the hero and one per stop", tt.page, len(figures))
		}
		for _, f := range figures {
			imgs := find(f, tag("img"))
			if len(imgs) != 1 {
				t.Errorf("%s: figure with %d images", tt.page, len(imgs))
				continue
			}
			img := imgs[0]
			if attr(img, "alt") == "" || attr(img, "width") == "" || attr(img, "height") == "" {
				t.Errorf("%s: figure image %s lacks alt, width or height", tt.page, attr(img, "src"))
			}
			if credit := find(f, class("credit")); len(credit) != 1 || strings.TrimSpace(text(credit[0])) == "" {
				t.Errorf("%s: figure %s has no credit", tt.page, attr(img, "src"))
			}
		}
		asides := find(doc, func(n *html.Node) bool { return n.Data == "aside" && class("sidebar")(n) })
		if len(asides) != 1 || !strings.Contains(text(asides[0]), tt.sidebar) {
			t.Errorf("%s: want one sidebar titled %q, found %d", tt.page, tt.sidebar, len(asides))
		} else if id := attr(asides[0], "aria-labelledby"); id == "" || len(find(doc, func(n *html.Node) bool { return attr(n, "id") == id })) != 1 {
			t.Errorf("%s: sidebar aria-labelledby %q does not name one element", tt.page, id)
		}
		if !strings.Contains(text(doc), tt.credits) {
			t.Errorf("%s: no credits line %q", tt.page, tt.credits)
		}
		if bytes.Contains(data, []byte("EventSource")) || bytes.Contains(data, []byte("_dateline")) {
			t.Errorf("%s: live-reload code in build output", tt.page)
		}
	}
}

// TestNewScaffold checks that `dateline new` writes editions that build
// and never overwrites.
func TestNewScaffold(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "content"), 0o755)
	if code, _, stderr := dateline(t, "new", "-s", dir, "river-dikes"); code != 0 {
		t.Fatalf("new: exit %d: %s", code, stderr)
	}
	for _, f := range []string{"zh.md", "en.md", "photos/cover.jpg"} {
		if _, err := os.Stat(filepath.Join(dir, "content", "river-dikes", f)); err != nil {
			t.Errorf("new did not write %s: %v", f, err)
		}
	}
	zh, _ := os.ReadFile(filepath.Join(dir, "content", "river-dikes", "zh.md"))
	for _, want := range []string{"## 第一站", "## 第二站", "::: sidebar", "摄）", "draft: true"} {
		if !bytes.Contains(zh, []byte(want)) {
			t.Errorf("zh.md lacks %q", want)
		}
	}
	// The scaffold is a draft: it builds cleanly and publishes nothing of it.
	if code, _, stderr := dateline(t, "build", "-s", dir); code != 0 {
		t.Errorf("building the scaffold: exit %d: %s", code, stderr)
	}
	// A draft is work in progress: check passes it, naming its state.
	if code, stdout, stderr := dateline(t, "check", "-s", dir, "river-dikes"); code != 0 || stdout != "check: 1 report: 0 errors, 0 warnings\n" {
		t.Errorf("check of the draft scaffold: exit %d: %s%s", code, stdout, stderr)
	}
	// Set to draft: false and left unedited, every placeholder line and
	// the placeholder photo are errors, in check and in build.
	os.WriteFile(filepath.Join(dir, "content", "river-dikes", "zh.md"), bytes.Replace(zh, []byte("draft: true"), []byte("draft: false"), 1), 0o644)
	en, _ := os.ReadFile(filepath.Join(dir, "content", "river-dikes", "en.md"))
	os.WriteFile(filepath.Join(dir, "content", "river-dikes", "en.md"), bytes.Replace(en, []byte("draft: true"), []byte("draft: false"), 1), 0o644)
	for _, args := range [][]string{
		{"build", "-s", dir, "--base-url", "https://x.example/"},
		{"check", "-s", dir},
	} {
		code, _, stderr := dateline(t, args...)
		if code != 1 {
			t.Errorf("%s of the published scaffold: exit %d; want 1", args[0], code)
		}
		for _, want := range []string{
			"content/river-dikes/zh.md:2: text left from `dateline new` in a report that is not a draft: title: \"报道标题\"",
			"content/river-dikes/en.md:8: text left from `dateline new` in a report that is not a draft: - name: \"Reporter Name\"",
			"content/river-dikes/en.md:18: text left from `dateline new` in a report that is not a draft: Lede: one or two paragraphs on what happened and why it matters.",
			"content/river-dikes/zh.md:13: photos/cover.jpg is the placeholder photo from `dateline new`: replace it with a real one",
		} {
			if !strings.Contains(stderr, want) {
				t.Errorf("%s of the published scaffold lacks %q:\n%s", args[0], want, stderr)
			}
		}
		if args[0] == "check" && !strings.Contains(stderr, "content/river-dikes (published):") {
			t.Errorf("check does not name the report's state:\n%s", stderr)
		}
	}
	before, _ := os.ReadFile(filepath.Join(dir, "content", "river-dikes", "zh.md"))
	if code, _, _ := dateline(t, "new", "-s", dir, "river-dikes"); code != 1 {
		t.Errorf("new over an existing report: exit %d; want 1", code)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "content", "river-dikes", "zh.md"))
	if !bytes.Equal(before, after) {
		t.Error("new overwrote an existing report")
	}
	for _, bad := range []string{"River Dikes", "../x", "中文"} {
		if code, _, _ := dateline(t, "new", "-s", dir, bad); code != 2 {
			t.Errorf("new %q: exit %d; want 2", bad, code)
		}
	}
}

// TestCheck checks that `dateline check` reports the problems that
// `build --strict` fails on, and passes a clean site.
func TestCheck(t *testing.T) {
	files := testSite(t)
	files["content/alpha/zh.md"] = append(files["content/alpha/zh.md"], []byte("\n[去第九站](#stop-9) [另一篇](/zh/nowhere/)\n")...)
	dir := t.TempDir()
	writeSite(t, dir, files)
	code, _, stderr := dateline(t, "check", "-s", dir)
	if code != 1 {
		t.Errorf("check: exit %d; want 1", code)
	}
	for _, want := range []string{"content/alpha/zh.md:", "no anchor #stop-9", "/zh/nowhere/ leads to no page"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("check output lacks %q:\n%s", want, stderr)
		}
	}
	if code, _, _ := dateline(t, "build", "-s", dir, "--strict"); code != 1 {
		t.Errorf("build --strict: exit %d; want 1", code)
	}
	if code, _, stderr := dateline(t, "build", "-s", dir); code != 0 {
		t.Errorf("build without --strict: exit %d; want 0\n%s", code, stderr)
	}
}

// TestSamplePassesItsGates checks that the sample site passes `check` and
// `build --strict`: its Chinese-only report is legitimate (a note), and
// nothing in it is a warning.
func TestSamplePassesItsGates(t *testing.T) {
	t.Setenv("DATELINE_CACHE", sampleCache(t))
	code, stdout, stderr := dateline(t, "check", "-s", "../..")
	if code != 0 || strings.Contains(stderr, "warning:") {
		t.Errorf("check of the sample site: exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "content/dongguan-night-market: note: no en.md (English)") {
		t.Errorf("check does not note the Chinese-only report:\n%s", stderr)
	}
	out := filepath.Join(t.TempDir(), "public")
	if code, stdout, stderr := dateline(t, "build", "-s", "../..", "-o", out, "--strict"); code != 0 {
		t.Errorf("build --strict of the sample site: exit %d\n%s%s", code, stdout, stderr)
	}
}
