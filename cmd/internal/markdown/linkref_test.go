package markdown

import "testing"

// TestLinkRefFilter converts paragraphs that start with, or only look
// like, link reference definitions with the Converter (whose filter passes
// only paragraphs starting with '[' to goldmark's transformer) and with
// goldmark's own parts (its transformer sees every one).
func TestLinkRefFilter(t *testing.T) {
	c, stock := New(), stockConverter()
	for _, src := range []string{
		"[a]: /u\n\n[a] and [b]\n\n[b]: /v \"t\"\n",
		"  [a]: /u\n[b]: /v\ntext after\n\n[a][] [b][]",
		"text\n[a]: /u\n\n[a]",
		"[a]:\n/u\n'title'\n\n[a]",
		"[not a definition] text\n\n[x]",
		"   \t[a]: /u\n\n[a]",
		"> [a]: /u\n\n- [b]: /v\n\n[a] [b]",
		"[a]: /u\n===\n\n[a]",
		"| [a]: /u |\n| --- |\n| x |\n\n[a]",
		"[^1]: note\n\ntext[^1] [a]\n\n[a]: /u",
		"![a]: /u\n\n[a]",
		"[a]: /u\n[a]: /v\n\n[a]",
	} {
		checkStock(t, c, stock, src)
	}
}
