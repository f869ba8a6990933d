package markdown

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// isHan reports whether r counts as one CJK character for reading time:
// Han ideographs, kana and hangul.
func isHan(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r >= 0x4e00 && r <= 0x9fff: // CJK unified ideographs, the common case
		return true
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

// isCJK reports whether r is a CJK character or CJK punctuation: Han, kana,
// hangul, bopomofo, CJK symbols and punctuation, full-width forms and the
// CJK compatibility and vertical forms.
func isCJK(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r >= 0x3000 && r <= 0x303f, // CJK symbols and punctuation
		r >= 0xff00 && r <= 0xffef,                             // half-width and full-width forms
		r >= 0xfe10 && r <= 0xfe1f,                             // vertical forms
		r >= 0xfe30 && r <= 0xfe4f,                             // CJK compatibility forms
		r >= 0x3100 && r <= 0x312f, r >= 0x31a0 && r <= 0x31bf: // bopomofo
		return true
	}
	return isHan(r)
}

// isCJKPunct reports whether r is punctuation of CJK text: CJK symbols and
// punctuation, and the full-width forms that are not letters or digits.
func isCJKPunct(r rune) bool {
	switch {
	case r >= 0x3000 && r <= 0x303f, r >= 0xfe10 && r <= 0xfe1f, r >= 0xfe30 && r <= 0xfe4f:
		return true
	case r >= 0xff00 && r <= 0xffef:
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}
	return false
}

// joinsCJK reports whether a soft line break between a and b disappears:
// both are CJK (hangul excepted, Korean puts spaces between words), or one
// is CJK and the other general punctuation such as “ ” — or ….
func joinsCJK(a, b rune) bool {
	ca := isCJK(a) && !unicode.Is(unicode.Hangul, a)
	cb := isCJK(b) && !unicode.Is(unicode.Hangul, b)
	switch {
	case ca && cb:
		return true
	case ca:
		return isGeneralPunct(b)
	case cb:
		return isGeneralPunct(a)
	}
	return false
}

// isGeneralPunct is the punctuation of the General Punctuation block
// (“ ” ‘ ’ — … ·) Chinese text uses between CJK characters.
func isGeneralPunct(r rune) bool {
	return r >= 0x2010 && r <= 0x205e || r == 0x00b7
}

// textValue returns the text a Text node stands for: backslash escapes,
// entities and numeric references resolved.
func textValue(v []byte) []byte {
	if bytes.IndexByte(v, '\\') >= 0 {
		v = util.UnescapePunctuations(v)
	}
	if bytes.IndexByte(v, '&') >= 0 {
		v = util.ResolveNumericReferences(v)
		v = util.ResolveEntityNames(v)
	}
	return v
}

// plainText returns the text of n's inline content as a reader sees it:
// no markup, no URLs, line breaks joined as rendered (nothing between CJK
// characters, a space elsewhere).
func plainText(n ast.Node, src []byte) string {
	t := getTextBuf()
	s := string(t.plain(appendChildrenText(t.raw[:0], n, src)))
	putTextBuf(t)
	return s
}

// plainTextFrom is plainText of first and the siblings after it.
func plainTextFrom(first ast.Node, src []byte) string {
	t := getTextBuf()
	b := t.raw[:0]
	for c := first; c != nil; c = c.NextSibling() {
		b = appendText(b, c, src)
	}
	s := string(t.plain(b))
	putTextBuf(t)
	return s
}

// A textBuf holds the two buffers plainText works in, so that the text of
// a node costs one allocation, the string returned.
type textBuf struct {
	raw    []byte // the text with its line breaks, from appendText
	joined []byte // the same, line breaks joined, from plain
}

var textBufs = sync.Pool{New: func() any { return new(textBuf) }}

func getTextBuf() *textBuf { return textBufs.Get().(*textBuf) }

// putTextBuf gives t back, unless a long text made its buffers large.
func putTextBuf(t *textBuf) {
	if cap(t.raw) <= 64<<10 && cap(t.joined) <= 64<<10 {
		textBufs.Put(t)
	}
}

// plain returns raw (the text appendText wrote into t.raw or a buffer
// grown from it) with its line breaks joined (appendJoined) and trimmed
// (trimSpaceBytes). The result is in t's buffers and is only valid until t is used
// again; t keeps the buffers raw and the result grew.
func (t *textBuf) plain(raw []byte) []byte {
	t.raw = raw[:0]
	if bytes.IndexByte(raw, '\n') < 0 {
		return trimSpaceBytes(raw)
	}
	t.joined = appendJoined(t.joined[:0], raw)
	return trimSpaceBytes(t.joined)
}

