package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// rawHTML drops raw HTML, inline and in blocks, from the output without a
// trace (not even goldmark's "<!-- raw HTML omitted -->"), and says so: a
// warning on its line names what was dropped, so that pasted embed code
// does not vanish without a word. HTML comments, which writers use for
// notes, and closing tags, which follow an opening one, are dropped
// silently.
var rawHTML = extender(func(m goldmark.Markdown) {
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		// 100 < html.Renderer's 1000: these functions replace its own.
		util.Prioritized(nodeRenderer(func(reg renderer.NodeRendererFuncRegisterer) {
			reg.Register(ast.KindRawHTML, renderNothing)
			reg.Register(ast.KindHTMLBlock, renderNothing)
		}), 100),
	))
})

func renderNothing(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
	return ast.WalkSkipChildren, nil
}

// embedTags are the elements pasted embed code is made of.
var embedTags = map[string]bool{
	"iframe": true, "script": true, "embed": true, "object": true, "video": true,
	"audio": true, "blockquote": true, "div": true, "noscript": true, "figure": true,
}

// warnRawHTML warns about the raw HTML node n (an *ast.RawHTML or an
// *ast.HTMLBlock), which is not published. The link transformer calls it
// on its walk.
func (st *state) warnRawHTML(n ast.Node, src []byte) {
	var seg []byte
	off := 0
	switch n := n.(type) {
	case *ast.RawHTML:
		if n.Segments.Len() == 0 {
			return
		}
		first := n.Segments.At(0)
		off, seg = first.Start, first.Value(src)
	case *ast.HTMLBlock:
		if n.Lines().Len() == 0 {
			return
		}
		first := n.Lines().At(0)
		off, seg = first.Start, first.Value(src)
	default:
		return
	}
	seg = bytes.TrimLeft(seg, " \t")
	name, ok := htmlTagName(seg)
	if !ok {
		return // a comment, a closing tag
	}
	shown := "<" + name + ">"
	if len(seg) > len(name)+1 && seg[len(name)+1] != '>' {
		shown = "<" + name + " …>"
	}
	if name != "" && embedTags[strings.ToLower(name)] {
		st.warnf(st.line(off), "raw HTML `%s` is not published; use `::: embed`", shown)
		return
	}
	if name == "" {
		shown = string(seg[:min(len(seg), 12)])
		if len(seg) > 12 {
			shown += "…"
		}
	}
	st.warnf(st.line(off), "raw HTML `%s` is not published", shown)
}

// htmlTagName returns the name of the opening tag at the start of b, ""
// for a declaration or processing instruction; ok is false for a comment
// or a closing tag.
func htmlTagName(b []byte) (name string, ok bool) {
	if len(b) < 2 || b[0] != '<' {
		return "", false
	}
	switch {
	case bytes.HasPrefix(b, []byte("<!--")), b[1] == '/':
		return "", false
	case b[1] == '!' || b[1] == '?':
		return "", true
	}
	i := 1
	for i < len(b) && (util.IsAlphaNumeric(b[i]) || b[i] == '-') {
		i++
	}
	return string(b[1:i]), true
}
