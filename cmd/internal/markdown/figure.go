package markdown

import (
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"dateline/cmd/internal/style"
)

// KindFigureBlock is the kind of a FigureBlock node.
var KindFigureBlock = ast.NewNodeKind("Figure")

// A FigureBlock is a paragraph that held only an image (or an image
// wrapped in a link) and perhaps one credit line. Its children are the
// image (or the link) and, when there is a caption or a credit, a
// FigureCaption.
type FigureBlock struct {
	ast.BaseBlock
}

// Kind implements ast.Node.
func (n *FigureBlock) Kind() ast.NodeKind { return KindFigureBlock }

// Dump implements ast.Node.
func (n *FigureBlock) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// NewFigureBlock returns an empty figure.
func NewFigureBlock() *FigureBlock { return &FigureBlock{} }

// KindFigureCaption is the kind of a FigureCaption node.
var KindFigureCaption = ast.NewNodeKind("FigureCaption")

// A FigureCaption is the <figcaption> of a figure: the caption from the
// image title and the credit. A credit line written under the image is
// kept as the node's inline children (links and all); a credit from the
// title or the edition's default is CreditText.
type FigureCaption struct {
	ast.BaseBlock
	Caption    string
	CreditText string
}

// Kind implements ast.Node.
func (n *FigureCaption) Kind() ast.NodeKind { return KindFigureCaption }

// Dump implements ast.Node.
func (n *FigureCaption) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Caption": n.Caption, "CreditText": n.CreditText}, nil)
}

// NewFigureCaption returns a caption.
func NewFigureCaption(caption, credit string) *FigureCaption {
	return &FigureCaption{Caption: caption, CreditText: credit}
}

// Figures turns image-only paragraphs into figures with captions and
// photo credits.
var Figures = NewFigures()

// A FigureOption configures the Figures extension.
type FigureOption func(*figures)

type figures struct {
	prefixes []string
}

// WithCreditPrefixes replaces the prefixes that mark a credit line under
// an image (matched ignoring ASCII case).
func WithCreditPrefixes(prefixes ...string) FigureOption {
	return func(f *figures) { f.prefixes = prefixes }
}

// DefaultCreditPrefixes are the prefixes of a credit line: SPEC's
// 摄影： 图： 图片来源： Photo: "Photo by" Source:, and the same with the
// other colon.
var DefaultCreditPrefixes = []string{
	"摄影：", "摄影:", "图片来源：", "图片来源:", "图：", "图:",
	"photo:", "photo：", "photo by ", "source:", "source：",
}

// NewFigures returns the figures extension.
func NewFigures(opts ...FigureOption) goldmark.Extender {
	f := &figures{prefixes: DefaultCreditPrefixes}
	for _, opt := range opts {
		opt(f)
	}
	return f
}

func (f *figures) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(
		// 100 < links' 200: figures are made before images are resolved,
		// so Figure.Src is the path as written.
		util.Prioritized(&figureTransformer{f}, 100),
	))
	f.extendRenderer(m)
}

// extendRenderer registers the renderer alone; a Converter runs the
// transformer in its own pass (passes.go).
func (f *figures) extendRenderer(m goldmark.Markdown) {
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		// 500, like footnote's and table's renderers: no other renderer
		// registers these kinds; inline.go's 100 overrides html.Renderer's 1000.
		util.Prioritized(NewFigureHTMLRenderer(), 500),
	))
}

type figureTransformer struct{ f *figures }

func (t *figureTransformer) isCredit(s string) bool {
	for _, p := range t.f.prefixes {
		if hasPrefixFold(s, p) && len(s) > len(p) {
			return true
		}
	}
	return false
}

func (t *figureTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	st := stateOf(pc, src)
	var blocks []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindParagraph, ast.KindTextBlock:
			blocks = append(blocks, n)
			return ast.WalkSkipChildren, nil
		}
		if n.Type() == ast.TypeInline {
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, p := range blocks {
		_ = t.transform(p, src, st)
	}
}