func appendChildrenText(b []byte, n ast.Node, src []byte) []byte {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		b = appendText(b, c, src)
	}
	return b
}

func appendText(b []byte, c ast.Node, src []byte) []byte {
	switch c := c.(type) {
	case *ast.Text:
		b = append(b, textValue(c.Segment.Value(src))...)
		if c.SoftLineBreak() || c.HardLineBreak() {
			b = append(b, '\n')
		}
	case *ast.String:
		b = append(b, c.Value...)
	case *ast.AutoLink:
		b = append(b, c.Label(src)...)
	case *ast.RawHTML, *east.FootnoteLink, *east.FootnoteBacklink:
	default:
		if c.Type() == ast.TypeBlock && len(b) > 0 {
			b = append(b, '\n')
		}
		b = appendChildrenText(b, c, src)
	}
	return b
}

// appendJoined appends b to out with its line breaks turned into nothing
// between CJK characters and a space elsewhere.
func appendJoined(out, b []byte) []byte {
	start := len(out)
	for i := 0; i < len(b); i++ {
		if b[i] != '\n' {
			out = append(out, b[i])
			continue
		}
		prev, _ := utf8.DecodeLastRune(out[start:])
		j := i
		for j < len(b) && b[j] == '\n' {
			j++
		}
		next, _ := utf8.DecodeRune(b[j:])
		if !joinsCJK(prev, next) && prev != ' ' {
			out = append(out, ' ')
		}
		i = j - 1
	}
	return out
}

// counter counts CJK characters and other words over a stream of text, fed
// in pieces. Letters and digits make words; ' and - keep a word going
// ("don't", "high-quality") and so does a combining mark (the accent of a
// decomposed "é"); general, CJK and full-width punctuation (’ among them)
// and everything else end it. A Han, kana or hangul character counts one
// and ends a word too.
type counter struct {
	han, words int
	inWord     bool
}

func (c *counter) feed(s []byte) {
	han, words, inWord := c.han, c.words, c.inWord
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			// A run of ASCII: eight bytes at a time while they are all
			// ASCII, then one table step a byte.
			for len(s)-i >= 8 {
				x := binary.LittleEndian.Uint64(s[i:])
				if x&high != 0 {
					break
				}
				w, in := asciiWords(x, inWord)
				words += w
				inWord = in
				i += 8
			}
			var in uint8
			if inWord {
				in = 1
			}
			t := s[i:]
			j := 0
			for ; j < len(t) && t[j] < utf8.RuneSelf; j++ {
				x := asciiStep[in<<7|t[j]]
				words += int(x >> 1)
				in = x & 1
			}
			inWord = in == 1
			i += j
			continue
		}
		// A run of CJK unified ideographs, U+4E00…U+9FFF: E4 B8…BF xx
		// and E5…E9 xx xx.
		if b >= 0xe4 && b <= 0xe9 {
			n := han
			// Four bytes at a time, the lowest three of them one character.
			for len(s)-i >= 4 {
				x := binary.LittleEndian.Uint32(s[i:])
				if x&0xc0c000 != 0x808000 {
					break
				}
				if b0 := byte(x); b0-0xe5 > 0xe9-0xe5 && (b0 != 0xe4 || byte(x>>8) < 0xb8) {
					break
				}
				han++
				i += 3
			}
			if han > n {
				inWord = false
				continue
			}
		}
		// Other three-byte sequences (CJK text and its punctuation) are decoded
		// here, but for the leads E0 and ED, which have invalid forms
		// (overlong, surrogates) that DecodeRune must see.
		var r rune
		if b >= 0xe1 && b <= 0xef && b != 0xed && i+2 < len(s) && s[i+1]&0xc0 == 0x80 && s[i+2]&0xc0 == 0x80 {
			r = rune(b&0x0f)<<12 | rune(s[i+1]&0x3f)<<6 | rune(s[i+2]&0x3f)
			i += 3
			if r >= 0x4e00 && r <= 0x9fff { // CJK unified ideographs, the common case
				han++
				inWord = false
				continue
			}
		} else {
			var n int
			r, n = utf8.DecodeRune(s[i:])
			i += n
		}
		switch {
		case r >= 0x2000 && r <= 0x206f, r >= 0x3000 && r <= 0x303f, r >= 0xff00 && r <= 0xff0f, r >= 0xff1a && r <= 0xff20:
			// general, CJK and full-width punctuation: “ ” — 。 、 ， ： （ ）
			inWord = false
		case isHan(r):
			han++
			inWord = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !inWord {
				words++
				inWord = true
			}
		case unicode.IsMark(r):
		default:
			inWord = false
		}
	}
	c.han, c.words, c.inWord = han, words, inWord
}

