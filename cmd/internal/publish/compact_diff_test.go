package publish

import (
	"bytes"
	"strings"
	"testing"
)

// compactPageOracle is Compact as it was.
func compactPageOracle(dst, src []byte) ([]byte, bool) {
	if bytes.Contains(src, []byte("<!--")) {
		return dst, false
	}
	return compactOracle(dst, src, true)
}

// sameAsOracle fails t unless CompactHTML, Compact and InPre give for src
// (appending to a dst that holds something) what the oracle gives.
func sameAsOracle(t *testing.T, what string, src []byte) {
	t.Helper()
	prefix := []byte("<main>\n")
	got := CompactHTML(bytes.Clone(prefix), src)
	want, _ := compactOracle(bytes.Clone(prefix), src, false)
	if !bytes.Equal(got, want) {
		i := 0
		for i < min(len(got), len(want)) && got[i] == want[i] {
			i++
		}
		t.Fatalf("%s: CompactHTML differs from the oracle at byte %d:\n got %q\nwant %q", what, i, got[max(0, i-60):min(len(got), i+60)], want[max(0, i-60):min(len(want), i+60)])
	}
	got, ok := Compact(bytes.Clone(prefix), src)
	want, wantOK := compactPageOracle(bytes.Clone(prefix), src)
	if ok != wantOK || !bytes.Equal(got, want) {
		t.Fatalf("%s: Compact = %q, %v; the oracle %q, %v", what, got, ok, want, wantOK)
	}
	if got, want := InPre(src), inPreOracle(src); got != want {
		t.Fatalf("%s: InPre = %v; the oracle %v", what, got, want)
	}
}

// TestCompactOracleCases: the cases where a fast path could part from the
// oracle: declarations with and without '>', lone '<' before whitespace,
// quoted '<' and '>', names at and past the table's longest, upper case,
// raw elements nested and unclosed, style and handler attributes anywhere
// in a tag.
func TestCompactOracleCases(t *testing.T) {
	for _, in := range []string{
		"", " ", "<", "<p", "<p>", "</", "</>", "<!", "<!>", "<!-", "<!--", "<!-- x -->\n<p>", "<!x\n<p>", "a\n<!x",
		"<!doctype html>\n<html>\n<head>\n<title>t</title>\n</head>\n<body>\n<p>x</p>\n</body>\n</html>\n",
		"<p>a<\n<p>b</p>", "<span>a</span>\n<\n<span>", "<em>a</em> \t\r\n <em>b</em>", "<em>a</em>\n<!x>\n<em>b</em>",
		"<a title=\"<p>\">\n<b>", "<a title='>'>\n</a>\n<p>", "<a title=\"x'y\">\n<p>", "<a b=x'y>\n<p>", "<a title=\"unclosed>\n<p>",
		"<p!x>\n<em>", "<pre.x>\n a \n</pre.x>\n<p>", "<h1-x>\n<em>", "<p0>\n<em>", "<-p>\n<p>", "<0p>\n<p>",
		"<blockquote>\n<em>", "<BlockQuote>\n<em>", "<blockquotes>\n<em>", "<figcaption>\n<em>", "<figcaptions>\n<em>",
		"<abcdefghijklmnopq>\n<p>", "<abcdefghijklmnop>\n<p>", "<textareaa>\n<p>", "<textarea>\n</textarea>\n<p>",
		"<PRE>\n<pre>\n x \n</pre>\n \n</PRE>\n<p>", "</pre>\n<p>", "<pre>\n<p>", "<script>\n<p>", "<STYLE>\n</style>\n<p>",
		"<head>\n<em>\n</head>\n<em>\n<em>", "</head>\n<em>\n<em>", "<head>\n<head>\n</head>\n<em>\n<em>",
		"<p style=\"x\">", "<p  style=\"x\">", "<p\nstyle=\"x\">", "<p title=\"a style=b\">", "<p Style=\"x\">",
		"<a onclick=\"x\">", "<a on=\"x\">", "<a onx=\"\">", "<a title=\"go on home=1\">", "<a on-x=\"1\">", "<a xonclick=\"1\">",
		"<a one two=\"1\">", "<a onClick=\"1\">", "</a onclick=\"x\">", "<a\tonclick=\"x\">",
		"<script src=\"a.js\"></script>", "<script type=\"application/ld+json\">{}</script>", "<script>\n</script>",
		"<script type=module src=\"a.js\">", "<style>", "</style>\n<p>", "<p>第一站：<strong>杭州</strong>\n余杭</p>\n<aside>\n</aside>",
		"<\xff>\n<p>", "<p\x00>\n<p>", "<img alt=\"a > b\" src=\"x\">\n<p>",
	} {
		sameAsOracle(t, strings.ReplaceAll(in, "\n", `\n`), []byte(in))
	}
}

// TestKindTable: every element the oracle knows, in any case, has the same
// kind by the table, and so do names one byte longer or shorter.
func TestKindTable(t *testing.T) {
	for name := range tagKinds {
		for _, n := range []string{name, strings.ToUpper(name), strings.ToUpper(name[:1]) + name[1:], name + "x", name[:len(name)-1], name + "-1"} {
			if n == "" {
				continue
			}
			tag := []byte("<" + n + " a=\"b\">")
			gn, gk, gc := readTag(tag)
			wn, wk, wc := scanTag(tag)
			if gn != wn || gk != wk || gc != wc {
				t.Errorf("readTag(%q) = %d, %b, %v; scanTag %d, %b, %v", tag, gn, gk, gc, wn, wk, wc)
			}
		}
	}
}

// FuzzCompactOracle holds CompactHTML, Compact and InPre to the oracle,
// byte for byte, on any input and on the input with every tag on a line of
// its own (as a theme writes them).
func FuzzCompactOracle(f *testing.F) {
	for _, s := range []string{"<p>a</p>\n<p>b</p>", "<pre>\n x \n</pre>\n<p>", "<a href='>'>\n</a>", "<!doctype html>\n<html>",
		"<head>\n<title>t</title>\n</head>\n<body>\n<a onclick=\"x\">", "<em>a</em>\n<!x\n<em>", "<p>a<\n<p>", "<BLOCKQUOTE>\n<em>",
		"<script type=\"application/ld+json\">{}</script>\n<p style=\"x\">", "<textarea>\n</textarea>\n<span>\n<span>", "<!-- c -->"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		sameAsOracle(t, "input", []byte(in))
		sameAsOracle(t, "one tag a line", []byte(strings.ReplaceAll(in, "><", ">\n<")))
	})
}
