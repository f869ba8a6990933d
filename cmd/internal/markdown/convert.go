package markdown

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"dateline/cmd/internal/problem"
)

// A Converter holds the one goldmark.Markdown of a build. It is configured
// once, by New, and is then safe for concurrent use: everything that belongs
// to one document travels in that document's parser.Context.
type Converter struct {
	md goldmark.Markdown
}

// An Option configures a Converter.
type Option func(*options)

type options struct {
	extenders []goldmark.Extender
}

// WithExtenders adds goldmark extenders after Dateline's own.
func WithExtenders(exts ...goldmark.Extender) Option {
	return func(o *options) { o.extenders = append(o.extenders, exts...) }
}

// New returns a Converter with every goldmark option of a Dateline build:
// GFM (tables, strikethrough, autolinks, task lists), footnotes, the CJK
// extension, heading attributes, stops, figures, sidebars, CJK-friendly
// emphasis, heading ids that keep Han characters, table alignment as
// classes of the cells, and the default safe renderer (dangerous URLs are
// dropped); raw HTML is dropped with a warning (rawhtml.go).
func New(opts ...Option) *Converter {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	exts := []goldmark.Extender{
		gfm, // extension.GFM with a faster linkify (inline.go)
		extension.Footnote,
		// Soft line breaks are written by our own text renderer (inline.go),
		// which drops them between CJK characters; the extension adds the
		// escaped space ("\ " joins text without a space).
		extension.NewCJK(extension.WithEscapedSpace()),
		emphasis,
		figures,    // transformer 100
		inlines,    // transformer 200
		stops,      // transformer 1000
		sidebars,   // transformer 1050
		headingIDs, // transformer 1100
		langSpans,
		rawHTML,
		alignClasses, // transformer 1200
	}
	exts = append(exts, o.extenders...)
	md := goldmark.New(
		// goldmark's default parser, but for the filter in front of its
		// link reference definitions (before the parser options below,
		// which go to the parser set at the time).
		goldmark.WithParser(parser.NewParser(
			parser.WithBlockParsers(parser.DefaultBlockParsers()...),
			parser.WithInlineParsers(parser.DefaultInlineParsers()...),
			// 100, the priority DefaultParagraphTransformers gives it.
			parser.WithParagraphTransformers(util.Prioritized(linkRefFilter{parser.LinkReferenceParagraphTransformer}, 100)),
		)),
		goldmark.WithExtensions(exts...),
		goldmark.WithParserOptions(parser.WithHeadingAttribute()),
	)
	return &Converter{md: md}
}

// alignClasses renders the alignment of a GFM table column as a class of
// its cells (align-left, align-right, align-center; the theme's CSS aligns
// them) instead of goldmark's default style="text-align:…": the HTML
// minifier runs its CSS minifier on every style attribute, once per cell,
// which cost more than the rest of a table's minification.
var alignClasses = extender(func(m goldmark.Markdown) {
	m.Renderer().AddOptions(extension.WithTableCellAlignMethod(extension.TableCellAlignNone))
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(transformer(classifyCells), 1200)))
})

// alignClassValues are the class attribute values by east.Alignment, boxed
// once: attribute values are only read.
var alignClassValues = [...]any{
	east.AlignLeft:   []byte("align-left"),
	east.AlignRight:  []byte("align-right"),
	east.AlignCenter: []byte("align-center"),
	east.AlignNone:   nil,
}

