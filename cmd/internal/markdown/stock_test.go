package markdown

import (
	"bufio"
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// stockConverter is New's Converter with goldmark's own link reference
// transformer, linkify parser and table cells in place of the faster
// ones of this package, for the tests that hold those to the library.
func stockConverter() *Converter {
	return &Converter{md: goldmark.New(
		goldmark.WithExtensions(stockGFM, extension.Footnote, extension.NewCJK(extension.WithEscapedSpace()),
			emphasis, figures, inlines, stops, sidebars, headingIDs, langSpans, rawHTML),
		goldmark.WithParserOptions(parser.WithHeadingAttribute()),
	)}
}

// stockGFM is extension.GFM with gfm's URL patterns.
var stockGFM = extender(func(m goldmark.Markdown) {
	extension.NewLinkify(linkifyOptions...).Extend(m)
	extension.Table.Extend(m)
	extension.Strikethrough.Extend(m)
	extension.TaskList.Extend(m)
})

// checkStock converts src with c and with stock: the HTML and the Doc
// must be the same.
func checkStock(t *testing.T, c, stock *Converter, src string) {
	for _, lang := range []string{"zh", "en"} {
		env := testEnv(lang)
		env.Credit = "新华社"
		want := stock.Parse([]byte(src), env)
		var wantHTML bytes.Buffer
		if err := want.Render(&wantHTML); err != nil {
			t.Fatal(err)
		}
		got := c.Parse([]byte(src), env)
		var b bytes.Buffer
		if err := got.Render(&b); err != nil {
			t.Fatal(err)
		}
		if b.String() != wantHTML.String() {
			t.Errorf("Convert(%.60q…) differs from goldmark's own parts:\n%s\nwant:\n%s", src, b.String(), wantHTML.String())
		}
		got.render, want.render = nil, nil
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Parse(%.60q…) = %+v;\ngoldmark's own parts give %+v", src, got, want)
		}
	}
}

func TestLinkifyFilter(t *testing.T) {
	ours := goldmark.New(goldmark.WithExtensions(gfm))
	stock := goldmark.New(goldmark.WithExtensions(stockGFM))
	for _, src := range []string{
		"see https://example.org and www.example.com or ftp://x.org/a.",
		"mail a@b.org, (c@d.cn) *e@f.io* ~g@h.net~ _i@j.com_",
		"x@y no dot, a.b@c.d-, " + strings.Repeat("a", 64) + "@x.org " + strings.Repeat("b", 65) + "@x.org",
		"http:no, https:/half, HTTP://upper.org, www.x, wwww.example.com",
		"line start\nhttps://example.org/path?q=1#f\nwww.example.com.\n- a@b.org\n",
		"[a link https://x.org](https://y.org) and <https://z.org>",
		"中文 https://example.org 中文 https://example.org/中 邮箱 a@b.org。",
	} {
		var a, b bytes.Buffer
		if err := ours.Convert([]byte(src), &a); err != nil {
			t.Fatal(err)
		}
		if err := stock.Convert([]byte(src), &b); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Errorf("Convert(%q) = %q; stock GFM gives %q", src, a.String(), b.String())
		}
	}
}

func TestWriteText(t *testing.T) {
	for _, s := range []string{
		"", "plain", "中文文本，没有转义。", `a "quoted" <tag> & more`, `back\slash \* \ space`,
		"&amp; &#x4e2d; &#20013; &copy; &nosuch; &", "nul\x00byte", "中\\ 文", "x > y < z",
	} {
		var a, b bytes.Buffer
		wa, wb := bufio.NewWriter(&a), bufio.NewWriter(&b)
		writeText(wa, []byte(s))
		textWriter.Write(wb, []byte(s))
		_, _ = wa.Flush(), wb.Flush()
		if a.String() != b.String() {
			t.Errorf("writeText(%q) = %q; textWriter.Write gives %q", s, a.String(), b.String())
		}
	}
}

func TestTrimSpace(t *testing.T) {
	for _, s := range []string{"", " ", "a", " a ", "\u3000标题\u3000", "\t\r\n x\n", "中", "\u3001", "a\u3000", "\xe3", "x\x80", "\xe3\x80"} {
		if got, want := trimSpace(s), strings.Trim(s, " \t\r\n\u3000"); got != want {
			t.Errorf("trimSpace(%q) = %q; want %q", s, got, want)
		}
	}
}

// checkLinkifyFilter fails when goldmark's linkify parser finds a link at
// a place of src that mayLinkify turns away.
func checkLinkifyFilter(t *testing.T, src string) {
	p := extension.NewLinkifyParser(linkifyOptions...)
	at := strings.IndexByte(src, '@') >= 0
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case i == 0, src[i-1] == '\n', c == ' ', c == '*', c == '_', c == '~', c == '(':
		default:
			continue
		}
		r := text.NewReader([]byte(src))
		r.Advance(i)
		line, _ := r.PeekLine()
		if mayLinkify(line, at) {
			continue
		}
		if n := p.Parse(ast.NewParagraph(), r, parser.NewContext()); n != nil {
			t.Fatalf("linkify finds a link at %d of %q that mayLinkify turns away", i, src)
		}
	}
}

func TestLinkifyFilterTurnsAwayNoLink(t *testing.T) {
	for _, src := range append(seeds(t),
		"see https://example.org and www.example.com or ftp://x.org/a.",
		"mail a@b.org, (c@d.cn) *e@f.io* ~g@h.net~ _i@j.com_ hat@x.org fee@y.cn wow@z.io",
		"http:no, https:/half, HTTP://upper.org, www.x, wwww.example.com h f w http https ftp www",
		"中文https://example.org 中文 https://example.org/中 邮箱 a@b.org。",
	) {
		checkLinkifyFilter(t, src)
	}
}

func FuzzLinkifyFilter(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Add("x http://a.b y www.c.d z ftp://e.f a@b.cd")
	f.Fuzz(checkLinkifyFilter)
}
