package markdown

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// emphasis makes * and _ emphasis and ~ strikethrough work next to CJK
// punctuation.
//
// CommonMark decides whether a delimiter run can open or close emphasis
// with the flanking rules, which treat every punctuation character alike:
// "**「刻舟求剑」**是" leaves literal asterisks, because the closing run
// follows punctuation (」) and precedes a letter (是) (goldmark #61). Chinese
// puts no space around emphasis, so the rule fails where Chinese needs it.
//
// Following the markdown-cjk-friendly proposal, a punctuation character
// next to a delimiter run does not stop the run from flanking when the
// character on the other side of the run is CJK (Han, kana, hangul, CJK
// punctuation or a full-width form), or when that punctuation is itself
// CJK punctuation. For '_', CJK punctuation inside the run's neighbours
// also lifts the rule against intraword underscores, so __「重要」__是 is
// strong while 中文_不是_强调 stays literal. Text with no CJK character next
// to a delimiter is parsed exactly as CommonMark says.
var emphasis = extender(func(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(
		// 499 < the default emphasis parser's 500: this parser is tried
		// first for '*' and '_' and always answers, so the default one
		// never runs.
		util.Prioritized(&emphasisParser{}, 499),
		// 499 < the strikethrough parser's 500, likewise for '~'.
		util.Prioritized(&strikethroughParser{}, 499),
	))
})

// strikethroughParser is GFM's strikethrough (one or two '~') with the
// CJK-friendly flanking rules of emphasis: a~~「a~~」 and 「~~a」~~a strike.
// goldmark's strikethrough extension still renders the nodes.
type strikethroughParser struct{}

func (p *strikethroughParser) Trigger() []byte { return []byte{'~'} }

func (p *strikethroughParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	before2, before := precedingRunes(block)
	line, segment := block.PeekLine()
	n, canOpen, canClose := scanDelimiter(line, before2, before)
	// As goldmark's parser: no run of three or more, none right after '~'.
	if n == 0 || n > 2 || before == '~' {
		return nil
	}
	d := parser.NewDelimiter(canOpen, canClose, n, '~', strikethroughProcessor{})
	d.Segment = segment.WithStop(segment.Start + n)
	block.Advance(n)
	pc.PushDelimiter(d)
	return d
}

// strikethroughProcessor makes <del> of matched '~' runs.
type strikethroughProcessor struct{}

func (strikethroughProcessor) IsDelimiter(b byte) bool { return b == '~' }

func (strikethroughProcessor) CanOpenCloser(opener, closer *parser.Delimiter) bool {
	return opener.Char == closer.Char
}

func (strikethroughProcessor) OnMatch(consumes int) ast.Node { return east.NewStrikethrough() }

type emphasisParser struct{}

func (p *emphasisParser) Trigger() []byte { return []byte{'*', '_'} }

func (p *emphasisParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	before2, before := precedingRunes(block)
	line, segment := block.PeekLine()
	n, canOpen, canClose := scanDelimiter(line, before2, before)
	if n == 0 {
		return nil
	}
	st, _ := pc.Get(stateKey).(*state)
	d := st.delimiter(canOpen, canClose, n, line[0])
	d.Segment = segment.WithStop(segment.Start + d.OriginalLength)
	block.Advance(d.OriginalLength)
	pc.PushDelimiter(d)
	return d
}

// emphasisDelimiters makes <em> and <strong> of matched delimiter runs.
// A document's own (state.emphasis) makes its nodes a slab at a time.
type emphasisDelimiters struct {
	free []ast.Emphasis
}

var emphasisProcessor = &emphasisDelimiters{}

func (*emphasisDelimiters) IsDelimiter(b byte) bool { return b == '*' || b == '_' }

func (*emphasisDelimiters) CanOpenCloser(opener, closer *parser.Delimiter) bool {
	return opener.Char == closer.Char
}

// emphasisSlab is how many emphasis nodes a document's emphasisDelimiters
// allocates at a time.
const emphasisSlab = 16