// blankText reports whether n is a text node with no text.
func blankText(n ast.Node, src []byte) bool {
	t, ok := n.(*ast.Text)
	return ok && util.IsBlank(t.Segment.Value(src))
}

// figureImage returns the image of media: an image, or a link whose only
// content is an image.
func figureImage(media ast.Node, src []byte) *ast.Image {
	switch m := media.(type) {
	case *ast.Image:
		return m
	case *ast.Link:
		var img *ast.Image
		for c := m.FirstChild(); c != nil; c = c.NextSibling() {
			if i, ok := c.(*ast.Image); ok && img == nil {
				img = i
			} else if !blankText(c, src) {
				return nil
			}
		}
		return img
	}
	return nil
}

// transform turns paragraph p into a figure when it holds only an image,
// and returns the figure that took p's place, or nil.
func (t *figureTransformer) transform(p ast.Node, src []byte, st *state) ast.Node {
	media := p.FirstChild()
	for media != nil && blankText(media, src) {
		if tx := media.(*ast.Text); tx.SoftLineBreak() || tx.HardLineBreak() {
			return nil
		}
		media = media.NextSibling()
	}
	if media == nil {
		return nil
	}
	img := figureImage(media, src)
	if img == nil {
		return nil
	}
	// After the image: blank text up to one line break, then perhaps one
	// credit line.
	var credit ast.Node
	broke := false
	for c := media.NextSibling(); c != nil; c = c.NextSibling() {
		tx, ok := c.(*ast.Text)
		if !broke && ok && util.IsBlank(tx.Segment.Value(src)) {
			broke = tx.SoftLineBreak() || tx.HardLineBreak()
			continue
		}
		if !broke {
			return nil // text beside the image: an inline image
		}
		credit = c
		break
	}
	if credit != nil {
		for c := credit; c != nil; c = c.NextSibling() {
			if tx, ok := c.(*ast.Text); ok && (tx.SoftLineBreak() || tx.HardLineBreak()) && c.NextSibling() != nil {
				return nil // more than one line under the image
			}
		}
		if !t.isCredit(plainTextFrom(credit, src)) {
			return nil
		}
	}

	// The figure and its caption in one allocation; they live as long as
	// each other, with the tree.
	both := &struct {
		fig FigureBlock
		fc  FigureCaption
	}{}
	fig := &both.fig
	fig.SetPos(p.Pos())
	fig.SetLines(p.Lines())
	fig.SetBlankPreviousLines(p.HasBlankPreviousLines())
	caption, creditText := "", ""
	if img.Title != nil {
		caption, creditText = titleCredit(string(textValue(img.Title)))
		img.Title = nil
	}
	fc := &both.fc
	fc.Caption = caption
	if credit != nil && plainInline(credit) && st.env.CreditForm != "" {
		// A credit line of plain text prints in the house form (style).
		fc.CreditText = style.Credit(plainTextFrom(credit, src), st.env.CreditForm)
		creditText = fc.CreditText
	} else if credit != nil {
		for c := credit; c != nil; {
			next := c.NextSibling() // AppendChild detaches c from the paragraph
			fc.AppendChild(fc, c)
			c = next
		}
		if last, ok := fc.LastChild().(*ast.Text); ok {
			last.SetSoftLineBreak(false)
			last.SetHardLineBreak(false)
		}
		creditText = plainText(fc, src)
	} else {
		if creditText == "" {
			creditText = trimSpace(st.env.Credit)
		}
		creditText = style.Credit(creditText, st.env.CreditForm)
		fc.CreditText = creditText
	}
	fig.AppendChild(fig, media) // detaches media from the paragraph
	if caption != "" || creditText != "" {
		fig.AppendChild(fig, fc)
	}
	p.Parent().ReplaceChild(p.Parent(), p, fig)

	if len(st.figures) > 0 || st.env.LazyAll {
		img.SetAttributeString("loading", lazyValue)
		img.SetAttributeString("decoding", asyncValue)
	}
	dest := string(img.Destination)
	st.figSrc = dest // for resolve, which comes next and records it again
	line := st.nodeLine(img)
	alt := plainText(img, src)
	st.figures = append(st.figures, Figure{Src: dest, Alt: alt, Caption: caption, Credit: creditText, Line: line})
	if alt == "" {
		st.warnf(line, "figure %s has no alt text", dest)
	}
	if creditText == "" {
		st.warnf(line, "figure %s has no credit", dest)
	}
	return fig
}