// Bytes repeated in each byte of a word, for asciiWords.
const (
	ones = 0x0101010101010101
	high = 0x80 * ones
)

// asciiWords counts the words that start in x, eight ASCII bytes (the
// first in the lowest byte), when a word is going on before it if in; it
// reports whether one is going on after it. Bit 7 of each byte of a mask
// stands for that byte: letters and digits (alnum), ' and - (join), and
// inside a word after that byte (state). A byte starts a word when it is
// a letter or a digit and there was no word going on before it. Adding
// (0x80 - lo) to a byte below 0x80 sets its bit 7 when it is lo or more,
// and never carries into the next byte.
func asciiWords(x uint64, in bool) (int, bool) {
	var before uint64 // state before byte 0, at bit 7
	if in {
		before = 0x80
	}
	digit := (x + (0x80-'0')*ones) &^ (x + (0x80-'9'-1)*ones)
	l := x | 0x20*ones // upper-case letters to lower-case
	letter := (l + (0x80-'a')*ones) &^ (l + (0x80-'z'-1)*ones)
	alnum := (digit | letter) & high
	state := alnum
	// A byte XOR c is 0 when it is c; adding 0x7f sets bit 7 otherwise.
	join := ^((x ^ '\''*ones) + 0x7f*ones) | ^((x ^ '-'*ones) + 0x7f*ones)
	if join &= high; join != 0 {
		// ' and - keep the state of the byte before them: spread it
		// through runs of them, one byte a round.
		for {
			next := alnum | join&(state<<8|before)
			if next == state {
				break
			}
			state = next
		}
	}
	starts := alnum &^ (state<<8 | before)
	return bits.OnesCount64(starts), state>>63 != 0
}

// asciiStep is counter.feed's step over one ASCII byte b, at index
// in<<7|b where in is 1 inside a word: bit 0 of the value tells whether
// the byte leaves the count inside a word, bit 1 whether a word starts
// there. Letters and digits make words; ' and - may be inside one
// ("high-quality", "don't"); everything else ends it.
var asciiStep = func() (t [256]uint8) {
	for b := range utf8.RuneSelf {
		for in := range 2 {
			var x uint8
			switch {
			case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
				x = 1
				if in == 0 {
					x |= 2
				}
			case b == '\'' || b == '-':
				x = uint8(in)
			}
			t[in<<7|b] = x
		}
	}
	return t
}()

func (c *counter) brk() { c.inWord = false }

// collect fills the Summary and the counts of doc from the finished tree.
func collect(root ast.Node, src []byte, doc *Doc) {
	var k collector
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			k.exit(n)
			return ast.WalkContinue, nil
		}
		if k.enter(n, src) {
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	doc.Summary, doc.Han, doc.Words = k.summary, k.c.han, k.c.words
}

// A collector finds the summary and counts the text of a finished tree,
// node by node in document order.
type collector struct {
	c       counter
	summary string
}

// enter counts n and reports whether its children are to be left out.
func (k *collector) enter(n ast.Node, src []byte) (skip bool) {
	c := &k.c
	if n.Type() == ast.TypeBlock {
		c.brk()
	}
	switch n := n.(type) {
	case *ast.Paragraph:
		if k.summary == "" {
			if p := n.Parent(); p != nil && (p.Kind() == ast.KindDocument || p.Kind() == kindStopSection) {
				k.summary = plainText(n, src)
			}
		}
	case *ast.Text:
		c.feed(n.Segment.Value(src))
		if n.SoftLineBreak() || n.HardLineBreak() {
			c.brk()
		}
	case *ast.String:
		c.feed(n.Value)
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			c.feed(seg.Value(src))
			c.brk()
		}
	case *figureCaption:
		c.feed([]byte(n.Caption))
		c.brk()
		c.feed([]byte(n.CreditText))
	case *ast.AutoLink, *ast.Image, *ast.RawHTML, *ast.HTMLBlock, *east.FootnoteBacklink:
		return true
	}
	return false
}

// exit ends the word a block ends.
func (k *collector) exit(n ast.Node) {
	if n.Type() == ast.TypeBlock {
		k.c.brk()
	}
}