// classifyCells gives every aligned table cell its alignment class. Tables
// are blocks: the walk skips the inline content of every other block.
func classifyCells(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if t, ok := n.(*east.Table); ok {
			for row := t.FirstChild(); row != nil; row = row.NextSibling() {
				for c := row.FirstChild(); c != nil; c = c.NextSibling() {
					if cell, ok := c.(*east.TableCell); ok && int(cell.Alignment) < len(alignClassValues) && alignClassValues[cell.Alignment] != nil {
						cell.SetAttributeString("class", alignClassValues[cell.Alignment])
					}
				}
			}
			return ast.WalkSkipChildren, nil
		}
		if c := n.FirstChild(); c == nil || c.Type() == ast.TypeInline {
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

// linkRefFilter passes to goldmark's link reference transformer only the
// paragraphs that can start with a definition. That transformer makes a
// text.BlockReader for every paragraph and skips its spaces, and leaves
// the paragraph as it was unless the first byte that is not a space
// (util.IsSpace, across lines) is '['.
type linkRefFilter struct{ parser.ParagraphTransformer }

func (f linkRefFilter) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	lines, src := node.Lines(), reader.Source()
	for i := 0; i < lines.Len(); i++ {
		// A segment's padding is spaces: its bytes in src are enough.
		seg := lines.At(i)
		for _, c := range src[seg.Start:seg.Stop] {
			if !util.IsSpace(c) {
				if c == '[' {
					f.ParagraphTransformer.Transform(node, reader, pc)
				}
				return
			}
		}
	}
	// No lines, or only spaces: as rare as it is odd.
	f.ParagraphTransformer.Transform(node, reader, pc)
}

// Parse parses one document. It never panics: a failure inside goldmark
// becomes an error problem at env.File. src must be valid UTF-8 (the site
// rejects other input before Markdown sees it) and must not be modified
// until the Doc has been rendered.
func (c *Converter) Parse(src []byte, env Env) (doc *Doc) {
	st := newState(src, env)
	if n, msg := checkLimits(src); n > 0 {
		st.errorf(st.bodyLine()+n-1, "%s: the document is refused", msg)
		return &Doc{
			Problems: st.problems,
			render:   func(io.Writer) error { return fmt.Errorf("%s: document refused", env.File) },
		}
	}
	defer func() {
		if r := recover(); r != nil {
			doc = &Doc{
				Problems: append(st.problems, problem.Errorf(env.File, st.bodyLine(), "markdown: internal error: %v", r)),
				render:   func(io.Writer) error { return fmt.Errorf("%s: document could not be parsed", env.File) },
			}
		}
	}()
	scr := scratches.Get().(*scratch)
	st.lend(scr)
	pc := parser.NewContext()
	pc.Set(stateKey, st)
	root := c.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))

	// The lists were made in scr's room; the Doc gets them to size.
	doc = &Doc{
		Stops:    sized(st.stops),
		Figures:  sized(st.figures),
		Sidebars: sized(st.sidebars),
		IDs:      sized(st.ids.list),
		Links:    sized(st.links),
	}
	collect(root, src, doc)
	problem.Sort(st.problems)
	doc.Problems = st.problems
	// The tree is built: no delimiter is left in it (goldmark removes
	// every one at the end of its block), and the state is not used again.
	st.giveBack(scr)
	r := c.md.Renderer()
	doc.render = func(w io.Writer) (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("%s: rendering Markdown: %v", env.File, p)
			}
		}()
		if _, ok := w.(util.BufWriter); ok {
			return r.Render(w, src, root) // goldmark writes to it and flushes it
		}
		// goldmark would wrap w in a new 4 KB bufio.Writer.
		bw := bufWriters.Get().(*bufio.Writer)
		bw.Reset(w)
		err = r.Render(bw, src, root)
		bw.Reset(nil) // not reached after a panic: that writer is dropped
		bufWriters.Put(bw)
		return err
	}
	return doc
}

// bufWriters holds the buffers Doc.Render writes through.
var bufWriters = sync.Pool{New: func() any { return bufio.NewWriter(nil) }}

// A scratch is the room one Parse borrows and gives back when the tree is
// built, so that the next document finds it grown: the lists the Doc gets
// copies of, the set of ids, the line starts and the emphasis delimiters
// of the inline parser, which are gone from the tree once it is built.
type scratch struct {
	stops    []Stop
	figures  []Figure
	sidebars []Sidebar
	links    []Link
	ids      []string
	used     map[string]bool
	starts   []int
	delims   [][]parser.Delimiter // chunks of delimChunk
}

