package markdown

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"dateline/cmd/internal/phrase"
	"dateline/cmd/internal/style"
)

// kindStopSection is the kind of a stopSection node.
var kindStopSection = ast.NewNodeKind("StopSection")

// A stopSection is one staged section of a report: a stop heading and the
// blocks after it, up to the next level-2 heading or the end.
type stopSection struct {
	ast.BaseBlock
	N     int    // 1…n in document order
	ID    string // "stop-N"
	Label string // localized label: "第一站", "First stop"
}

// Kind implements ast.Node.
func (n *stopSection) Kind() ast.NodeKind { return kindStopSection }

// Dump implements ast.Node.
func (n *stopSection) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"N": strconv.Itoa(n.N), "Label": n.Label}, nil)
}

// kindStopHeading is the kind of a stopHeading node.
var kindStopHeading = ast.NewNodeKind("StopHeading")

// A stopHeading is the level-2 heading of a stop. Its children are the
// title's inline nodes, without the label written in the source.
type stopHeading struct {
	ast.BaseBlock
	Label   string // localized label shown before the title
	Classes string // the heading's classes other than "stop"
}

// Kind implements ast.Node.
func (n *stopHeading) Kind() ast.NodeKind { return kindStopHeading }

// Dump implements ast.Node.
func (n *stopHeading) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Label": n.Label}, nil)
}

// kindPhraseBreak is the kind of a phraseBreak node.
var kindPhraseBreak = ast.NewNodeKind("PhraseBreak")

// A phraseBreak is a <wbr> between two phrases of a Chinese stop title
// (package phrase): the heading, styled `word-break: keep-all`, breaks its
// lines only there. It has no text.
type phraseBreak struct{ ast.BaseInline }

// Kind implements ast.Node.
func (n *phraseBreak) Kind() ast.NodeKind { return kindPhraseBreak }

// Dump implements ast.Node.
func (n *phraseBreak) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// stops turns level-2 stop headings into stop sections.
var stops = extender(func(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(
		// 1000 > footnote's 999: the footnote list is already the last
		// child of the document, and a stop ends before it.
		util.Prioritized(transformer(transformStops), 1000),
	))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		// 500, like footnote's and table's renderers: no other renderer
		// registers these kinds; inline.go's 100 overrides html.Renderer's 1000.
		util.Prioritized(nodeRenderer(registerStops), 500),
	))
})

// stopLabel returns the label of stop n: Env.StopLabel's, or "Stop n".
func (st *state) stopLabel(n int) string {
	if f := st.env.StopLabel; f != nil {
		return f(n)
	}
	return "Stop " + strconv.Itoa(n)
}

// hasClass reports whether n's class attribute holds class, and returns
// the other classes.
func hasClass(n ast.Node, class string) (bool, string) {
	v, ok := n.AttributeString("class")
	if !ok {
		return false, ""
	}
	var s string
	switch v := v.(type) {
	case []byte:
		s = string(v)
	case string:
		s = v
	}
	found := false
	var rest []string
	for _, f := range strings.Fields(s) {
		if f == class {
			found = true
		} else {
			rest = append(rest, f)
		}
	}
	return found, strings.Join(rest, " ")
}

func transformStops(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	st := stateOf(pc, src)

	count := 0
	for c := ast.Node(doc.FirstChild()); c != nil; {
		h, ok := c.(*ast.Heading)
		if !ok || h.Level != 2 {
			c = c.NextSibling()
			continue
		}
		plain := plainText(h, src)
		num, written, title, labelled := parseStopLabel(plain)
		classed, classes := hasClass(h, "stop")
		if !labelled && !classed {
			c = c.NextSibling()
			continue
		}
		count++
		line := st.nodeLine(h)
		if labelled && num != count {
			st.warnf(line, "stop heading %q is numbered %d but it is stop %d", written, num, count)
		}
		if !labelled {
			title = plain
		}
		label := st.stopLabel(count)
		// The section and its heading in one allocation; they live as
		// long as each other, with the tree.
		both := &struct {
			sec  stopSection
			head stopHeading
		}{
			stopSection{N: count, ID: stopIDs.id(count), Label: label},
			stopHeading{Label: label, Classes: classes},
		}
		sec, head := &both.sec, &both.head
		if id, ok := explicitID(h); ok {
			head.SetAttributeString("id", []byte(id))
		}
		head.SetPos(h.Pos())
		head.SetLines(h.Lines())
		moveTitle(h, head, src, len(plain)-len(title), title)
		title = capitalTitle(head, src, title, st.env.Lang)
		if phrase.For(st.env.Lang) {
			breakPhrases(head, src)
		}
		st.stops = append(st.stops, Stop{N: count, ID: sec.ID, Label: label, Title: title, Line: line})

		doc.InsertBefore(doc, h, sec)
		next := h.NextSibling()
		doc.RemoveChild(doc, h)
		sec.AppendChild(sec, head)
		for c = next; c != nil && !endsStop(c); {
			next := c.NextSibling() // AppendChild detaches c from the document
			sec.AppendChild(sec, c)
			c = next
		}
	}
}

