package markdown

import (
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// kindSidebarBlock is the kind of a sidebarBlock node.
var kindSidebarBlock = ast.NewNodeKind("Sidebar")

// A sidebarBlock is a ::: container: a sidebar, a pull quote or an
// editor's note. Its first child is its sidebarTitle when it has one (the
// last child for a quote, whose title is the attribution).
type sidebarBlock struct {
	ast.BaseBlock
	KindName string   // "sidebar", "quote" or "note"
	Title    ast.Node // the sidebarTitle child, nil without a title
	ID       string   // "sidebar-N", given to titled sidebars and notes
	Level    int      // heading level of the title: 2, one more inside a stop and per enclosing container
	closed   bool     // its closing ::: was seen
	unknown  bool     // written with an unknown kind (an error), rendered as a sidebar
	written  string   // the kind as written, for messages
	line     int      // its opening line in Env.File

	// An embed (embed.go): its URL as written, provider, frame address,
	// plain-text title and the document's language.
	embedURL, provider, embedSrc, embedTitle, loadLabel string
}

// Kind implements ast.Node.
func (n *sidebarBlock) Kind() ast.NodeKind { return kindSidebarBlock }

// Dump implements ast.Node.
func (n *sidebarBlock) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Kind": n.KindName, "ID": n.ID}, nil)
}

// kindSidebarTitle is the kind of a sidebarTitle node.
var kindSidebarTitle = ast.NewNodeKind("SidebarTitle")

// A sidebarTitle is the title written after ::: KIND; its inline content
// is Markdown.
type sidebarTitle struct {
	ast.BaseBlock
}

// Kind implements ast.Node.
func (n *sidebarTitle) Kind() ast.NodeKind { return kindSidebarTitle }

// Dump implements ast.Node.
func (n *sidebarTitle) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// sidebars parses ::: containers.
var sidebars = extender(func(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithBlockParsers(
			// 750: after fenced code's 700, before blockquote's 800; no
			// other block parser starts with ':'.
			util.Prioritized(&sidebarParser{}, 750),
		),
		parser.WithASTTransformers(
			// 1050 > stops' 1000: a title's level depends on the stop
			// section around it; < ids' 1100, which numbers titled sidebars.
			util.Prioritized(transformer(transformSidebars), 1050),
		),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		// 500, like footnote's and table's renderers: no other renderer
		// registers these kinds; inline.go's 100 overrides html.Renderer's 1000.
		util.Prioritized(nodeRenderer(registerSidebars), 500),
	))
})

// fence returns the length of the run of colons starting line at pos, and
// the rest of the line after it.
func fence(line []byte, pos int) (int, []byte) {
	i := pos
	for i < len(line) && line[i] == ':' {
		i++
	}
	return i - pos, line[i:]
}

// isClosingFence reports whether line is ":::" (three or more colons)
// with nothing else but spaces.
func isClosingFence(line []byte) bool {
	w, pos := util.IndentWidth(line, 0)
	if w > 3 {
		return false
	}
	n, rest := fence(line, pos)
	return n >= 3 && util.IsBlank(rest)
}

type sidebarParser struct{}

func (p *sidebarParser) Trigger() []byte { return []byte{':'} }

func (p *sidebarParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 {
		return nil, parser.NoChildren
	}
	n, rest := fence(line, pos)
	if n < 3 {
		return nil, parser.NoChildren
	}
	st := stateOf(pc, reader.Source())
	if util.IsBlank(rest) {
		open := false
		for _, b := range pc.OpenedBlocks() {
			if _, ok := b.Node.(*sidebarBlock); ok {
				open = true
			}
		}
		if !open {
			st.warnf(st.line(seg.Start), "::: closes no container")
		}
		return nil, parser.NoChildren
	}
	// ::: KIND TITLE
	depth := 0
	for _, b := range pc.OpenedBlocks() {
		if _, ok := b.Node.(*sidebarBlock); ok {
			depth++
		}
	}
	if depth >= MaxContainers {
		// goldmark's work per line grows with the open blocks: refuse
		// deeper containers, once per document, and read the line as text.
		if !st.tooDeep {
			st.tooDeep = true
			st.errorf(st.line(seg.Start), "more than %d ::: containers open at once", MaxContainers)
		}
		return nil, parser.NoChildren
	}
	start := seg.Start + len(line) - len(rest)
	i := 0
	for i < len(rest) && (rest[i] == ' ' || rest[i] == '\t') {
		i++
	}
	j := i
	for j < len(rest) && rest[j] != ' ' && rest[j] != '\t' && rest[j] != '\n' && rest[j] != '\r' {
		j++
	}
	written := string(rest[i:j])
	kind := strings.ToLower(written)
	node := &sidebarBlock{KindName: kind}
	node.written = written
	node.line = st.line(seg.Start)
	switch kind {
	case "sidebar", "quote", "note":
	case "embed":
		st.checkEmbed(node, string(trimSpaceBytes(rest[j:])))
		reader.AdvanceToEOL()
		return node, parser.HasChildren
	default:
		st.errorf(node.line, "unknown container kind %q; use sidebar, quote, note or embed", written)
		node.KindName = "sidebar"
		node.unknown = true
	}
	title := text.NewSegment(start+j, seg.Stop)
	title = title.TrimLeftSpace(reader.Source())
	title = title.TrimRightSpace(reader.Source())
	if title.Len() > 0 {
		t := &sidebarTitle{}
		t.Lines().Append(title)
		t.SetPos(title.Start)
		node.AppendChild(node, t)
		node.Title = t
	}
	reader.AdvanceToEOL()
	return node, parser.HasChildren
}

