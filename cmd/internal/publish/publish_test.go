package publish

import (
	"bytes"
	"encoding/xml"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dateline/themes"
)

func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			got[filepath.ToSlash(rel)] = string(data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func siblings(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestDirCommitReplacesOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if err := os.MkdirAll(filepath.Join(out, "old"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(out, "old", "stale.html"), []byte("stale"), 0o644)
	os.WriteFile(filepath.Join(out, ".gitkeep"), nil, 0o644)

	d, err := Create(out)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"index.html": "root", "zh/a/index.html": "a", "zh/b/index.html": "b"} {
		if err := d.WriteFile(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	got := readTree(t, out)
	want := map[string]string{"index.html": "root", "zh/a/index.html": "a", "zh/b/index.html": "b", ".gitkeep": ""}
	if len(got) != len(want) {
		t.Fatalf("output = %v; want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q; want %q", k, got[k], v)
		}
	}
	if s := siblings(t, out); len(s) != 1 {
		t.Errorf("folders beside the output after commit: %v; want only public", s)
	}
	fi, err := os.Stat(out)
	if err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("output mode = %v, %v; want 0755", fi.Mode(), err)
	}
}

func TestDirAbortLeavesOutputUntouched(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	os.MkdirAll(out, 0o755)
	os.WriteFile(filepath.Join(out, "index.html"), []byte("old"), 0o644)
	d, err := Create(out)
	if err != nil {
		t.Fatal(err)
	}
	d.WriteFile("index.html", []byte("new"))
	d.Abort()
	got := readTree(t, out)
	if len(got) != 1 || got["index.html"] != "old" {
		t.Errorf("output after abort = %v; want the old index.html only", got)
	}
	if s := siblings(t, out); len(s) != 1 {
		t.Errorf("folders beside the output after abort: %v; want only public", s)
	}
}

func TestDirFirstBuild(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site", "public")
	d, err := Create(out)
	if err != nil {
		t.Fatal(err)
	}
	d.WriteFile("index.html", []byte("x"))
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, out); got["index.html"] != "x" {
		t.Errorf("output = %v", got)
	}
}

func TestDirErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "public")
	os.WriteFile(file, []byte("I am a file"), 0o644)
	if _, err := Create(file); err == nil || !strings.Contains(err.Error(), "is a file") {
		t.Errorf("Create(file) error = %v; want 'is a file'", err)
	}
	d, err := Create(filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	for _, name := range []string{"../x", "/abs", "", ".", "a/../../b"} {
		if err := d.WriteFile(name, nil); err == nil {
			t.Errorf("WriteFile(%q) succeeded; want an error", name)
		}
	}
	// A file in the way of a folder.
	if err := d.WriteFile("zh", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("zh/index.html", []byte("x")); err == nil || !strings.Contains(err.Error(), "zh/index.html") {
		t.Errorf("WriteFile under a file: error %v; want one naming zh/index.html", err)
	}
}

func TestHashedName(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"css/style.css", "body{}", "css/style." + Hash([]byte("body{}")) + ".css"},
		{"photos/a.b.jpg", "x", "photos/a.b." + Hash([]byte("x")) + ".jpg"},
	}
	for _, tt := range tests {
		got := HashedName(tt.name, []byte(tt.data))
		if got != tt.want {
			t.Errorf("HashedName(%q) = %q; want %q", tt.name, got, tt.want)
		}
	}
	if HashedName("a.css", []byte("1")) == HashedName("a.css", []byte("2")) {
		t.Error("different content, same hashed name")
	}
}