// capitalTitle gives an English stop title its capital first letter
// (style.Capital) in the heading's first text node and in the plain title.
func capitalTitle(head ast.Node, src []byte, title, lang string) string {
	capital := style.Capital(title, lang)
	if capital == title {
		return title
	}
	switch c := head.FirstChild().(type) {
	case *ast.Text:
		s := ast.NewString([]byte(style.Capital(string(c.Segment.Value(src)), lang)))
		s.SetCode(false)
		head.ReplaceChild(head, c, s)
	case *ast.String:
		c.Value = []byte(style.Capital(string(c.Value), lang))
	}
	return capital
}

// endsStop reports whether block n ends the stop before it.
func endsStop(n ast.Node) bool {
	if h, ok := n.(*ast.Heading); ok {
		return h.Level == 2
	}
	return n.Kind() == east.KindFootnoteList
}

// moveTitle moves the inline children of h to head, without the first
// cut bytes of h's plain text (the label and its separator). When the
// label does not end cleanly inside leading text nodes (it is emphasized,
// say), the title is kept as plain text.
//
// plainText trims with trimSpace and parseStopLabel's title is trimmed the
// same way, so the title is a suffix of the plain text and cut ends on a
// character boundary.
func moveTitle(h ast.Node, head ast.Node, src []byte, cut int, title string) {
	clean := true
	rest := cut
	for c := h.FirstChild(); c != nil && rest > 0; c = c.NextSibling() {
		var n int
		switch c := c.(type) {
		case *ast.Text:
			v := c.Segment.Value(src)
			if c.SoftLineBreak() || c.HardLineBreak() || len(textValue(v)) != len(v) {
				clean = false
			}
			n = len(v)
		case *ast.String:
			n = len(c.Value)
		default:
			clean = false
		}
		if !clean {
			break
		}
		rest -= n
	}
	if !clean {
		for c := h.FirstChild(); c != nil; {
			next := c.NextSibling()
			h.RemoveChild(h, c)
			c = next
		}
		if title != "" {
			head.AppendChild(head, ast.NewString([]byte(title)))
		}
		return
	}
	rest = cut
	for c := h.FirstChild(); c != nil; {
		next := c.NextSibling()
		if rest > 0 {
			switch t := c.(type) {
			case *ast.Text:
				if l := t.Segment.Len(); l <= rest {
					rest -= l
					c = next
					continue
				}
				if !utf8.RuneStart(src[t.Segment.Start+rest]) {
					return // cannot happen, see above; keep the node whole
				}
				t.Segment = t.Segment.WithStart(t.Segment.Start + rest)
			case *ast.String:
				if l := len(t.Value); l <= rest {
					rest -= l
					c = next
					continue
				}
				if !utf8.RuneStart(t.Value[rest]) {
					return
				}
				t.Value = t.Value[rest:]
			}
			rest = 0
		}
		head.AppendChild(head, c)
		c = next
	}
}

