package markdown

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// emphasis makes * and _ emphasis work next to CJK punctuation.
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
	))
})

type emphasisParser struct{}

func (p *emphasisParser) Trigger() []byte { return []byte{'*', '_'} }

func (p *emphasisParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	before := block.PrecendingCharacter()
	line, segment := block.PeekLine()
	n, canOpen, canClose := scanDelimiter(line, before)
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
// the character before: its length (0 when there is none) and whether it
// can open and close.
func scanDelimiter(line []byte, before rune) (n int, canOpen, canClose bool) {
	if len(line) == 0 || !emphasisProcessor.IsDelimiter(line[0]) {
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
	canOpen, canClose = flanking(c, before, after)
	return j, canOpen, canClose
}

// flanking applies CommonMark's rules for a delimiter run of c between
// before and after, relaxed for CJK as described on emphasis.
func flanking(c byte, before, after rune) (canOpen, canClose bool) {
	beforePunct, beforeSpace := punctSpace(before)
	afterPunct, afterSpace := punctSpace(after)

	left := !afterSpace &&
		(!afterPunct || beforeSpace || beforePunct || isCJK(before) || isCJKPunct(after))
	right := !beforeSpace &&
		(!beforePunct || afterSpace || afterPunct || isCJK(after) || isCJKPunct(before))

	if c == '_' {
		// CommonMark's rule against intraword _ (snake_case), where CJK
		// punctuation counts as the punctuation that lifts it.
		return left && (!right || beforePunct || isCJKPunct(after)),
			right && (!left || afterPunct || isCJKPunct(before))
	}
	return left, right
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
