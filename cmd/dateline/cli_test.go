package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCommandLine holds the command-line papercuts of issue 18: flags
// before or after arguments, -h is exit status 0 for every command, and
// messages with the value they reject and plurals right.
func TestCommandLine(t *testing.T) {
	dir := t.TempDir()
	writeSite(t, dir, testSite(t))
	t.Setenv("DATELINE_CACHE", t.TempDir())
	for _, tt := range []struct {
		args   []string
		code   int
		stdout string // a line stdout must hold ("" for any)
		stderr string // a line stderr must hold ("" for any)
	}{
		{args: []string{"new", "first-story", "-s", dir}, code: 0, stdout: "created content/first-story/zh.md"},
		{args: []string{"new", "-s", dir, "second-story"}, code: 0, stdout: "created content/second-story/en.md"},
		{args: []string{"new", "-s", dir}, code: 2, stderr: "dateline: usage: dateline new SLUG [-s SITE]"},
		{args: []string{"new", "-s", dir, "a", "b"}, code: 2, stderr: "dateline: usage: dateline new SLUG [-s SITE]"},
		{args: []string{"new", "-h"}, code: 0},
		{args: []string{"build", "-h"}, code: 0},
		{args: []string{"serve", "-h"}, code: 0},
		{args: []string{"check", "-h"}, code: 0},
		{args: []string{"import", "-h"}, code: 0},
		{args: []string{"build", "-s", dir, "extra"}, code: 2, stderr: `dateline: dateline build: unexpected argument "extra"`},
		{args: []string{"check", "first-story", "-s", dir}, code: 0, stdout: "check: 1 report: 0 errors, 0 warnings"},
		{args: []string{"check", "-s", dir, "--", "first-story"}, code: 0, stdout: "check: 1 report: 0 errors, 0 warnings"},
		{args: []string{"check", "nowhere", "-s", dir}, code: 2, stderr: "dateline: check: no report content/nowhere"},
		{args: []string{"build", "-s", dir, "--now", "soon"}, code: 2, stderr: `dateline: --now "soon": use RFC 3339 (2025-06-12T08:00:00+08:00), YYYY-MM-DD HH:MM or YYYY-MM-DD`},
	} {
		code, stdout, stderr := dateline(t, tt.args...)
		name := strings.Join(tt.args, " ")
		if code != tt.code {
			t.Errorf("%s: exit %d; want %d\n%s%s", name, code, tt.code, stdout, stderr)
		}
		if tt.stdout != "" && !hasLine(stdout, tt.stdout) {
			t.Errorf("%s: stdout lacks the line %q:\n%s", name, tt.stdout, stdout)
		}
		if tt.stderr != "" && !hasLine(stderr, tt.stderr) {
			t.Errorf("%s: stderr lacks the line %q:\n%s", name, tt.stderr, stderr)
		}
	}
	// The scaffold's titles: a Chinese placeholder in zh, the slug in words in en.
	zh, _ := os.ReadFile(filepath.Join(dir, "content", "first-story", "zh.md"))
	en, _ := os.ReadFile(filepath.Join(dir, "content", "first-story", "en.md"))
	if !strings.Contains(string(zh), "\ntitle: \"报道标题\"\n") || !strings.Contains(string(en), "\ntitle: \"First story\"\n") {
		t.Errorf("scaffold titles:\n%s\n%s", zh, en)
	}
}

// TestCheckDrafts checks that check looks at work in progress: a broken
// anchor in a draft is reported, under the report's state.
func TestCheckDrafts(t *testing.T) {
	files := testSite(t)
	files["content/wip/zh.md"] = []byte("---\ntitle: 草稿\ndate: 2025-06-01\ndraft: true\n---\n\n正文。\n\n[去第九站](#stop-9)\n")
	files["content/wip/en.md"] = []byte("---\ntitle: Draft\ndate: 2025-06-01\ndraft: true\n---\n\nText.\n")
	dir := t.TempDir()
	writeSite(t, dir, files)
	t.Setenv("DATELINE_CACHE", t.TempDir())
	code, _, stderr := dateline(t, "check", "-s", dir, "wip")
	if code != 1 {
		t.Errorf("check: exit %d; want 1", code)
	}
	for _, want := range []string{
		"content/wip (draft):",
		"  content/wip/zh.md:9: warning: link #stop-9: no anchor #stop-9 on /zh/wip/",
		"check: 1 report: 0 errors, 1 warning",
	} {
		if !hasLine(stderr, want) {
			t.Errorf("check output lacks the line %q:\n%s", want, stderr)
		}
	}
	// The build leaves the draft out, and its problems with it.
	if code, _, stderr := dateline(t, "build", "-s", dir, "--strict"); code != 0 {
		t.Errorf("build --strict with a broken draft: exit %d\n%s", code, stderr)
	}
}