// breakPhrases puts a phraseBreak between the phrases of head's text
// (phrase.Split of its text nodes, in order), where a Chinese character is
// on one side: never inside an ASCII run, so no entity or escape is cut.
func breakPhrases(head ast.Node, src []byte) {
	type leaf struct {
		node ast.Node
		at   int // offset in runes of the heading's text
	}
	var leaves []leaf
	var all []rune
	_ = ast.Walk(head, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := n.(type) {
		case *ast.CodeSpan:
			// Its text counts for the phrases; nothing breaks inside it.
			all = append(all, []rune(plainText(c, src))...)
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			leaves = append(leaves, leaf{c, len(all)})
			all = append(all, []rune(string(c.Segment.Value(src)))...)
		case *ast.String:
			leaves = append(leaves, leaf{c, len(all)})
			all = append(all, []rune(string(c.Value))...)
		}
		return ast.WalkContinue, nil
	})
	if len(all) == 0 {
		return
	}
	cuts := map[int]bool{}
	at := 0
	for _, p := range phrase.Split(string(all)) {
		at += utf8.RuneCountInString(p)
		if at < len(all) && (all[at-1] >= utf8.RuneSelf || all[at] >= utf8.RuneSelf) {
			cuts[at] = true
		}
	}
	for _, l := range leaves {
		// Split leaf before each cut inside it or at its start, right to
		// left, so that earlier offsets stay valid.
		var value []byte
		switch c := l.node.(type) {
		case *ast.Text:
			value = c.Segment.Value(src)
		case *ast.String:
			value = c.Value
		}
		n, at := utf8.RuneCount(value), l.at
		parent, cur := l.node.Parent(), l.node
		for i, b := len(value), n; b >= 0; b-- {
			if b < n {
				_, size := utf8.DecodeLastRune(value[:i])
				i -= size
			}
			if !cuts[at+b] || b == n {
				continue
			}
			delete(cuts, at+b)
			if b > 0 {
				var tail ast.Node
				switch c := cur.(type) {
				case *ast.Text:
					t := ast.NewTextSegment(c.Segment.WithStart(c.Segment.Start + i))
					t.SetRaw(c.IsRaw())
					t.SetSoftLineBreak(c.SoftLineBreak())
					t.SetHardLineBreak(c.HardLineBreak())
					c.SetSoftLineBreak(false)
					c.SetHardLineBreak(false)
					c.Segment = c.Segment.WithStop(c.Segment.Start + i)
					tail = t
				case *ast.String:
					s := ast.NewString(c.Value[i:])
					s.SetCode(c.IsCode())
					s.SetRaw(c.IsRaw())
					c.Value = c.Value[:i]
					tail = s
				}
				parent.InsertAfter(parent, cur, tail)
				parent.InsertAfter(parent, cur, &phraseBreak{})
			} else {
				parent.InsertBefore(parent, cur, &phraseBreak{})
			}
		}
	}
}

func registerStops(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindStopSection, renderStopSection)
	reg.Register(kindStopHeading, renderStopHeading)
	reg.Register(kindPhraseBreak, renderPhraseBreak)
}

func renderPhraseBreak(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<wbr>")
	}
	return ast.WalkContinue, nil
}

func renderStopSection(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*stopSection)
	if entering {
		_, _ = w.WriteString(`<section class="stop" id="`)
		_, _ = w.WriteString(n.ID)
		_, _ = w.WriteString(`" data-stop="`)
		_, _ = w.WriteString(strconv.Itoa(n.N))
		_, _ = w.WriteString("\">\n")
	} else {
		_, _ = w.WriteString("</section>\n")
	}
	return ast.WalkContinue, nil
}

func renderStopHeading(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*stopHeading)
	if entering {
		_, _ = w.WriteString(`<h2 class="stop-heading`)
		if n.Classes != "" {
			_ = w.WriteByte(' ')
			writeEscaped(w, n.Classes)
		}
		_ = w.WriteByte('"')
		if id, ok := explicitID(n); ok {
			_, _ = w.WriteString(` id="`)
			writeEscaped(w, id)
			_ = w.WriteByte('"')
		}
		_, _ = w.WriteString(`><span class="stop-label">`)
		writeEscaped(w, n.Label)
		_, _ = w.WriteString(`</span>`)
		if n.HasChildren() {
			_, _ = w.WriteString(` <span class="stop-title">`)
		}
		return ast.WalkContinue, nil
	}
	if n.HasChildren() {
		_, _ = w.WriteString(`</span>`)
	}
	_, _ = w.WriteString("</h2>\n")
	return ast.WalkContinue, nil
}

