package markdown

import (
	"bytes"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

func BenchmarkBaseline(b *testing.B) {
	for _, lang := range []string{"zh", "en"} {
		md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.CJK))
		src := []byte(benchReport(42, lang))
		b.Run(lang, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			var w bytes.Buffer
			for b.Loop() {
				w.Reset()
				_ = md.Convert(src, &w)
			}
		})
	}
}