// delimChunk is how many delimiters a scratch makes at a time.
const delimChunk = 64

var scratches = sync.Pool{New: func() any { return new(scratch) }}

// lend makes st build its lists in scr.
func (st *state) lend(scr *scratch) {
	st.scr = scr
	st.stops, st.figures, st.sidebars, st.links = scr.stops[:0], scr.figures[:0], scr.sidebars[:0], scr.links[:0]
	st.ids.list, st.ids.used = scr.ids[:0], scr.used
}

// giveBack empties what st built in scr and puts scr back in the pool.
// Slices grown past what documents need are let go.
func (st *state) giveBack(scr *scratch) {
	scr.stops = emptied(st.stops, 256)
	scr.figures = emptied(st.figures, 256)
	scr.sidebars = emptied(st.sidebars, 256)
	scr.links = emptied(st.links, 1024)
	scr.ids = emptied(st.ids.list, 1024)
	scr.used = st.ids.used
	if len(scr.used) > 1024 {
		scr.used = nil
	}
	clear(scr.used)
	if st.lined {
		scr.starts = emptied(st.starts, 1<<16)
	}
	for i := 0; i < len(scr.delims) && i*delimChunk < st.delims; i++ {
		clear(scr.delims[i][:min(delimChunk, st.delims-i*delimChunk)])
	}
	if len(scr.delims) > 16 {
		scr.delims = scr.delims[:16]
	}
	*st = state{}
	scratches.Put(scr)
}