// zhDigits maps the Chinese numerals of stop labels to their values.
var zhDigits = map[rune]int{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// zhNumber parses a Chinese number from 一 to 九十九, or a number written
// in ASCII or full-width digits (1 to 999).
func zhNumber(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	if r, _ := utf8.DecodeRuneInString(s); r >= '0' && r <= '9' || r >= '０' && r <= '９' {
		n, digits := 0, 0
		for _, r := range s {
			switch {
			case r >= '0' && r <= '9':
				n = n*10 + int(r-'0')
			case r >= '０' && r <= '９':
				n = n*10 + int(r-'０')
			default:
				return 0, false
			}
			digits++
		}
		return n, digits <= 3 && n >= 1
	}
	rs := []rune(s)
	d := func(i int) int { return zhDigits[rs[i]] }
	switch {
	case len(rs) == 1 && rs[0] == '十':
		return 10, true
	case len(rs) == 1 && d(0) > 0:
		return d(0), true
	case len(rs) == 2 && rs[0] == '十' && d(1) > 0:
		return 10 + d(1), true
	case len(rs) == 2 && d(0) > 1 && rs[1] == '十':
		return 10 * d(0), true
	case len(rs) == 3 && d(0) > 1 && rs[1] == '十' && d(2) > 0:
		return 10*d(0) + d(2), true
	}
	return 0, false
}

var enOrdinals = []string{
	"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
	"eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
	"eighteenth", "nineteenth", "twentieth",
}

// hasPrefixFold reports whether s begins with the lower-case ASCII word p,
// ignoring ASCII case.
func hasPrefixFold(s, p string) bool {
	if len(s) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != p[i] {
			return false
		}
	}
	return true
}

func skipSpaces(s string) string {
	return strings.TrimLeft(s, " \t\u3000")
}

// ParseStopLabel is parseStopLabel for other packages (dateline import
// recognizes stop lines in plain text with it).
func ParseStopLabel(s string) (n int, label, title string, ok bool) { return parseStopLabel(s) }

// parseStopLabel reads a stop label at the start of a heading's text:
// 第N站 (N in Chinese numerals 一…九十九 or digits), "<Ordinal> stop"
// (First … Twentieth, any case) or "Stop N". It returns the number the
// label states and the title after the label and its separator.
func parseStopLabel(s string) (n int, label, title string, ok bool) {
	var rest string
	switch {
	case strings.HasPrefix(s, "第"):
		body := s[len("第"):]
		i := strings.Index(body, "站")
		if i <= 0 || i > 12 {
			return 0, "", "", false
		}
		if n, ok = zhNumber(body[:i]); !ok {
			return 0, "", "", false
		}
		rest = body[i+len("站"):]
	case hasPrefixFold(s, "stop") && len(s) > 4 && (s[4] == ' ' || s[4] == '\t'):
		digits := skipSpaces(s[4:])
		i := 0
		for i < len(digits) && i < 4 && digits[i] >= '0' && digits[i] <= '9' {
			n = n*10 + int(digits[i]-'0')
			i++
		}
		if i == 0 || i > 3 || n == 0 {
			return 0, "", "", false
		}
		rest = digits[i:]
		if !boundary(rest) {
			return 0, "", "", false
		}
	default:
		for i, w := range enOrdinals {
			if !hasPrefixFold(s, w) {
				continue
			}
			after := s[len(w):]
			sp := skipSpaces(after)
			if len(sp) == len(after) || !hasPrefixFold(sp, "stop") || !boundary(sp[len("stop"):]) {
				continue
			}
			rest = sp[len("stop"):]
			n = i + 1
			break
		}
		if n == 0 {
			return 0, "", "", false
		}
	}
	return n, s[:len(s)-len(rest)], trimSeparator(rest), true
}

// boundary reports whether an English label may end before s: at the end,
// or before a character that is not a letter or digit.
func boundary(s string) bool {
	if s == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s)
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_'
}

// trimSeparator removes the separator between a label and its title:
// spaces, then one run of ':' '：' '—' '–' '-' ',' '，' '、' or '·', then
// spaces.
func trimSeparator(s string) string {
	s = skipSpaces(s)
	if r, size := utf8.DecodeRuneInString(s); strings.ContainsRune(":：—–-,，、·", r) && size > 0 {
		for strings.HasPrefix(s, string(r)) {
			s = s[size:]
		}
	}
	return trimSpace(s)
}