func (e *emphasisDelimiters) OnMatch(consumes int) ast.Node {
	if e == emphasisProcessor {
		return ast.NewEmphasis(consumes) // shared by documents
	}
	if len(e.free) == 0 {
		e.free = make([]ast.Emphasis, emphasisSlab)
	}
	n := &e.free[0]
	e.free = e.free[1:]
	n.Level = consumes // as ast.NewEmphasis makes it
	return n
}

// scanDelimiter reads the delimiter run at the start of line, preceded by
// the character before and, when before is a variation selector, by
// before2 ahead of it: its length (0 when there is none) and whether it
// can open and close.
func scanDelimiter(line []byte, before2, before rune) (n int, canOpen, canClose bool) {
	if len(line) == 0 || (line[0] != '*' && line[0] != '_' && line[0] != '~') {
		return 0, false, false
	}
	c := line[0]
	j := 1
	for j < len(line) && line[j] == c {
		j++
	}
	after := ' '
	if j < len(line) {
		after = util.ToRune(line, j)
	}
	canOpen, canClose = flanking(c, before2, before, after)
	return j, canOpen, canClose
}

// precedingRunes returns the character before the reader's position and,
// when that is a variation selector, the one before it (else 0).
func precedingRunes(block text.Reader) (before2, before rune) {
	before = block.PrecendingCharacter()
	if !isSVS(before) {
		return 0, before
	}
	_, seg := block.Position()
	src := block.Source()
	if i := seg.Start - utf8.RuneLen(before); i > 0 && i <= len(src) {
		before2, _ = utf8.DecodeLastRune(src[:i])
	}
	return before2, before
}

// flanking applies the flanking rules of the markdown-cjk-friendly
// amendment (its specification.md, §6.2) to a delimiter run of c between
// before and after; before2 is the character before a variation selector
// before. A non-CJK punctuation character next to the run does not stop it
// from flanking when the other side is a CJK character (with or without a
// variation selector) or an ideographic variation selector; CJK
// punctuation (「」。，：) never stops it. For '_', as in Dateline before
// the amendment, CJK punctuation on the other side also lifts the rule
// against intraword underscores (__「重要」__是), while 中文_不是_强调 and
// 中_々_ stay literal.
func flanking(c byte, before2, before, after rune) (canOpen, canClose bool) {
	var bSpace, bPunct, bNonCJKPunct, bCJK, bCJKPunct bool
	if isSVS(before) && before2 != 0 {
		// A character and its variation selector count as one.
		p := isPunctRune(before2)
		bCJK = isCJKChar(before2)
		bPunct = p
		// A CJK ambiguous punctuation sequence, a quote with the "fullwidth
		// form" selector U+FE01 (“︁ ”︁ ‘︁ ’︁, StandardizedVariants.txt), is CJK
		// punctuation.
		bCJKPunct = p && (bCJK || before == 0xfe01 && fullwidthVariant(before2))
		bNonCJKPunct = p && !bCJKPunct
	} else {
		bPunct, bSpace = punctSpace(before)
		bCJK = isCJKChar(before) || isIVS(before)
		bCJKPunct = bPunct && bCJK
		bNonCJKPunct = bPunct && !bCJKPunct
	}
	aPunct, aSpace := punctSpace(after)
	aCJK := isCJKChar(after)
	aCJKPunct := aPunct && aCJK
	aNonCJKPunct := aPunct && !aCJK

	left := !aSpace && (!aNonCJKPunct || bSpace || bNonCJKPunct || bCJK)
	right := !bSpace && (!bNonCJKPunct || aSpace || aNonCJKPunct || aCJK)

	if c == '_' {
		return left && (!right || bPunct || aCJKPunct),
			right && (!left || aPunct || bCJKPunct)
	}
	return left, right
}

// fullwidthVariant reports whether r has a "fullwidth form" variation
// sequence with U+FE01 and is East Asian Width ambiguous: the quotes.
func fullwidthVariant(r rune) bool {
	switch r {
	case '\u2018', '\u2019', '\u201c', '\u201d':
		return true
	}
	return false
}

