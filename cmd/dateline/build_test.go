package main

import (
	"bytes"
	"context"
	"flag"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

var update = flag.Bool("update", false, "update golden files")

// pngPhoto returns a small PNG whose pixels depend on seed, so that photos
// with different seeds have different content hashes.
func pngPhoto(t testing.TB, w, h int, seed uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{seed, uint8(x), uint8(y), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Markers that must never appear in a build's output.
const (
	draftMarker   = "DRAFTMARKER7731"
	embargoMarker = "EMBARGOMARKER4412"
)

// testSite returns the files of a small bilingual site.
func testSite(t testing.TB) map[string][]byte {
	files := map[string]string{
		"content/site.toml": `base_url = "https://news.example.org/"
timezone = "Asia/Shanghai"
[languages.zh]
tag = "zh-CN"
name = "中文"
title = "深度报道"
[languages.en]
tag = "en"
name = "English"
title = "Features"
`,
		"content/alpha/zh.md": `---
title: 巧用他山之石
subtitle: 考察团走进余杭
date: 2025-06-12
dateline: 杭州
authors:
  - {name: 孙庆辉, role: 文/图}
credit: 孙庆辉 摄
hero: {src: photos/hero.png, alt: 城市天际线, caption: 余杭}
tags: [数智治理]
---

导语第一段，讲述这次考察的来龙去脉。

## 第一站 市民之家

市民之家是服务型政府的缩影。

![大厅](photos/hall.png "市民之家大厅（孙庆辉 摄）")

## 第二站 城市大脑

城市大脑承担着分析和调度职能。
`,
		"content/alpha/en.md": `---
title: Borrowing stones from other hills
subtitle: A delegation visits Yuhang
date: 2025-06-12
dateline: Hangzhou
authors:
  - {name: Sun Qinghui, role: Text and photos}
credit: "Photo: Sun Qinghui"
hero: {src: photos/hero.png, alt: City skyline, caption: Yuhang}
---

The lede tells why the delegation came.

## First stop: the Citizens' Hall

The hall is a picture of a service-minded government.

![The hall](photos/hall.png "The hall (Photo: Sun Qinghui)")

## Second stop: the City Brain

The City Brain analyses and dispatches.
`,
		"content/beta/zh.md": `---
title: 夜市的烟火气
date: 2025-05-01
dateline: 郑州
authors: [{name: 李明, role: 文}]
---

夜市重新开张，摊主们说生意比去年好。
`,
		"content/secret/zh.md": `---
title: 草稿 ` + draftMarker + `
date: 2025-01-01
draft: true
---

![x](photos/draft-only.png "` + draftMarker + `")

正文 ` + draftMarker + `
`,
		"content/secret/en.md": `---
title: Draft ` + draftMarker + `
date: 2025-01-01
draft: true
---

Body ` + draftMarker + `
`,
		"content/future/en.md": `---
title: Embargoed ` + embargoMarker + `
date: 2099-01-01T08:00:00+08:00
summary: ` + embargoMarker + `
---

Body ` + embargoMarker + `

![x](photos/embargo-only.png "` + embargoMarker + `")
`,
	}
	out := map[string][]byte{}
	for k, v := range files {
		out[k] = []byte(v)
	}
	out["content/alpha/photos/hero.png"] = pngPhoto(t, 64, 40, 1)
	out["content/alpha/photos/hall.png"] = pngPhoto(t, 48, 32, 2)
	out["content/secret/photos/draft-only.png"] = pngPhoto(t, 20, 20, 3)
	out["content/future/photos/embargo-only.png"] = pngPhoto(t, 20, 20, 4)
	return out
}

func writeSite(t testing.TB, dir string, files map[string][]byte) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// dateline runs the command line and returns its exit status and output.
func dateline(t testing.TB, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// readTree returns every file under dir by slash path.
func readTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// sameTree fails t, saying what, unless got holds exactly the files of want.
func sameTree(t testing.TB, what string, got, want map[string][]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d files; want %d", what, len(got), len(want))
	}
	for name, data := range want {
		if !bytes.Equal(got[name], data) {
			t.Errorf("%s: %s differs", what, name)
		}
	}
}

func buildSite(t *testing.T, files map[string][]byte, extra ...string) (string, map[string][]byte) {
	t.Helper()
	dir := t.TempDir()
	writeSite(t, dir, files)
	args := append([]string{"build", "-s", dir}, extra...)
	code, stdout, stderr := dateline(t, args...)
	if code != 0 {
		t.Fatalf("dateline %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, stdout, stderr)
	}
	return dir, readTree(t, filepath.Join(dir, "public"))
}

func parseHTML(t testing.TB, data []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// find returns every element for which match is true.
func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func tag(name string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == name }
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func TestBuildBilingualSite(t *testing.T) {
	_, out := buildSite(t, testSite(t))

	for _, name := range []string{"index.html", "404.html", "zh/index.html", "en/index.html", "zh/404.html", "en/404.html",
		"zh/alpha/index.html", "en/alpha/index.html", "zh/beta/index.html", "zh/feed.xml", "en/feed.xml",
		"sitemap.xml", "sitemap-lists.xml", "sitemap-reports-1.xml", "robots.txt", "_headers"} {
		if _, ok := out[name]; !ok {
			t.Errorf("output lacks %s", name)
		}
	}
	if _, ok := out["en/beta/index.html"]; ok {
		t.Error("en/beta/index.html written for a report with no English edition")
	}

	type want struct {
		lang      string
		canonical string
		hreflang  map[string]string // hreflang → href
		switcher  []string          // hrefs of the language switcher, besides the page itself
	}
	pages := map[string]want{
		"zh/alpha/index.html": {"zh-CN", "https://news.example.org/zh/alpha/",
			map[string]string{"zh-CN": "https://news.example.org/zh/alpha/", "en": "https://news.example.org/en/alpha/", "x-default": "https://news.example.org/zh/alpha/"},
			[]string{"/en/alpha/"}},
		"en/alpha/index.html": {"en", "https://news.example.org/en/alpha/",
			map[string]string{"zh-CN": "https://news.example.org/zh/alpha/", "en": "https://news.example.org/en/alpha/", "x-default": "https://news.example.org/zh/alpha/"},
			[]string{"/zh/alpha/"}},
		"zh/beta/index.html": {"zh-CN", "https://news.example.org/zh/beta/",
			map[string]string{"zh-CN": "https://news.example.org/zh/beta/", "x-default": "https://news.example.org/zh/beta/"},
			nil},
	}
	for name, w := range pages {
		doc := parseHTML(t, out[name])
		htmlEl := find(doc, tag("html"))[0]
		if got := attr(htmlEl, "lang"); got != w.lang {
			t.Errorf("%s: <html lang=%q>; want %q", name, got, w.lang)
		}
		var canon []string
		got := map[string]string{}
		for _, l := range find(doc, tag("link")) {
			switch attr(l, "rel") {
			case "canonical":
				canon = append(canon, attr(l, "href"))
			case "alternate":
				if h := attr(l, "hreflang"); h != "" {
					got[h] = attr(l, "href")
				}
			}
		}
		if len(canon) != 1 || canon[0] != w.canonical {
			t.Errorf("%s: canonical %q; want %q", name, canon, w.canonical)
		}
		if len(got) != len(w.hreflang) {
			t.Errorf("%s: hreflang links %v; want %v", name, got, w.hreflang)
		}
		for k, v := range w.hreflang {
			if got[k] != v {
				t.Errorf("%s: hreflang %s = %q; want %q", name, k, got[k], v)
			}
		}
		// Every link to another edition of this report must be to one that exists.
		var others []string
		for _, a := range find(doc, tag("a")) {
			href := attr(a, "href")
			if strings.HasSuffix(href, "/alpha/") || strings.HasSuffix(href, "/beta/") {
				if !strings.Contains(href, "/"+strings.Split(name, "/")[0]+"/") {
					others = append(others, strings.TrimPrefix(href, "https://news.example.org"))
				}
			}
		}
		slices.Sort(others)
		others = slices.Compact(others)
		if !slices.Equal(others, w.switcher) {
			t.Errorf("%s: links to other editions %q; want %q", name, others, w.switcher)
		}
	}

	// The stops of the sample report are sections with anchors.
	doc := parseHTML(t, out["zh/alpha/index.html"])
	stops := find(doc, func(n *html.Node) bool { return n.Data == "section" && strings.Contains(attr(n, "class"), "stop") })
	if len(stops) != 2 || attr(stops[0], "id") != "stop-1" || attr(stops[1], "id") != "stop-2" {
		t.Errorf("zh/alpha: %d stop sections; want stop-1 and stop-2", len(stops))
	}

	// Front pages list newest first.
	// (Without the <wbr> the theme puts between a Chinese headline's phrases.)
	front := strings.ReplaceAll(string(out["zh/index.html"]), "<wbr>", "")
	if a, b := strings.Index(front, "巧用他山之石"), strings.Index(front, "夜市的烟火气"); a < 0 || b < 0 || a > b {
		t.Errorf("zh front page: alpha at %d, beta at %d; want both, alpha (newer) first", a, b)
	}
}

func TestBuildLeaksNothingUnpublished(t *testing.T) {
	_, out := buildSite(t, testSite(t), "--now", "2026-01-01")
	for name, data := range out {
		for _, marker := range []string{draftMarker, embargoMarker} {
			if bytes.Contains(data, []byte(marker)) {
				t.Errorf("%s contains %s", name, marker)
			}
		}
		for _, slug := range []string{"/secret/", "/future/"} {
			if strings.Contains(name, strings.Trim(slug, "/")) || bytes.Contains(data, []byte(slug)) {
				t.Errorf("%s refers to unpublished report %s", name, slug)
			}
		}
	}
	// No photo used only by the draft or the embargoed report.
	draftPhoto := pngPhoto(t, 20, 20, 3)
	embargoPhoto := pngPhoto(t, 20, 20, 4)
	for name, data := range out {
		if bytes.Equal(data, draftPhoto) || bytes.Equal(data, embargoPhoto) {
			t.Errorf("%s is a photo only an unpublished report uses", name)
		}
	}
}

func TestBuildNowPublishesEmbargo(t *testing.T) {
	_, out := buildSite(t, testSite(t), "--now", "2099-01-02")
	if _, ok := out["en/future/index.html"]; !ok {
		t.Error("--now after the embargo: en/future/index.html not written")
	}
	if !bytes.Contains(out["en/feed.xml"], []byte(embargoMarker)) {
		t.Error("--now after the embargo: the report is not in the feed")
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	files := testSite(t)
	_, a := buildSite(t, files)
	_, b := buildSite(t, files)
	sameTree(t, "two builds of the same input", b, a)
}

func TestBuildRemovesStaleFiles(t *testing.T) {
	files := testSite(t)
	dir, first := buildSite(t, files)
	if _, ok := first["zh/beta/index.html"]; !ok {
		t.Fatal("first build lacks zh/beta/index.html")
	}
	os.RemoveAll(filepath.Join(dir, "content", "beta"))
	if code, _, stderr := dateline(t, "build", "-s", dir); code != 0 {
		t.Fatalf("second build: exit %d: %s", code, stderr)
	}
	second := readTree(t, filepath.Join(dir, "public"))
	if _, ok := second["zh/beta/index.html"]; ok {
		t.Error("a deleted report's page survived the next build")
	}
	if bytes.Contains(second["zh/index.html"], []byte("夜市的烟火气")) {
		t.Error("the front page still lists a deleted report")
	}
}

func TestBuildFailureLeavesOutputUntouched(t *testing.T) {
	files := testSite(t)
	dir, before := buildSite(t, files)
	writeSite(t, dir, map[string][]byte{"content/alpha/en.md": []byte("---\ntitle: [broken\ndate: 2025-01-01\n---\n")})
	code, _, stderr := dateline(t, "build", "-s", dir)
	if code != 1 {
		t.Fatalf("build with a broken file: exit %d; want 1\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "content/alpha/en.md:") {
		t.Errorf("stderr does not name the broken file: %s", stderr)
	}
	sameTree(t, "the output after a failed build", readTree(t, filepath.Join(dir, "public")), before)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".public") {
			t.Errorf("temporary folder %s left behind", e.Name())
		}
	}
}

// TestBuildProblems checks the exact message for kinds of bad front matter:
// each is reported as path:line: message with exit status 1.
func TestBuildProblems(t *testing.T) {
	fm := func(s string) []byte { return []byte(s) }
	tests := []struct {
		name string
		file string
		data []byte
		want *regexp.Regexp
	}{
		{"missing title", "content/x/zh.md", fm("---\ndate: 2025-01-01\n---\nbody\n"), regexp.MustCompile(`content/x/zh\.md:\d+: .*title`)},
		{"missing date", "content/x/zh.md", fm("---\ntitle: t\n---\nbody\n"), regexp.MustCompile(`content/x/zh\.md:\d+: .*date`)},
		{"bad date", "content/x/zh.md", fm("---\ntitle: t\ndate: 2025-13-45\n---\n"), regexp.MustCompile(`content/x/zh\.md:3: .*date`)},
		{"date is a number", "content/x/zh.md", fm("---\ntitle: t\ndate: 12\n---\n"), regexp.MustCompile(`content/x/zh\.md:3: .*date`)},
		{"title is a list", "content/x/zh.md", fm("---\ntitle: [a]\ndate: 2025-01-01\n---\n"), regexp.MustCompile(`content/x/zh\.md:2: .*title`)},
		{"draft: yes", "content/x/zh.md", fm("---\ntitle: t\ndate: 2025-01-01\ndraft: yes\n---\n"), regexp.MustCompile(`content/x/zh\.md:4: .*draft`)},
		{"unterminated", "content/x/zh.md", fm("---\ntitle: t\ndate: 2025-01-01\n"), regexp.MustCompile(`content/x/zh\.md:\d+: .*front matter`)},
		{"malformed yaml", "content/x/zh.md", fm("---\ntitle: t\ndate: 2025-01-01\nauthors: [a\n---\n"), regexp.MustCompile(`content/x/zh\.md:\d+: `)},
		{"invalid utf-8", "content/x/zh.md", fm("---\ntitle: t\ndate: 2025-01-01\n---\n\x8c\n0\n"), regexp.MustCompile(`content/x/zh\.md:5: .*UTF-8`)},
		{"no front matter", "content/x/zh.md", fm("just text\n"), regexp.MustCompile(`content/x/zh\.md:\d+: .*front matter`)},
		{"bad toml", "content/x/en.md", fm("+++\ntitle = \ndate = 2025-01-01\n+++\n"), regexp.MustCompile(`content/x/en\.md:2: `)},
		{"missing photo", "content/x/zh.md", fm("---\ntitle: t\ndate: 2025-01-01\n---\n\n![a](photos/none.jpg \"c（李 摄）\")\n"), regexp.MustCompile(`content/x/zh\.md:6: photo photos/none\.jpg not found`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeSite(t, dir, map[string][]byte{tt.file: tt.data})
			code, _, stderr := dateline(t, "build", "-s", dir)
			if code != 1 {
				t.Errorf("exit %d; want 1\n%s", code, stderr)
			}
			if !tt.want.MatchString(stderr) {
				t.Errorf("stderr = %q; want a line matching %s", stderr, tt.want)
			}
			if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
				t.Error("a failed first build created the output folder")
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"frobnicate"}, {"build", "--no-such-flag"}, {"build", "-s", t.TempDir()}, {"build", "--now", "tomorrow"}} {
		if code, _, _ := dateline(t, args...); code != 2 {
			t.Errorf("dateline %q: exit %d; want 2", args, code)
		}
	}
	if code, stdout, _ := dateline(t, "version"); code != 0 || !strings.HasPrefix(stdout, "dateline ") {
		t.Errorf("dateline version: exit %d, %q", code, stdout)
	}
}

// TestGoldenReportPage compares one full page with testdata/report.golden.html.
func TestGoldenReportPage(t *testing.T) {
	_, out := buildSite(t, testSite(t))
	got := out["en/alpha/index.html"]
	golden := filepath.Join("testdata", "report.golden.html")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("en/alpha/index.html differs from %s (run go test -update after checking the change):\ngot:\n%s", golden, got)
	}
}

// TestPhotoCacheReuse checks that a second build re-encodes no photo
// derivative: they come from SITE/.cache/dateline/photos.
func TestPhotoCacheReuse(t *testing.T) {
	files := testSite(t)
	// A photo wide enough to get derivatives.
	files["content/alpha/photos/hero.png"] = pngPhoto(t, 1000, 600, 9)
	dir := t.TempDir()
	writeSite(t, dir, files)
	re := regexp.MustCompile(`photo derivatives (\d+) made, (\d+) cached`)
	var made []string
	for i := range 2 {
		code, stdout, stderr := dateline(t, "build", "-s", dir)
		if code != 0 {
			t.Fatalf("build %d: exit %d: %s", i+1, code, stderr)
		}
		m := re.FindStringSubmatch(stdout)
		if m == nil {
			t.Fatalf("build %d: summary line lacks the photo counts: %q", i+1, stdout)
		}
		made = append(made, m[1])
	}
	if made[0] == "0" || made[1] != "0" {
		t.Errorf("derivatives made by two builds: %v; want some, then none", made)
	}
	if _, err := os.Stat(filepath.Join(dir, ".cache", "dateline", "photos")); err != nil {
		t.Errorf("no photo cache in the site folder: %v", err)
	}
	out := readTree(t, filepath.Join(dir, "public"))
	doc := parseHTML(t, out["zh/alpha/index.html"])
	var hero *html.Node
	for _, img := range find(doc, tag("img")) {
		if strings.Contains(attr(img, "src"), "/hero.") {
			hero = img
		}
	}
	if hero == nil || !strings.Contains(attr(hero, "srcset"), " 480w") || attr(hero, "sizes") == "" {
		t.Errorf("hero without srcset and sizes: %v", hero)
	}
}

// TestTranslationParity checks the warning for editions that differ in
// stops, figures or sidebars.
func TestTranslationParity(t *testing.T) {
	files := testSite(t)
	files["content/alpha/en.md"] = bytes.Replace(files["content/alpha/en.md"], []byte("## Second stop: the City Brain"), []byte("The City Brain:"), 1)
	dir := t.TempDir()
	writeSite(t, dir, files)
	code, _, stderr := dateline(t, "build", "-s", dir)
	if code != 0 {
		t.Fatalf("build: exit %d: %s", code, stderr)
	}
	if want := "content/alpha/en.md: warning: en has 1 stop, zh has 2"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
}

func TestNoDerivatives(t *testing.T) {
	files := testSite(t)
	files["content/alpha/photos/hero.png"] = pngPhoto(t, 1000, 600, 9)
	_, out := buildSite(t, files, "--no-derivatives")
	for name := range out {
		if strings.Contains(name, "-480.") || strings.Contains(name, "-960.") {
			t.Errorf("--no-derivatives wrote a resized copy: %s", name)
		}
	}
	if bytes.Contains(out["zh/alpha/index.html"], []byte("srcset=")) {
		t.Error("--no-derivatives: a page still offers srcset")
	}
}

// TestPhotoMetadataNeverPublished checks that EXIF (where GPS positions
// live) is stripped from published photos, with and without derivatives.
func TestPhotoMetadataNeverPublished(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 800, 500))
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	const secret = "GPSSECRET-31.2304N-121.4737E"
	payload := append([]byte("Exif\x00\x00"), secret...)
	seg := append([]byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}, payload...)
	withExif := append(append([]byte{0xFF, 0xD8}, seg...), buf.Bytes()[2:]...)

	for _, args := range [][]string{nil, {"--no-derivatives"}} {
		files := testSite(t)
		files["content/alpha/photos/hall.jpg"] = withExif
		files["content/alpha/zh.md"] = bytes.ReplaceAll(files["content/alpha/zh.md"], []byte("photos/hall.png"), []byte("photos/hall.jpg"))
		_, out := buildSite(t, files, args...)
		found := false
		for name, data := range out {
			if strings.HasPrefix(name, "assets/photos/hall") {
				found = true
				if bytes.Contains(data, []byte(secret)) {
					t.Errorf("%v: %s carries the photo's EXIF", args, name)
				}
			}
		}
		if !found {
			t.Errorf("%v: the photo was not published", args)
		}
	}
}

// TestBaseURLWithPath checks a site published under a path of its host
// (https://news.example.org/features/): output files sit at the top of the
// output folder, and links, canonical and feed URLs carry the path.
func TestBaseURLWithPath(t *testing.T) {
	_, out := buildSite(t, testSite(t), "--base-url", "https://news.example.org/features/")
	page, ok := out["zh/alpha/index.html"]
	if !ok {
		t.Fatalf("zh/alpha/index.html not written; files: %d", len(out))
	}
	for name := range out {
		if strings.HasPrefix(name, "features/") {
			t.Errorf("%s: the base URL's path leaked into the output folder", name)
		}
	}
	doc := parseHTML(t, page)
	for _, l := range find(doc, tag("link")) {
		if attr(l, "rel") == "canonical" && attr(l, "href") != "https://news.example.org/features/zh/alpha/" {
			t.Errorf("canonical = %q", attr(l, "href"))
		}
		if attr(l, "rel") == "stylesheet" && !strings.HasPrefix(attr(l, "href"), "/features/assets/") {
			t.Errorf("stylesheet %q is not under the base path", attr(l, "href"))
		}
	}
}

// TestBuildKeepsWhatDidNotChange: the command line's second build of an
// unchanged site carries every report over (the summary line says so),
// and after an edit the output is what a clean build writes.
func TestBuildKeepsWhatDidNotChange(t *testing.T) {
	files := testSite(t)
	dir, first := buildSite(t, files)
	code, stdout, stderr := dateline(t, "build", "-s", dir)
	if code != 0 {
		t.Fatalf("second build: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "unchanged reports kept") {
		t.Errorf("second build of an unchanged site: %q; want it to say reports were kept", stdout)
	}
	sameTree(t, "a build of the unchanged site, against the first", readTree(t, filepath.Join(dir, "public")), first)

	// An edit: the build's output equals a clean build of the edited site.
	zh := filepath.Join(dir, "content", "alpha", "zh.md")
	data, err := os.ReadFile(zh)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(zh, bytes.Replace(data, []byte("。"), []byte("。改过的一句。"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := dateline(t, "build", "-s", dir); code != 0 {
		t.Fatalf("build after the edit: exit %d: %s", code, stderr)
	}
	t.Setenv("DATELINE_CACHE", t.TempDir())
	clean := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := dateline(t, "build", "-s", dir, "-o", clean); code != 0 {
		t.Fatalf("clean build: exit %d: %s", code, stderr)
	}
	got := readTree(t, filepath.Join(dir, "public"))
	delete(got, ".gitkeep")
	sameTree(t, "after the edit, against a clean build", got, readTree(t, clean))
	if !bytes.Contains(got["zh/alpha/index.html"], []byte("改过的一句")) {
		t.Error("the edit is not in the page")
	}
}