func TestMinifyKeepsWhatReadersSee(t *testing.T) {
	m := NewMinifier()
	tests := []struct {
		in   string
		want []string // substrings that must survive
	}{
		{`<!doctype html><html lang="zh-CN"><head><title>t</title></head><body><p>中文<em>强调</em> <strong>bold</strong> text</p></body></html>`,
			[]string{"<html lang=\"zh-CN\">", "<head>", "</head>", "<body>", "</p>", "</em> <strong>"}},
		{`<html><body><pre>  a
   b</pre></body></html>`, []string{"<pre>  a\n   b</pre>"}},
		{`<html><body><p>第一句。第二句，<a href="/x">链接</a>。</p></body></html>`, []string{"第一句。第二句，<a href=\"/x\">链接</a>。"}},
	}
	for _, tt := range tests {
		got, err := m.Bytes("text/html", []byte(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(string(got), w) {
				t.Errorf("Minify(%q) = %q; want it to contain %q", tt.in, got, w)
			}
		}
	}
}

func TestFeedAndSitemapAreWellFormedAndEscaped(t *testing.T) {
	when := time.Date(2025, 6, 12, 8, 0, 0, 0, time.UTC)
	f := &Feed{Lang: "zh-CN", Title: `A <b>&</b> "q"`, Self: "https://x.org/zh/feed.xml", Home: "https://x.org/zh/", Updated: when,
		Entries: []Entry{{Title: "</title><script>alert(1)</script>", URL: "https://x.org/zh/a/", Summary: "a & b", Published: when, Updated: when, Authors: []string{"李明"},
			Image: &Enclosure{URL: "https://x.org/assets/photos/a.0123456789.jpg", Type: "image/jpeg", Length: 42}}}}
	data, err := f.XML()
	if err != nil {
		t.Fatal(err)
	}
	var parsed struct {
		Lang    string `xml:"lang,attr"`
		Entries []struct {
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(data, &parsed); err != nil {
		t.Fatalf("feed is not well-formed XML: %v\n%s", err, data)
	}
	if parsed.Entries[0].Title != "</title><script>alert(1)</script>" || parsed.Lang != "zh-CN" {
		t.Errorf("feed round trip: %+v", parsed)
	}
	if strings.Contains(string(data), "<script>") {
		t.Errorf("feed contains raw <script>: %s", data)
	}

	sm := &Sitemap{URLs: []SitemapURL{{Loc: "https://x.org/zh/a/?q=1&r=2", LastMod: when, Alternates: []Alternate{{"zh-CN", "https://x.org/zh/a/"}, {"x-default", "https://x.org/zh/a/"}}}}}
	data, err = sm.XML()
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, new(struct{})); err != nil {
		t.Fatalf("sitemap is not well-formed: %v", err)
	}
	for _, want := range []string{`xmlns:xhtml="http://www.w3.org/1999/xhtml"`, `<xhtml:link rel="alternate" hreflang="zh-CN"`, "&amp;r=2"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("sitemap lacks %q:\n%s", want, data)
		}
	}
}

func TestHeaders(t *testing.T) {
	h := string(Headers([]string{"/", "/zh/*"}))
	for _, want := range []string{"/assets/*\n  Cache-Control: " + Immutable, "/zh/*\n  Cache-Control: " + Revalidate} {
		if !strings.Contains(h, want) {
			t.Errorf("Headers() lacks %q:\n%s", want, h)
		}
	}
}

// TestMinifyIsAFixedPoint: what the Minifier writes, it leaves as it is
// when given again, for every media type a build writes; and HTML comments,
// goldmark's "<!-- raw HTML omitted -->" among them, never survive.
func TestMinifyIsAFixedPoint(t *testing.T) {
	m := NewMinifier()
	tests := []struct{ name, in string }{
		{"a.html", "<!doctype html>\n<html lang=\"zh-CN\">\n<head><title>t</title></head>\n<body>\n<p>第一句<!-- raw HTML omitted -->，\n第二句。</p>\n<!-- raw HTML omitted -->\n<p><em>a</em>\n<strong>b</strong></p>\n</body>\n</html>\n"},
		{"a.css", "body {\n  color: #ff0000;\n  margin: 0px 0px;\n}\n/* comment */\n"},
		{"a.js", "(function () {\n  'use strict';\n  var current = null;\n  document.addEventListener('click', function (event) {\n    var target = event.target;\n    if (target !== current) { current = target; }\n  });\n})();\n"},
		{"a.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">\n  <!-- c -->\n  <rect x=\"0\" y=\"0\" width=\"10\" height=\"10\" fill=\"#ff0000\"/>\n</svg>\n"},
		{"a.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed>\n <title>t &amp; u</title>\n</feed>\n"},
		{"a.json", "{\n  \"a\": [1, 2.50, \"x\"]\n}\n"},
	}
	// The default theme's script, which the renamer names differently on
	// a second pass unless it keeps variable names.
	script, err := fs.ReadFile(themes.Default(), "static/js/journey.js")
	if err != nil {
		t.Fatal(err)
	}
	tests = append(tests, struct{ name, in string }{"journey.js", string(script)})
	for _, tt := range tests {
		once, err := m.File(tt.name, []byte(tt.in))
		if err != nil {
			t.Fatalf("File(%q): %v", tt.name, err)
		}
		twice, err := m.File(tt.name, once)
		if err != nil {
			t.Fatalf("File(%q) again: %v", tt.name, err)
		}
		if !bytes.Equal(once, twice) {
			t.Errorf("File(%q) = %q; minified again: %q", tt.name, once, twice)
		}
		if len(once) >= len(tt.in) {
			t.Errorf("File(%q) = %q; not shorter than the input", tt.name, once)
		}
		if strings.Contains(string(once), "<!--") {
			t.Errorf("File(%q) = %q; a comment survived", tt.name, once)
		}
	}
}

// TestAppend: Append appends; Bytes, which copies, leaves its input alone
// (Append's is the minifier's to use up).
func TestAppend(t *testing.T) {
	m := NewMinifier()
	const page = "<p>a\n  b</p>"
	got, err := m.Append([]byte("kept:"), "text/html", []byte(page + "x")[:len(page)])
	if err != nil {
		t.Fatal(err)
	}
	if want := "kept:<p>a\nb</p>"; string(got) != want {
		t.Errorf("Append = %q; want %q", got, want)
	}
	if got, _ := m.Append([]byte("a"), "", []byte("<p> b</p>")); string(got) != "a<p> b</p>" {
		t.Errorf("Append of an unknown media type = %q", got)
	}
	src := []byte(page + "x")[:len(page)]
	if _, err := m.Bytes("text/html", src); err != nil {
		t.Fatal(err)
	}
	if string(src[:cap(src)]) != page+"x" {
		t.Errorf("Bytes changed its input: %q", src[:cap(src)])
	}
}
