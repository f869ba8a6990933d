package publish

import (
	"bytes"
	"strings"
	"testing"
)

func TestCompactHTML(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"blocks", "<h2 id=\"a\">A</h2>\n<p>one</p>\n<p>two</p>\n", `<h2 id="a">A</h2><p>one</p><p>two</p>`},
		{"leading and trailing", "\n\n<p>x</p>\n\n", "<p>x</p>"},
		{"soft break in text", "<p>one\ntwo</p>\n", "<p>one\ntwo</p>"},
		{"between inline elements", "<p><em>a</em>\n<strong>b</strong> <a href=\"/x\">c</a></p>", "<p><em>a</em>\n<strong>b</strong> <a href=\"/x\">c</a></p>"},
		{"inline after block start", "<li>\n<em>a</em>\n</li>", "<li><em>a</em></li>"},
		{"lists", "<ul>\n<li>a</li>\n<li>\n<p>b</p>\n</li>\n</ul>\n", "<ul><li>a</li><li><p>b</p></li></ul>"},
		{"figure", "<figure class=\"f\">\n<img src=\"a.jpg\" alt=\"a > b\">\n<figcaption>c</figcaption>\n</figure>", "<figure class=\"f\"><img src=\"a.jpg\" alt=\"a > b\"><figcaption>c</figcaption></figure>"},
		{"pre keeps all", "<pre><code>a\n  <span>b</span>\n\n</code></pre>\n<p>x</p>", "<pre><code>a\n  <span>b</span>\n\n</code></pre><p>x</p>"},
		{"table", "<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n</table>", "<table><thead><tr><th>a</th></tr></thead></table>"},
		{"text with spaces only between inline", "<span>a</span> <span>b</span>", "<span>a</span> <span>b</span>"},
		{"lone lt", "<p>a < b</p>\n", "<p>a < b</p>"},
		{"upper case tags", "<P>a</P>\n<P>b</P>", "<P>a</P><P>b</P>"},
		{"cjk", "<p>第一站：<strong>杭州</strong>\n余杭</p>\n<aside class=\"sidebar\">\n<p>注</p>\n</aside>", "<p>第一站：<strong>杭州</strong>\n余杭</p><aside class=\"sidebar\"><p>注</p></aside>"},
		{"empty", "", ""},
		{"only spaces", " \n ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(CompactHTML(nil, []byte(tt.in)))
			if got != tt.want {
				t.Errorf("CompactHTML(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCompactHTMLAppends(t *testing.T) {
	got := CompactHTML([]byte("<main>"), []byte("\n<p>x</p>\n"))
	if string(got) != "<main><p>x</p>" {
		t.Errorf("got %q", got)
	}
}

func TestCompact(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"<!doctype html>\n<html>\n<head>\n<title>t</title>\n</head>\n<body><p>x</p></body></html>", true},
		{`<script src="/a.js" defer></script>`, true},
		{`<script type="application/ld+json">{"a":1}</script>`, true},
		{`<script>alert(1)</script>`, false},
		{`<style>p { color: red }</style>`, false},
		{`<p>a</p><!-- a comment -->`, false},
		{`<p style="color: red">a</p>`, false},
		{`<a href="#" onclick="go()">a</a>`, false},
		{`<img alt="a photo on the river" src="a.jpg">`, true},
	}
	for _, tt := range tests {
		if got := compactable([]byte(tt.in)); got != tt.want {
			t.Errorf("compactable(%q) = %v; want %v", tt.in, got, tt.want)
		}
		if out, ok := Compact([]byte("kept"), []byte(tt.in)); ok != tt.want || !ok && string(out) != "kept" {
			t.Errorf("Compact(%q) = %q, %v; want %v and dst untouched when false", tt.in, out, ok, tt.want)
		}
	}
	got := string(CompactHTML(nil, []byte("<!doctype html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n<title>t</title>\n</head>")))
	if want := `<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>t</title></head>`; got != want {
		t.Errorf("CompactHTML(head) = %q; want %q", got, want)
	}
}

func TestInPre(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"", false},
		{"<div><p>", false},
		{"<div><pre>", true},
		{"<pre class=\"x\"><code>", true},
		{"<pre>a</pre><p>", false},
		{"<textarea>", true},
		{"<script>var a = 1;</script><div>", false},
		{"<style>", true},
		{"<PRE>", true},
		{"<p title=\"<pre>\">", false},
	}
	for _, tt := range tests {
		if got := InPre([]byte(tt.in)); got != tt.want {
			t.Errorf("InPre(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
}

// FuzzCompactHTML: only whitespace ever goes, the result is compact already
// (a second pass changes nothing), and text inside <pre> is untouched.
func FuzzCompactHTML(f *testing.F) {
	for _, s := range []string{"<p>a</p>\n<p>b</p>", "<pre>\n x \n</pre>", "<a href='>'>\n</a>", "<", "</>", "<p\n>", "<ul>\n<li>\n</li></ul>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := CompactHTML(nil, []byte(in))
		strip := func(s []byte) string {
			return strings.Map(func(r rune) rune {
				if r == ' ' || r == '\n' || r == '\t' || r == '\r' {
					return -1
				}
				return r
			}, string(s))
		}
		if strip(out) != strip([]byte(in)) {
			t.Fatalf("CompactHTML(%q) = %q: more than whitespace changed", in, out)
		}
		if c, ok := Compact(nil, []byte(in)); ok != compactable([]byte(in)) || ok && !bytes.Equal(c, out) {
			t.Fatalf("Compact(%q) = %q, %v; compactable %v, CompactHTML %q", in, c, ok, compactable([]byte(in)), out)
		}
		if again := CompactHTML(nil, out); !bytes.Equal(again, out) {
			t.Fatalf("not idempotent: %q → %q → %q", in, out, again)
		}
		if i := strings.Index(in, "<pre>"); i >= 0 && !strings.Contains(in[:i], "<") {
			if j := strings.Index(in[i:], "</pre>"); j >= 0 {
				block := in[i : i+j+len("</pre>")]
				if !bytes.Contains(out, []byte(block)) {
					t.Fatalf("CompactHTML(%q) = %q: changed the <pre> block %q", in, out, block)
				}
			}
		}
	})
}

// compactable is Compact's test oracle: whether Compact takes the page,
// found by a scan of its own over the page's tags (the check of one tag,
// minifierTag, is shared).
func compactable(page []byte) bool {
	if bytes.Contains(page, []byte("<!--")) {
		return false
	}
	for i := 0; i < len(page); {
		j := bytes.IndexByte(page[i:], '<')
		if j < 0 {
			return true
		}
		i += j
		n, kind, closing := scanTag(page[i:])
		if n == 0 {
			i++
			continue
		}
		if !closing && minifierTag(page[i:i+n], kind) {
			return false
		}
		i += n
	}
	return true
}