// isSVS reports whether r is a variation selector of U+FE00–U+FE0E (not
// the emoji presentation selector U+FE0F).
func isSVS(r rune) bool { return r >= 0xfe00 && r <= 0xfe0e }

// isIVS reports whether r is an ideographic variation selector.
func isIVS(r rune) bool { return r >= 0xe0100 && r <= 0xe01ef }

// isPunctRune is util.IsPunctRune with punctSpace's shortcut.
func isPunctRune(r rune) bool {
	p, _ := punctSpace(r)
	return p
}

// isCJKChar reports whether r is a CJK character as the amendment defines
// it: East Asian Width wide, full-width or half-width and not an emoji
// shown as emoji by default, or Hangul. 々 〆 〇 are CJK letters, ・ ㊗ 🈂
// and the small form variants (U+FE50–U+FE6F) CJK punctuation. Planes 2
// and 3 are wide as a whole, also where Go's Unicode tables are older than
// the character (CJK extension I).
func isCJKChar(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r >= 0x4e00 && r <= 0x9fff, r >= 0x20000 && r <= 0x3fffd:
		return true
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth, width.EastAsianHalfwidth:
		return !emojiPresentation(r)
	}
	return unicode.Is(unicode.Hangul, r)
}

// emojiPresentation reports whether r is shown as emoji by default
// (Emoji_Presentation=Yes in Unicode's emoji-data.txt), for the wide
// characters that isCJKChar asks about.
func emojiPresentation(r rune) bool {
	if r >= 0x1f300 && r <= 0x1f64f || r >= 0x1f680 && r <= 0x1f6ff ||
		r >= 0x1f7e0 && r <= 0x1f7ff || r >= 0x1f900 && r <= 0x1faff {
		return true
	}
	for _, rg := range emojiPresentationRanges {
		if r < rg[0] {
			return false
		}
		if r <= rg[1] {
			return true
		}
	}
	return false
}

// emojiPresentationRanges are the wide emoji-presentation characters
// outside the emoji blocks, in order.
var emojiPresentationRanges = [][2]rune{
	{0x231a, 0x231b}, {0x23e9, 0x23ec}, {0x23f0, 0x23f0}, {0x23f3, 0x23f3}, {0x25fd, 0x25fe},
	{0x2614, 0x2615}, {0x2648, 0x2653}, {0x267f, 0x267f}, {0x2693, 0x2693}, {0x26a1, 0x26a1},
	{0x26aa, 0x26ab}, {0x26bd, 0x26be}, {0x26c4, 0x26c5}, {0x26ce, 0x26ce}, {0x26d4, 0x26d4},
	{0x26ea, 0x26ea}, {0x26f2, 0x26f3}, {0x26f5, 0x26f5}, {0x26fa, 0x26fa}, {0x26fd, 0x26fd},
	{0x2705, 0x2705}, {0x270a, 0x270b}, {0x2728, 0x2728}, {0x274c, 0x274c}, {0x274e, 0x274e},
	{0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797}, {0x27b0, 0x27b0}, {0x27bf, 0x27bf},
	{0x2b1b, 0x2b1c}, {0x2b50, 0x2b50}, {0x2b55, 0x2b55},
	{0x1f004, 0x1f004}, {0x1f0cf, 0x1f0cf}, {0x1f18e, 0x1f18e}, {0x1f191, 0x1f19a},
	{0x1f201, 0x1f201}, {0x1f21a, 0x1f21a}, {0x1f22f, 0x1f22f}, {0x1f232, 0x1f236},
	{0x1f238, 0x1f23a}, {0x1f250, 0x1f251},
}

// punctSpace returns util.IsPunctRune(r) and util.IsSpaceRune(r). Text
// next to emphasis in Chinese is mostly CJK unified ideographs, which are
// neither, but which the unicode package looks up in its Symbol and
// Punct tables, by binary search, each time.
func punctSpace(r rune) (punct, space bool) {
	if r >= 0x4e00 && r <= 0x9fff {
		return false, false
	}
	return util.IsPunctRune(r), util.IsSpaceRune(r)
}
