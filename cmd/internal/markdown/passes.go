package markdown

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// A Converter does the work of the figure, link, stop, sidebar and id
// transformers (and of collect) in two walks of the tree instead of six:
// each of those walks visits every node, and together they cost about as
// much as goldmark's own inline parsing. The walks call the same functions
// as the extensions' own transformers, in the same document order, so the
// HTML and the Doc are the same either way; the extensions keep their
// transformers for a plain goldmark.Markdown.
//
//   - earlyPass, where figures' transformer (100) and links' (200) ran:
//     before footnote's transformer (999), while the footnote definitions
//     are still where they were written and unreferenced ones are still in
//     the tree, so figures and links are found in the same order as before.
//   - latePass, where stops' (1000), sidebars' (1050) and ids' (1100) ran,
//     and collect after them: stops first (they only move top-level
//     blocks), then one walk for sidebars, ids, the summary and the counts.
type passes struct {
	figures *figureTransformer
	stops   *stopTransformer
}

func (p *passes) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(
		// 100, figures' priority: < footnote's 999, see earlyPass.
		util.Prioritized(earlyPass{p}, 100),
		// 1000, stops' priority: > footnote's 999, the footnote list is
		// the last child of the document and a stop ends before it.
		util.Prioritized(latePass{p}, 1000),
	))
	p.figures.f.extendRenderer(m)
	p.stops.s.extendRenderer(m)
	sidebarSyntax := &sidebars{}
	sidebarSyntax.extendParser(m)
	sidebarSyntax.extendRenderer(m)
	inlineRenderers(m)
}

type earlyPass struct{ p *passes }

// Transform makes figures and resolves links: a paragraph found among
// blocks is turned into a figure first, then the links in it (or in the
// figure that replaced it) are visited.
func (e earlyPass) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	e.walk(doc, src, stateOf(pc, src), true)
}

// walk visits the children of n. blocks tells whether they may be
// paragraphs to make figures of: not inside a paragraph or an inline.
func (e earlyPass) walk(n ast.Node, src []byte, st *state, blocks bool) {
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling() // a figure takes c's place
		inner := blocks && c.Type() != ast.TypeInline
		if k := c.Kind(); inner && (k == ast.KindParagraph || k == ast.KindTextBlock) {
			if fig := e.p.figures.transform(c, src, st); fig != nil {
				c = fig
			}
			inner = false
		}
		st.visitLink(c, src)
		if c.HasChildren() {
			e.walk(c, src, st, inner)
		}
		c = next
	}
}

type latePass struct{ p *passes }

// Transform makes the stops, then sets sidebar levels, gives ids and
// counts the text in one walk.
func (l latePass) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	l.p.stops.Transform(doc, reader, pc)
	src := reader.Source()
	st := stateOf(pc, src)
	w := lateWalk{st: st, src: src, ids: idPass{st: st, src: src}}
	w.walk(doc, true)
	w.ids.finish()
	st.summary, st.han, st.words = w.text.summary, w.text.c.han, w.text.c.words
	st.collected = true
}

type lateWalk struct {
	st   *state
	src  []byte
	ids  idPass
	text collector
}

// walk visits n and its descendants; count is false inside the nodes
// whose text is not counted (images, autolinks, raw HTML).
func (w *lateWalk) walk(n ast.Node, count bool) {
	inner := count
	if count && w.text.enter(n, w.src) {
		inner = false
	}
	if s, ok := n.(*SidebarBlock); ok {
		w.st.visitSidebar(s, w.src)
	}
	w.ids.visit(n)
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		w.walk(c, inner)
	}
	if count {
		w.text.exit(n)
	}
}