// sized returns a copy of s as long as it is, or nil when it is empty.
func sized[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

// emptied returns s cleared and of length 0, or nil when its capacity is
// over limit.
func emptied[T any](s []T, limit int) []T {
	if cap(s) > limit {
		return nil
	}
	clear(s)
	return s[:0]
}

// delimiter returns a new delimiter, from st's scratch when it has one.
func (st *state) delimiter(canOpen, canClose bool, length int, char byte) *parser.Delimiter {
	if st == nil || st.scr == nil {
		return parser.NewDelimiter(canOpen, canClose, length, char, emphasisProcessor)
	}
	scr := st.scr
	i := st.delims / delimChunk
	if i == len(scr.delims) {
		scr.delims = append(scr.delims, make([]parser.Delimiter, delimChunk))
	}
	d := &scr.delims[i][st.delims%delimChunk]
	st.delims++
	// As parser.NewDelimiter makes it.
	*d = parser.Delimiter{
		CanOpen:        canOpen,
		CanClose:       canClose,
		Length:         length,
		OriginalLength: length,
		Char:           char,
		Processor:      &st.emphasis,
	}
	return d
}

// stateKey carries a document's *state through its parser.Context.
var stateKey = parser.NewContextKey()

// state is what one conversion knows and finds: its Env, the problems and
// the stops, figures, sidebars and links the extensions record.
type state struct {
	env      Env
	src      []byte
	starts   []int // byte offsets at which the lines of src begin
	lined    bool  // starts is filled
	ids      idSet
	problems []problem.Problem
	stops    []Stop
	figures  []Figure
	sidebars []Sidebar
	links    []Link
	seen     map[problem.Problem]bool
	tooDeep  bool // the containers-nested-too-deep error was given
	at       int8 // whether src holds an '@': 0 not looked yet, 1 no, 2 yes

	// scr is the room a Converter lends for one Parse (nil without one);
	// delims counts the delimiters taken from it.
	scr    *scratch
	delims int
	// emphasis makes the <em> and <strong> nodes of this document.
	emphasis emphasisDelimiters
}

func newState(src []byte, env Env) *state {
	return &state{env: env, src: src}
}

// stateOf returns the document state in pc, creating an empty one when an
// extension is used by a plain goldmark.Markdown without a Converter.
func stateOf(pc parser.Context, src []byte) *state {
	if v, ok := pc.Get(stateKey).(*state); ok {
		return v
	}
	st := newState(src, Env{})
	pc.Set(stateKey, st)
	return st
}

// hasAt reports whether the source holds an '@', which any e-mail
// address linkify could find needs.
func (st *state) hasAt() bool {
	if st.at == 0 {
		st.at = 1
		if bytes.IndexByte(st.src, '@') >= 0 {
			st.at = 2
		}
	}
	return st.at == 2
}

func (st *state) bodyLine() int {
	if st.env.BodyLine > 0 {
		return st.env.BodyLine
	}
	return 1
}

// line returns the line of Env.File holding byte offset off of the source.
func (st *state) line(off int) int {
	if !st.lined {
		st.lined = true
		if st.scr != nil {
			st.starts = append(st.scr.starts[:0], 0)
		} else {
			st.starts = make([]int, 1, bytes.Count(st.src, []byte{'\n'})+1)
		}
		for i := 0; ; {
			j := bytes.IndexByte(st.src[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			st.starts = append(st.starts, i)
		}
	}
	if off < 0 {
		off = 0
	}
	// The number of line starts at or before off.
	lo, hi := 0, len(st.starts)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if st.starts[m] <= off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo + st.bodyLine() - 1
}

// nodeLine returns the line of a node: its first line segment for blocks,
// its position for inlines.
func (st *state) nodeLine(n ast.Node) int {
	if n.Type() == ast.TypeBlock {
		if l := n.Lines(); l != nil && l.Len() > 0 {
			return st.line(l.At(0).Start)
		}
	}
	for c := n; c != nil; c = c.FirstChild() {
		if p := c.Pos(); p >= 0 {
			return st.line(p)
		}
		if t, ok := c.(*ast.Text); ok {
			return st.line(t.Segment.Start)
		}
	}
	return st.bodyLine()
}

func (st *state) add(p problem.Problem) {
	if st.seen == nil {
		st.seen = map[problem.Problem]bool{}
	}
	if st.seen[p] {
		return
	}
	st.seen[p] = true
	st.problems = append(st.problems, p)
}

func (st *state) errorf(line int, format string, args ...any) {
	st.add(problem.Errorf(st.env.File, line, format, args...))
}

func (st *state) warnf(line int, format string, args ...any) {
	st.add(problem.Warnf(st.env.File, line, format, args...))
}

// extender adapts a function to goldmark.Extender.
type extender func(m goldmark.Markdown)

func (e extender) Extend(m goldmark.Markdown) { e(m) }

// nodeRenderer adapts a registration function to renderer.NodeRenderer.
type nodeRenderer func(reg renderer.NodeRendererFuncRegisterer)

func (f nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) { f(reg) }

// transformer adapts a function to parser.ASTTransformer.
type transformer func(doc *ast.Document, reader text.Reader, pc parser.Context)

func (f transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	f(doc, reader, pc)
}

// trimSpace trims ASCII and ideographic spaces.
func trimSpace(s string) string {
	// Most strings have none to trim; strings.Trim looks at every
	// character at each end when the cutset is not all ASCII.
	// U+3000 is E3 80 80.
	if s == "" {
		return s
	}
	switch s[0] {
	case ' ', '\t', '\r', '\n', 0xe3:
		return strings.Trim(s, " \t\r\n\u3000")
	}
	switch s[len(s)-1] {
	case ' ', '\t', '\r', '\n', 0x80:
		return strings.Trim(s, " \t\r\n\u3000")
	}
	return s
}

// trimSpaceBytes is trimSpace of a []byte.
func trimSpaceBytes(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	switch b[0] {
	case ' ', '\t', '\r', '\n', 0xe3:
		return bytes.Trim(b, " \t\r\n\u3000")
	}
	switch b[len(b)-1] {
	case ' ', '\t', '\r', '\n', 0x80:
		return bytes.Trim(b, " \t\r\n\u3000")
	}
	return b
}