func hasLine(s, line string) bool {
	for l := range strings.Lines(s) {
		if strings.TrimRight(l, "\n") == line {
			return true
		}
	}
	return false
}

// TestPhotoCountsFirstBuild checks the sample site's build summary: a
// first build makes every derivative and finds none in the cache (it said
// "18 made, 18 cached"); a build with the photo cache alone makes none.
func TestPhotoCountsFirstBuild(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	cache := t.TempDir()
	t.Setenv("DATELINE_CACHE", cache)
	_, first, _ := dateline(t, "build", "-s", "../..", "-o", out)
	m := regexp.MustCompile(`photo derivatives (\d+) made, 0 cached`).FindStringSubmatch(first)
	if m == nil || m[1] == "0" {
		t.Fatalf("first build: %q; want N made, 0 cached", first)
	}
	os.RemoveAll(filepath.Join(cache, "output"))
	os.Remove(filepath.Join(cache, "build.manifest"))
	_, second, _ := dateline(t, "build", "-s", "../..", "-o", out)
	if want := "photo derivatives 0 made, " + m[1] + " cached"; !strings.Contains(second, want) {
		t.Errorf("second build: %q; want %q", second, want)
	}
}

// TestCheckFixPunctuation checks that half-width punctuation next to
// Chinese text in a Chinese edition is a warning at its line and column,
// and that check --fix rewrites exactly those marks in the source: never
// the front matter, code, URLs or link targets, nor the English edition.
func TestCheckFixPunctuation(t *testing.T) {
	files := testSite(t)
	const zh = "---\ntitle: 标点,测试\ndate: 2025-06-01\n---\n\n第一段,有逗号(和括号)!\n\n见[报道](https://x.org/a,b),好。`代码,不改`\n\n```\n代码块,不改\n```\n\nEnglish, as written.\n"
	const fixed = "---\ntitle: 标点,测试\ndate: 2025-06-01\n---\n\n第一段，有逗号（和括号）！\n\n见[报道](https://x.org/a,b)，好。`代码,不改`\n\n```\n代码块,不改\n```\n\nEnglish, as written.\n"
	const en = "---\ntitle: Punctuation\ndate: 2025-06-01\n---\n\nFirst, a comma (and parentheses)!\n"
	files["content/marks/zh.md"] = []byte(zh)
	files["content/marks/en.md"] = []byte(en)
	dir := t.TempDir()
	writeSite(t, dir, files)
	t.Setenv("DATELINE_CACHE", t.TempDir())
	code, _, stderr := dateline(t, "check", "-s", dir, "marks")
	if code != 1 {
		t.Errorf("check: exit %d; want 1", code)
	}
	for _, want := range []string{
		"  content/marks/zh.md:6:4: warning: half-width ',' next to Chinese text: use '，' (dateline check --fix rewrites it)",
		"  content/marks/zh.md:6:8: warning: half-width '(' next to Chinese text: use '（' (dateline check --fix rewrites it)",
		"  content/marks/zh.md:6:12: warning: half-width ')' next to Chinese text: use '）' (dateline check --fix rewrites it)",
		"  content/marks/zh.md:6:13: warning: half-width '!' next to Chinese text: use '！' (dateline check --fix rewrites it)",
		"  content/marks/zh.md:8:25: warning: half-width ',' next to Chinese text: use '，' (dateline check --fix rewrites it)",
		"check: 1 report: 0 errors, 5 warnings",
	} {
		if !hasLine(stderr, want) {
			t.Errorf("check lacks the line %q:\n%s", want, stderr)
		}
	}
	code, stdout, stderr := dateline(t, "check", "--fix", "marks", "-s", dir)
	if code != 0 || !hasLine(stdout, "content/marks/zh.md: made 5 punctuation marks full-width (lines 6, 8)") {
		t.Errorf("check --fix: exit %d\n%s%s", code, stdout, stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "content", "marks", "zh.md")); string(got) != fixed {
		t.Errorf("zh.md after --fix:\n%s\nwant:\n%s", got, fixed)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "content", "marks", "en.md")); string(got) != en {
		t.Errorf("--fix changed en.md:\n%s", got)
	}
	if code, stdout, _ := dateline(t, "check", "--fix", "-s", dir, "marks"); code != 0 || strings.Contains(stdout, "full-width") {
		t.Errorf("check --fix again: exit %d, %s", code, stdout)
	}
}