// The values of the attributes of a lazy figure image, made once: attribute
// values are only read.
var lazyValue, asyncValue any = []byte("lazy"), []byte("async")

// plainInline reports whether the inline nodes from n on are all text
// (no link, no emphasis): a credit that style may put in the house form.
func plainInline(n ast.Node) bool {
	for ; n != nil; n = n.NextSibling() {
		switch n.(type) {
		case *ast.Text, *ast.String:
		default:
			return false
		}
	}
	return true
}

// titleCredit splits an image title into the caption and a trailing
// credit written in parentheses: （NAME 摄）, (NAME 摄), (Photo: NAME) or
// (Photo by NAME). The credit is returned as written inside the
// parentheses ("孙庆辉 摄", "Photo: Li Ming").
func titleCredit(title string) (caption, credit string) {
	t := trimSpace(title)
	var body string
	switch {
	case strings.HasSuffix(t, "）"):
		body = t[:len(t)-len("）")]
	case strings.HasSuffix(t, ")"):
		body = t[:len(t)-1]
	default:
		return t, ""
	}
	i := max(strings.LastIndex(body, "（"), strings.LastIndex(body, "("))
	if i < 0 {
		return t, ""
	}
	open := len("(")
	if strings.HasPrefix(body[i:], "（") {
		open = len("（")
	}
	inner := trimSpace(body[i+open:])
	switch {
	case strings.HasSuffix(inner, "摄") && trimSpace(strings.TrimSuffix(inner, "摄")) != "":
	case hasPrefixFold(inner, "photo:") && trimSpace(inner[len("photo:"):]) != "":
	case hasPrefixFold(inner, "photo by ") && trimSpace(inner[len("photo by "):]) != "":
	default:
		return t, ""
	}
	return trimSpace(body[:i]), inner
}

// FigureHTMLRenderer renders figures and their captions.
type FigureHTMLRenderer struct{}

// NewFigureHTMLRenderer returns the renderer of figures.
func NewFigureHTMLRenderer() renderer.NodeRenderer { return &FigureHTMLRenderer{} }

// RegisterFuncs implements renderer.NodeRenderer.
func (r *FigureHTMLRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindFigureBlock, r.renderFigure)
	reg.Register(KindFigureCaption, r.renderCaption)
}

func (r *FigureHTMLRenderer) renderFigure(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<figure>")
	} else {
		_, _ = w.WriteString("</figure>\n")
	}
	return ast.WalkContinue, nil
}

func (r *FigureHTMLRenderer) renderCaption(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*FigureCaption)
	hasCredit := n.HasChildren() || n.CreditText != ""
	if entering {
		_, _ = w.WriteString("<figcaption>")
		if n.Caption != "" {
			_, _ = w.WriteString(`<span class="caption">`)
			writeEscaped(w, n.Caption)
			_, _ = w.WriteString(`</span>`)
			if hasCredit {
				_ = w.WriteByte(' ')
			}
		}
		if hasCredit {
			_, _ = w.WriteString(`<span class="credit">`)
			if !n.HasChildren() {
				writeEscaped(w, n.CreditText)
			}
		}
		return ast.WalkContinue, nil
	}
	if hasCredit {
		_, _ = w.WriteString(`</span>`)
	}
	_, _ = w.WriteString("</figcaption>")
	return ast.WalkContinue, nil
}
