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

// kindFigureBlock is the kind of a figureBlock node.
var kindFigureBlock = ast.NewNodeKind("Figure")

// A figureBlock is a paragraph that held only an image (or an image
// wrapped in a link) and perhaps one credit line. Its children are the
// image (or the link) and, when there is a caption or a credit, a
// figureCaption.
type figureBlock struct {
	ast.BaseBlock
}

// Kind implements ast.Node.
func (n *figureBlock) Kind() ast.NodeKind { return kindFigureBlock }

// Dump implements ast.Node.
func (n *figureBlock) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// kindFigureCaption is the kind of a figureCaption node.
var kindFigureCaption = ast.NewNodeKind("FigureCaption")

// A figureCaption is the <figcaption> of a figure: the caption from the
// image title and the credit. A credit line written under the image is
// kept as the node's inline children (links and all); a credit from the
// title or the edition's default is CreditText.
type figureCaption struct {
	ast.BaseBlock
	Caption    string
	CreditText string
}

// Kind implements ast.Node.
func (n *figureCaption) Kind() ast.NodeKind { return kindFigureCaption }

// Dump implements ast.Node.
func (n *figureCaption) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Caption": n.Caption, "CreditText": n.CreditText}, nil)
}

// figures turns image-only paragraphs into figures with captions and
// photo credits.
var figures = extender(func(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(
		// 100 < links' 200: figures are made before images are resolved,
		// so Figure.Src is the path as written; < footnote's 999, while
		// unreferenced footnote definitions are still in the tree.
		util.Prioritized(transformer(transformFigures), 100),
	))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		// 500, like footnote's and table's renderers: no other renderer
		// registers these kinds; inline.go's 100 overrides html.Renderer's 1000.
		util.Prioritized(nodeRenderer(registerFigures), 500),
	))
})

// creditPrefixes are the prefixes of a credit line, matched ignoring
// ASCII case: SPEC's 摄影： 图： 图片来源： Photo: "Photo by" Source:, and
// the same with the other colon.
var creditPrefixes = []string{
	"摄影：", "摄影:", "图片来源：", "图片来源:", "图：", "图:",
	"photo:", "photo：", "photo by ", "source:", "source：",
}

func isCredit(s string) bool {
	for _, p := range creditPrefixes {
		if hasPrefixFold(s, p) && len(s) > len(p) {
			return true
		}
	}
	return false
}

// transformFigures turns every paragraph (or tight list item's text)
// that holds only an image into a figure, in document order. Paragraphs
// inside inlines or other paragraphs are not looked at.
func transformFigures(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	st := stateOf(pc, src)
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling() // a figure takes c's place
			switch {
			case c.Kind() == ast.KindParagraph || c.Kind() == ast.KindTextBlock:
				makeFigure(c, src, st)
			case c.Type() != ast.TypeInline && c.HasChildren():
				walk(c)
			}
			c = next
		}
	}
	walk(doc)
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

// makeFigure turns paragraph p into a figure when it holds only an image.
func makeFigure(p ast.Node, src []byte, st *state) {
	media := p.FirstChild()
	for media != nil && blankText(media, src) {
		if tx := media.(*ast.Text); tx.SoftLineBreak() || tx.HardLineBreak() {
			return
		}
		media = media.NextSibling()
	}
	if media == nil {
		return
	}
	img := figureImage(media, src)
	if img == nil {
		return
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
			return // text beside the image: an inline image
		}
		credit = c
		break
	}
	if credit != nil {
		for c := credit; c != nil; c = c.NextSibling() {
			if tx, ok := c.(*ast.Text); ok && (tx.SoftLineBreak() || tx.HardLineBreak()) && c.NextSibling() != nil {
				return // more than one line under the image
			}
		}
		if !isCredit(plainTextFrom(credit, src)) {
			return
		}
	}

	// The figure and its caption in one allocation; they live as long as
	// each other, with the tree.
	both := &struct {
		fig figureBlock
		fc  figureCaption
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
	line := st.nodeLine(img)
	alt := plainText(img, src)
	st.figures = append(st.figures, Figure{Src: dest, Alt: alt, Caption: caption, Credit: creditText, Line: line})
	if alt == "" {
		st.warnf(line, "figure %s has no alt text", dest)
	}
	if creditText == "" {
		st.warnf(line, "figure %s has no credit", dest)
	}
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

func registerFigures(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindFigureBlock, renderFigure)
	reg.Register(kindFigureCaption, renderFigureCaption)
}

func renderFigure(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<figure>")
	} else {
		_, _ = w.WriteString("</figure>\n")
	}
	return ast.WalkContinue, nil
}

func renderFigureCaption(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*figureCaption)
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

// A Source is one <source> of a <picture>: the image in another format
// (Asset.Sources), offered before the <img> that every browser can show.
type Source struct {
	Type   string // media type: "image/avif"
	Srcset string
}

// sourcesAttr is the attribute of an image node holding its []Source. Its
// name cannot be written in Markdown, and renderImage writes only the
// attributes it lists.
const sourcesAttr = "\x00sources"

// writePictureSources opens a <picture> and writes its <source> elements
// (with the image's sizes) when image n has Sources, and reports whether
// it did: the <img> then closes the <picture>.
func writePictureSources(w util.BufWriter, n *ast.Image) bool {
	v, _ := n.AttributeString(sourcesAttr)
	srcs, _ := v.([]Source)
	if len(srcs) == 0 {
		return false
	}
	sizes, _ := n.AttributeString("sizes")
	_, _ = w.WriteString("<picture>")
	for _, s := range srcs {
		_, _ = w.WriteString(`<source type="`)
		writeEscaped(w, s.Type)
		_, _ = w.WriteString(`" srcset="`)
		writeEscaped(w, s.Srcset)
		_ = w.WriteByte('"')
		if b, ok := sizes.([]byte); ok {
			_, _ = w.WriteString(` sizes="`)
			_, _ = w.Write(util.EscapeHTML(b))
			_ = w.WriteByte('"')
		}
		_ = w.WriteByte('>')
	}
	return true
}
