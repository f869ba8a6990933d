package markdown

import (
	"bytes"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

var tableSources = []string{
	"| a | b |\n| - | - |\n| 1 | 2 |\n",
	"| 指标 | 改革前 | 改革后 | 中 |\n| :--- | ---: | :---: | --- |\n| 办件量 | 1200 | 3400 | x |\n| 平均用时 | 45 |\n",
	"| a |\n| :-: |\n",
	"| *em* | `code` | <b>raw</b> |\n|:-|-:|:-:|\n| \\| | [l](x) | ![i](y.jpg) |\n",
	"not a table\n| a |\n",
}

// TestTableCells renders tables with goldmark's own cell function and
// with tableCells, twice over the same tree (both leave the style
// attribute on the node), by default and with the renderer options that
// change how cells are aligned.
func TestTableCells(t *testing.T) {
	for _, opts := range [][]renderer.Option{
		nil,
		{html.WithXHTML()},
		{extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)},
		{extension.WithTableCellAlignMethod(extension.TableCellAlignStyle), html.WithXHTML()},
		{extension.WithTableCellAlignMethod(extension.TableCellAlignNone)},
	} {
		stock := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(opts...))
		ours := goldmark.New(goldmark.WithExtensions(extension.GFM, tableCells), goldmark.WithRendererOptions(opts...))
		for _, src := range tableSources {
			a, b := stock.Parser().Parse(text.NewReader([]byte(src))), ours.Parser().Parse(text.NewReader([]byte(src)))
			for round := 1; round <= 2; round++ {
				var want, got bytes.Buffer
				if err := stock.Renderer().Render(&want, []byte(src), a); err != nil {
					t.Fatal(err)
				}
				if err := ours.Renderer().Render(&got, []byte(src), b); err != nil {
					t.Fatal(err)
				}
				if got.String() != want.String() {
					t.Errorf("options %d, rendering %d of %q:\n%s\ngoldmark gives\n%s", len(opts), round, src, got.String(), want.String())
				}
			}
		}
	}
}

// BenchmarkTableCells parses and renders a table of gencorpus.py's shape
// with goldmark's cell function and with tableCells.
func BenchmarkTableCells(b *testing.B) {
	src := []byte("| 指标 | 改革前 | 改革后 |\n| --- | ---: | ---: |\n| 办件量 | 1200 | 3400 |\n| 平均用时 | 45 | 12 |\n| 满意度 | 87% | 98% |\n")
	for _, c := range []struct {
		name string
		md   goldmark.Markdown
	}{
		{"goldmark", goldmark.New(goldmark.WithExtensions(extension.GFM))},
		{"tableCells", goldmark.New(goldmark.WithExtensions(extension.GFM, tableCells))},
	} {
		b.Run(c.name, func(b *testing.B) {
			var w bytes.Buffer
			for b.Loop() {
				w.Reset()
				_ = c.md.Convert(src, &w)
			}
		})
	}
}
