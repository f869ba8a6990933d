package markdown

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// tableCells renders GFM table cells as goldmark's TableHTMLRenderer
// does, to the byte, without the two fmt.Fprintf and the fmt.Sprintf it
// spends on every cell. Only the default way of aligning cells, a style
// attribute, is written here; any other (XHTML, or an align method
// given as a renderer option) is left to goldmark's own function.
var tableCells = extender(func(m goldmark.Markdown) {
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		// 400 < the table renderer's 500: this one replaces its cells.
		util.Prioritized(&cellRenderer{stock: extension.NewTableHTMLRenderer().(*extension.TableHTMLRenderer)}, 400),
	))
})

// cellRenderer holds a stock table renderer that gets the same options,
// to know how cells are to be aligned and to render them when that is not
// the default.
type cellRenderer struct{ stock *extension.TableHTMLRenderer }

func (r *cellRenderer) SetOption(name renderer.OptionName, value any) {
	r.stock.SetOption(name, value)
}

func (r *cellRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	switch m := r.stock.TableCellAlignMethod; {
	case m == extension.TableCellAlignStyle, m == extension.TableCellAlignDefault && !r.stock.XHTML:
		reg.Register(east.KindTableCell, renderTableCell)
	default:
		r.stock.RegisterFuncs(cellsOnly{reg})
	}
}

// cellsOnly passes on the registration of the table cell function alone.
type cellsOnly struct {
	renderer.NodeRendererFuncRegisterer
}

func (c cellsOnly) Register(kind ast.NodeKind, f renderer.NodeRendererFunc) {
	if kind == east.KindTableCell {
		c.NodeRendererFuncRegisterer.Register(kind, f)
	}
}

// alignStyles are the style attribute goldmark gives an aligned cell that
// has none, by east.Alignment. They are shared: attribute values are
// only read, and goldmark copies one before it appends to it.
var alignStyles = [...][]byte{
	east.AlignLeft:   []byte("text-align:left"),
	east.AlignRight:  []byte("text-align:right"),
	east.AlignCenter: []byte("text-align:center"),
}

// alignValues are alignStyles as attribute values, made once: a []byte
// turned into an any is a new allocation each time.
var alignValues = func() (v [len(alignStyles)]any) {
	for i, s := range alignStyles {
		v[i] = s
	}
	return v
}()

func renderTableCell(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*east.TableCell)
	th := n.Parent().Kind() == east.KindTableHeader
	if !entering {
		if th {
			_, _ = w.WriteString("</th>\n")
		} else {
			_, _ = w.WriteString("</td>\n")
		}
		return ast.WalkContinue, nil
	}
	if th {
		_, _ = w.WriteString("<th")
	} else {
		_, _ = w.WriteString("<td")
	}
	if n.Alignment != east.AlignNone {
		// As goldmark does, the alignment is appended to the style
		// attribute the cell has (again at every rendering) and left there.
		v, ok := n.AttributeString("style")
		var style any
		if int(n.Alignment) < len(alignValues) {
			style = alignValues[n.Alignment]
		}
		if ok || style == nil {
			var old []byte
			switch v := v.(type) {
			case []byte:
				old = v
			case string:
				old = []byte(v)
			}
			s := make([]byte, 0, len(old)+1+len("text-align:")+len("center"))
			if ok {
				s = append(append(s, old...), ';')
			}
			style = append(append(s, "text-align:"...), n.Alignment.String()...)
		}
		n.SetAttributeString("style", style)
	}
	if n.Attributes() != nil {
		if th {
			html.RenderAttributes(w, n, extension.TableThCellAttributeFilter)
		} else {
			html.RenderAttributes(w, n, extension.TableTdCellAttributeFilter)
		}
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}