// TestHouseStyle checks SPEC §12's house style on the built pages: credits
// typed in three styles print in one form per language (site.toml
// [style.en] overriding the English default), an agency or a credit with
// a link as written, and English stop titles with a capital first letter
// in the heading and the navigator.
func TestHouseStyle(t *testing.T) {
	files := testSite(t)
	files["content/site.toml"] = append(files["content/site.toml"], "[style.en]\ncredit = \"{name}/Dateline\"\n"...)
	files["content/alpha/zh.md"] = []byte(strings.Replace(string(files["content/alpha/zh.md"]),
		`![大厅](photos/hall.png "市民之家大厅（孙庆辉 摄）")`,
		"![大厅](photos/hall.png \"市民之家大厅\")\n摄影：孙庆辉\n\n![大厅二](photos/hall.png \"大厅\")\n图：周晓雨\n\n![大厅三](photos/hall.png \"大厅（新华社 摄）\")\n\n![大厅四](photos/hall.png)\n图片来源：[余杭区融媒体中心](https://example.org/)", 1))
	files["content/alpha/en.md"] = []byte(strings.Replace(string(files["content/alpha/en.md"]),
		`![The hall](photos/hall.png "The hall (Photo: Sun Qinghui)")`,
		"![The hall](photos/hall.png \"The hall\")\nPhoto by Sun Qinghui\n\n![Two](photos/hall.png \"Two\")\n\n![Three](photos/hall.png \"Three\")\nPhoto: Courtesy of the Yuhang Museum\n\n![Four](photos/hall.png \"Four\")\n\n![Five](photos/hall.png \"Five\")\n\n![Six](photos/hall.png \"Six\")\n\n![Seven](photos/hall.png \"Seven\")", 1))
	dir := t.TempDir()
	writeSite(t, dir, files)
	t.Setenv("DATELINE_CACHE", t.TempDir())
	if code, _, stderr := dateline(t, "build", "-s", dir); code != 0 {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	credits := func(page string) []string {
		data, err := os.ReadFile(filepath.Join(dir, "public", filepath.FromSlash(page)))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range regexp.MustCompile(`<span class="?credit"?>(.*?)</span>`).FindAllStringSubmatch(string(data), -1) {
			out = append(out, m[1])
		}
		return out
	}
	if got, want := strings.Join(credits("zh/alpha/index.html"), " | "),
		`孙庆辉 摄 | 孙庆辉 摄 | 周晓雨 摄 | 新华社 摄 | 图片来源：<a href="https://example.org/">余杭区融媒体中心</a>`; got != want {
		t.Errorf("zh credits:\n%s\nwant:\n%s", got, want)
	}
	if got, want := strings.Join(credits("en/alpha/index.html"), " | "),
		`Sun Qinghui/Dateline | Sun Qinghui/Dateline | Sun Qinghui/Dateline | Photo: Courtesy of the Yuhang Museum`; !strings.HasPrefix(got, want) {
		t.Errorf("en credits:\n%s\nwant them to begin:\n%s", got, want)
	}
	en, _ := os.ReadFile(filepath.Join(dir, "public", "en", "alpha", "index.html"))
	page := strings.ReplaceAll(string(en), "&#39;", "'")
	for _, want := range []string{">The Citizens' Hall<", ">The City Brain<"} {
		if n := strings.Count(page, want); n < 2 {
			t.Errorf("en page shows %q %d times; want it in the heading and the navigator", want, n)
		}
	}
	if strings.Contains(string(en), ">the Citizens' Hall<") {
		t.Error("a lowercase stop title is left on the English page")
	}
}

// TestCheckStaleNumbers checks that check names a stop whose figures
// differ between editions, with the figures as written; figures written as
// words (五十, 七十年代) or multiplied (1.2万) count as the same number. The
// build does not run this check: it is for the desk.
func TestCheckStaleNumbers(t *testing.T) {
	files := testSite(t)
	files["content/stale/zh.md"] = []byte("---\ntitle: 堤防\ndate: 2025-06-01\n---\n\n导语。\n\n## 第一站 老堤\n\n老堤长1.2公里，惠及1.2万人，五十年一遇，建于七十年代。\n")
	files["content/stale/en.md"] = []byte("---\ntitle: Dikes\ndate: 2025-06-01\n---\n\nLede.\n\n## First stop: the old dike\n\nThe old dike is 1.5 km long, serves 12,000 people, is built for a 50-year flood and dates from the 1970s.\n")
	dir := t.TempDir()
	writeSite(t, dir, files)
	t.Setenv("DATELINE_CACHE", t.TempDir())
	code, _, stderr := dateline(t, "check", "-s", dir, "stale")
	want := "  content/stale/en.md:8: warning: stop 1: zh has 1.2公里, en has 1.5 km: the translation may be stale"
	if code != 1 || !hasLine(stderr, want) {
		t.Errorf("check: exit %d; want 1 and the line %q:\n%s", code, want, stderr)
	}
	if strings.Count(stderr, "may be stale") != 1 {
		t.Errorf("check reports more than the one stale figure:\n%s", stderr)
	}
	if code, _, stderr := dateline(t, "build", "-s", dir, "--strict"); code != 0 {
		t.Errorf("build --strict: exit %d\n%s", code, stderr)
	}
}
