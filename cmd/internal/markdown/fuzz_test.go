package markdown

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

// seeds returns the Markdown of every case file and of the sample site's
// reports.
func seeds(t testing.TB) []string {
	var out []string
	files, _ := filepath.Glob("testdata/*.txt")
	for _, f := range files {
		out = append(out, caseSources(t, f)...)
	}
	reports, _ := filepath.Glob("../../../content/*/*.md")
	for _, f := range reports {
		if b, err := os.ReadFile(f); err == nil {
			out = append(out, string(b))
		}
	}
	out = append(out, benchReport(1, "zh"), benchReport(2, "en"))
	return out
}

// checkHTML fails t when out breaks an invariant of every conversion.
func checkHTML(t *testing.T, src string, d *Doc, out string) {
	lower := strings.ToLower(out)
	for _, bad := range []string{"<script", "href=\"javascript:", "src=\"javascript:", "href=\"data:", "src=\"data:", "href=\"vbscript:", "href=\"file:"} {
		if strings.Contains(lower, bad) {
			t.Fatalf("Convert(%q) contains %q:\n%s", src, bad, out)
		}
	}
	// An embed's frame address and link are https, or absent.
	for _, attr := range []string{`data-embed-src="`, `class="embed-link" href="`} {
		for rest := out; ; {
			i := strings.Index(rest, attr)
			if i < 0 {
				break
			}
			rest = rest[i+len(attr):]
			if !strings.HasPrefix(rest, "https://") {
				t.Fatalf("Convert(%q): %s%.40s", src, attr, rest)
			}
		}
	}
	if n, m := strings.Count(out, "<aside "), strings.Count(out, "</aside>"); n != m {
		t.Fatalf("Convert(%q): %d <aside> but %d </aside>", src, n, m)
	}
	if n, m := strings.Count(out, "<section "), strings.Count(out, "</section>"); n != m || n != len(d.Stops) {
		t.Fatalf("Convert(%q): %d <section>, %d </section>, %d stops", src, n, m, len(d.Stops))
	}
	for i, s := range d.Stops {
		if s.N != i+1 {
			t.Fatalf("Convert(%q): stop %d numbered %d", src, i+1, s.N)
		}
	}
	seen := map[string]bool{}
	for _, id := range d.IDs {
		if seen[id] {
			t.Fatalf("Convert(%q): id %q twice in %q", src, id, d.IDs)
		}
		seen[id] = true
	}
	for _, p := range d.Problems {
		if strings.Contains(p.Text, "internal error") {
			t.Fatalf("Convert(%q): %v", src, p)
		}
	}
	if !utf8.ValidString(out) {
		t.Fatalf("Convert(%q) is not valid UTF-8", src)
	}
}

func FuzzConvert(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	c := New()
	f.Fuzz(func(t *testing.T, src string) {
		if !utf8.ValidString(src) {
			t.Skip("the site rejects invalid UTF-8 before Markdown")
		}
		for _, lang := range []string{"zh", "en"} {
			d := c.Parse([]byte(src), testEnv(lang))
			var b bytes.Buffer
			if err := d.Render(&b); err != nil {
				t.Fatalf("Render(%q): %v", src, err)
			}
			checkHTML(t, src, d, b.String())
		}
	})
}

func FuzzContainer(f *testing.F) {
	f.Add("sidebar 标题", "内容\n:::")
	f.Add("quote", "::: quote 张三\n引语\n:::\n")
	f.Add("note 更正", "```\n:::\n```\n- a\n\n  ::: sidebar\n  b\n")
	f.Add("box", "> :::\n")
	f.Add("embed https://datawrapper.dwcdn.net/a/1/", "标题\n\n说明\n\n图片来源：某某\n\n![图](photos/x.jpg)")
	f.Add("embed https://youtu.be/dQw4w9WgXcQ", "")
	f.Add("embed javascript:alert(1)", "标题")
	f.Add("EMBED http://x.example/ a", "![a](photos/x.jpg)")
	c := New()
	f.Fuzz(func(t *testing.T, head, body string) {
		if !utf8.ValidString(head) || !utf8.ValidString(body) {
			t.Skip()
		}
		src := "::: " + head + "\n" + body + "\n:::\n"
		d := c.Parse([]byte(src), testEnv("zh"))
		var b bytes.Buffer
		if err := d.Render(&b); err != nil {
			t.Fatal(err)
		}
		checkHTML(t, src, d, b.String())
		if n := strings.Count(b.String(), "<aside "); len(d.Sidebars) > n {
			t.Fatalf("Convert(%q): %d sidebars but %d <aside>", src, len(d.Sidebars), n)
		}
	})
}

func FuzzStopLabel(f *testing.F) {
	for _, s := range []string{"第一站 余杭", "第九十九站：甲", "第3站", "First stop: A", "TWENTIETH STOP", "Stop 12 - x", "第十站台", "Stop", "第", "第一十站"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			t.Skip()
		}
		n, label, title, ok := parseStopLabel(s)
		if !ok {
			if n != 0 || label != "" || title != "" {
				t.Fatalf("parseStopLabel(%q) = %d, %q, %q, false", s, n, label, title)
			}
			return
		}
		if n < 1 || n > 999 {
			t.Fatalf("parseStopLabel(%q) = %d", s, n)
		}
		if !strings.HasPrefix(s, label) || !strings.Contains(s[len(label):], title) {
			t.Fatalf("parseStopLabel(%q) = %q, %q: label not a prefix or title not after it", s, label, title)
		}
		if title != trimSpace(title) {
			t.Fatalf("parseStopLabel(%q): title %q not trimmed", s, title)
		}
	})
}

// goldmarkTwin is the Converter's goldmark without the Emphasis extension
// (CJK-friendly emphasis and strikethrough).
func goldmarkTwin() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(gfm, extension.Footnote, extension.NewCJK(extension.WithEscapedSpace()),
			figures, sidebars, stops, inlines, headingIDs, rawHTML),
		goldmark.WithParserOptions(parser.WithHeadingAttribute()),
	)
}

// FuzzEmphasis checks that text without a CJK character or a variation
// selector converts exactly as it does with goldmark's own emphasis and
// strikethrough, and that nothing panics.
func FuzzEmphasis(f *testing.F) {
	for _, s := range []string{"**「刻舟求剑」**是", "**中文：**说明", "這是**重要（注意）**的事", `a*"foo"*`, "*foo**bar**baz*", "__a__b_c_", "***a** b*", "a~~b~~c ~x~ ~~~y~~~", "«**a**»︀ ∇~~b~~"} {
		f.Add(s)
	}
	ours, ref := New().md, goldmarkTwin()
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			t.Skip()
		}
		var a, b bytes.Buffer
		if err := ours.Convert([]byte(s), &a); err != nil {
			t.Fatal(err)
		}
		for _, r := range s {
			// The amendment reads a variation selector with the
			// character before it, CommonMark on its own.
			if isCJK(r) || isCJKChar(r) || isIVS(r) || isSVS(r) {
				return
			}
		}
		if err := ref.Convert([]byte(s), &b); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Fatalf("Convert(%q) = %q; goldmark's emphasis gives %q", s, a.String(), b.String())
		}
	})
}