func (p *sidebarParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, _ := reader.PeekLine()
	if !isClosingFence(line) {
		return parser.Continue | parser.HasChildren
	}
	// The fence closes the innermost open container, unless it is code.
	blocks := pc.OpenedBlocks()
	inner := false
	for _, b := range blocks {
		if b.Node == node {
			inner = true
			continue
		}
		if !inner {
			continue
		}
		switch b.Node.Kind() {
		case kindSidebarBlock, ast.KindFencedCodeBlock, ast.KindHTMLBlock:
			return parser.Continue | parser.HasChildren
		}
	}
	node.(*sidebarBlock).closed = true
	reader.AdvanceToEOL()
	return parser.Close
}

func (p *sidebarParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	n := node.(*sidebarBlock)
	if !n.closed {
		st := stateOf(pc, reader.Source())
		st.warnf(n.line, "::: %s opened on line %d is never closed", n.written, n.line)
	}
	if n.KindName == "quote" && n.Title != nil {
		n.AppendChild(n, n.Title) // the attribution follows the quote
	}
	if n.KindName == "embed" {
		stateOf(pc, reader.Source()).arrangeEmbed(n, reader.Source())
	}
}

func (p *sidebarParser) CanInterruptParagraph() bool { return true }

func (p *sidebarParser) CanAcceptIndentedLine() bool { return false }

// transformSidebars records the containers in document order and sets the
// heading level of their titles.
func transformSidebars(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	st := stateOf(pc, src)
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		if n, ok := node.(*sidebarBlock); ok && entering {
			st.visitSidebar(n, src)
		}
		return ast.WalkContinue, nil
	})
}

// visitSidebar sets the heading level of n's title and records n.
func (st *state) visitSidebar(n *sidebarBlock, src []byte) {
	n.Level = 2
	for p := n.Parent(); p != nil; p = p.Parent() {
		switch p.Kind() {
		case kindStopSection, kindSidebarBlock:
			n.Level++
		}
	}
	n.Level = min(n.Level, 6)
	title := ""
	if n.Title != nil {
		title = plainText(n.Title, src)
	}
	n.embedTitle = title
	if n.KindName == "embed" {
		st.checkEmbedFallback(n, src)
	}
	if !n.unknown && n.KindName != "embed" {
		st.sidebars = append(st.sidebars, Sidebar{Kind: n.KindName, Title: title, Line: n.line})
	}
}

func registerSidebars(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindSidebarBlock, renderSidebar)
	reg.Register(kindSidebarTitle, renderSidebarTitle)
	reg.Register(kindEmbedTitle, renderEmbedPart)
	reg.Register(kindEmbedCredit, renderEmbedPart)
	reg.Register(kindEmbedFallback, renderEmbedPart)
}

func renderSidebar(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*sidebarBlock)
	if n.KindName == "embed" {
		renderEmbed(w, n, entering)
		return ast.WalkContinue, nil
	}
	if n.KindName == "quote" {
		if entering {
			_, _ = w.WriteString("<aside class=\"sidebar sidebar-quote\">\n<blockquote>\n")
		} else {
			if n.Title == nil {
				_, _ = w.WriteString("</blockquote>\n")
			}
			_, _ = w.WriteString("</aside>\n")
		}
		return ast.WalkContinue, nil
	}
	if entering {
		_, _ = w.WriteString(`<aside class="sidebar sidebar-`)
		_, _ = w.WriteString(n.KindName)
		_ = w.WriteByte('"')
		if n.Title != nil && n.ID != "" {
			_, _ = w.WriteString(` aria-labelledby="`)
			writeEscaped(w, n.ID)
			_ = w.WriteByte('"')
		}
		_, _ = w.WriteString(">\n")
	} else {
		_, _ = w.WriteString("</aside>\n")
	}
	return ast.WalkContinue, nil
}

func renderSidebarTitle(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n, _ := node.Parent().(*sidebarBlock)
	if n == nil {
		return ast.WalkSkipChildren, nil
	}
	if n.KindName == "quote" {
		if entering {
			_, _ = w.WriteString("</blockquote>\n<p class=\"attribution\">— ")
		} else {
			_, _ = w.WriteString("</p>\n")
		}
		return ast.WalkContinue, nil
	}
	if entering {
		_, _ = w.WriteString("<h")
		_, _ = w.WriteString(strconv.Itoa(n.Level))
		if n.ID != "" {
			_, _ = w.WriteString(` id="`)
			writeEscaped(w, n.ID)
			_ = w.WriteByte('"')
		}
		_, _ = w.WriteString(` class="sidebar-title">`)
	} else {
		_, _ = w.WriteString("</h")
		_, _ = w.WriteString(strconv.Itoa(n.Level))
		_, _ = w.WriteString(">\n")
	}
	return ast.WalkContinue, nil
}
