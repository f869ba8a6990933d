package markdown

import (
	"bytes"
	"regexp"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Language spans: words in the other language inside a report, written
// [Alibaba Cloud]{lang=en} or [数智治理]{lang="zh-CN"}, render as
// <span lang="en">Alibaba Cloud</span>, so that screen readers pronounce
// them in their language and browsers pick the right font. The text inside
// the brackets is plain text (no nested markup) on one line; anything else
// in braces, or a tag that is not a BCP 47 language tag, leaves the
// brackets to the link parser as usual.

// kindLangSpan is the node kind of a language span.
var kindLangSpan = ast.NewNodeKind("LangSpan")

// A langSpan is inline text in another language.
type langSpan struct {
	ast.BaseInline
	Lang string
}

// Kind implements ast.Node.
func (n *langSpan) Kind() ast.NodeKind { return kindLangSpan }

// Dump implements ast.Node.
func (n *langSpan) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Lang": n.Lang}, nil)
}

// langSpanPattern matches the whole span at the start of a line:
// [text]{lang=tag} or {lang="tag"}.
var langSpanPattern = regexp.MustCompile(`^\[([^\[\]\n]+)\]\{lang=("?)([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)("?)\}`)

type langParser struct{}

func (langParser) Trigger() []byte { return []byte{'['} }

func (langParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if !mayBeLangSpan(line) {
		return nil
	}
	m := langSpanPattern.FindSubmatchIndex(line)
	if m == nil || (m[5]-m[4] != m[9]-m[8]) { // quotes must pair
		return nil
	}
	n := &langSpan{Lang: string(line[m[6]:m[7]])}
	n.AppendChild(n, ast.NewTextSegment(text.NewSegment(seg.Start+m[2], seg.Start+m[3])))
	block.Advance(m[1])
	return n
}

// mayBeLangSpan reports whether langSpanPattern can match line: the first '[',
// ']' or newline after the opening bracket is a ']' followed by
// "{lang=". Every '[' of a document triggers the parser, and this check
// spares the regular expression nearly all of them (links, footnotes).
func mayBeLangSpan(line []byte) bool {
	if len(line) < 2 || line[0] != '[' {
		return false
	}
	i := bytes.IndexAny(line[1:], "[]\n")
	if i <= 0 || line[1+i] != ']' {
		return false
	}
	return bytes.HasPrefix(line[2+i:], []byte("{lang="))
}

// langSpans is the extension for [text]{lang=tag}.
var langSpans = extender(func(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(
		// 100 < the link parser's 200 (lower runs first): a language span is tried first, and
		// the brackets fall back to a link when it does not match.
		util.Prioritized(langParser{}, 100),
	))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		// 500, like the other extensions' renderers: no other renderer registers this kind.
		util.Prioritized(nodeRenderer(registerLangSpans), 500),
	))
})

func registerLangSpans(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindLangSpan, renderLangSpan)
}

func renderLangSpan(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(`<span lang="`)
		writeEscaped(w, node.(*langSpan).Lang)
		_, _ = w.WriteString(`">`)
	} else {
		_, _ = w.WriteString("</span>")
	}
	return ast.WalkContinue, nil
}
