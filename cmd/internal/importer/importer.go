// Package importer turns a newsroom draft — plain text out of an editing
// system, a WeChat editor or Word (through pandoc's Markdown) — into a
// Dateline report: front matter and a Markdown body.
//
// Parse reads the draft's blocks (in plain text every line is a paragraph;
// in Markdown, lines run together up to a blank line) and recognizes:
//
//   - the headline (the first block) → title, and a short second block →
//     subtitle (the dek);
//   - a dateline lead (本报杭州8月26日电, JIANGCHENG, Nov. 3 —) → dateline,
//     the lead itself kept as text;
//   - stop lines: a line holding only a stop label (markdown.ParseStopLabel)
//     and a title after a separator SPEC §3 allows → a level-2 heading;
//   - box markers (■ …, ● …, ◆ …, 【…】 alone on a line) → ::: sidebar TITLE,
//     running to the next stop, box or byline;
//   - bylines (记者 孙庆辉 文/图, 本报记者 李明 文 / 周晓雨 图, By Wang Fang;
//     photos by Chen Gang) → authors with their roles;
//   - list lines (- … * … 1. … • …) → Markdown lists.
//
// Everything else stays a paragraph, its Markdown characters escaped so
// that it reads as the text it was. In a Chinese draft the half-width
// punctuation next to Chinese characters is made full-width (package
// style). Nothing of the text is dropped: the headline, dek and byline
// move to the front matter, the box markers and list bullets become
// structure, and every other character is in the body.
package importer

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"dateline/cmd/internal/markdown"
	"dateline/cmd/internal/style"
)

// Options say how to read a draft.
type Options struct {
	Lang     string // language key of the edition ("zh", "en"); "" guesses from the text
	Markdown bool   // the draft is Markdown (kept as written) rather than plain text
}

// An Author is one person of the byline.
type Author struct {
	Name string
	Role string // as written: 文, 图, 文/图; Text, Photos; "" when the byline names none
}

// A Note is one thing Parse recognized, or left alone, at a line of the
// draft.
type Note struct {
	Line int    // 1-based line of the draft
	Kind string // headline, dek, dateline, stop, box, byline, list, paragraph, check
	Text string // what became of it
}

// A Report is a parsed draft.
type Report struct {
	Lang        string
	LangGuessed bool
	Title       string
	Subtitle    string
	Dateline    string
	Authors     []Author
	Body        string // Markdown
	Notes       []Note // in line order
	Plain       []int  // first lines of the blocks left as plain paragraphs
	Fixes       int    // punctuation marks made full-width
}

// Decode returns the text of a draft and the encoding it was read in:
// UTF-8, UTF-8 with a byte order mark, or GB18030 (which includes GBK and
// GB2312). A draft that is none of them is an error naming the line of the
// first byte that is not UTF-8.
func Decode(data []byte) (text, encoding string, err error) {
	if rest, ok := bytes.CutPrefix(data, []byte("\xef\xbb\xbf")); ok {
		if !utf8.Valid(rest) {
			return "", "", fmt.Errorf("%d: not UTF-8 after a UTF-8 byte order mark", badLine(rest))
		}
		return string(rest), "UTF-8 with BOM", nil
	}
	if utf8.Valid(data) {
		return string(data), "UTF-8", nil
	}
	if bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff")) {
		return "", "", errors.New("1: the file is UTF-16; save it as UTF-8")
	}
	// UTF-8 with a few broken bytes would decode as GB18030 into nonsense
	// without a complaint; GB18030 text seldom holds a valid UTF-8
	// sequence beyond ASCII.
	if good, bad := utf8Counts(data); good >= bad {
		return "", "", fmt.Errorf("%d: not valid UTF-8 (a damaged UTF-8 file?)", badLine(data))
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || !utf8.Valid(out) || bytes.ContainsRune(out, utf8.RuneError) {
		return "", "", fmt.Errorf("%d: neither UTF-8 nor GB18030", badLine(data))
	}
	return string(out), "GB18030", nil
}

// utf8Counts returns how many valid UTF-8 sequences of two bytes or more
// data holds, and how many bytes that are not UTF-8.
func utf8Counts(data []byte) (good, bad int) {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			bad++
		case size > 1:
			good++
		}
		i += size
	}
	return good, bad
}

// badLine returns the line of the first byte of data that is not UTF-8.
func badLine(data []byte) int {
	line := 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		if r == '\n' {
			line++
		}
		i += size
	}
	return line
}

// A block is one paragraph of the draft: its lines and the line number of
// the first.
type block struct {
	line  int
	lines []string
	code  bool // fenced code in Markdown: kept byte for byte
}

// one returns the block's text when it is a single line, else "".
func (b block) one() string {
	if len(b.lines) == 1 {
		return b.lines[0]
	}
	return ""
}

// blocks splits text into blocks. In plain text each non-blank line is a
// block; in Markdown, lines run on to a blank line, a heading or a fence.
func blocks(text string, md bool) []block {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	lines := strings.Split(text, "\n")
	var out []block
	var cur *block
	flush := func() {
		if cur != nil {
			out = append(out, *cur)
			cur = nil
		}
	}
	for i := 0; i < len(lines); i++ {
		raw := strings.TrimRight(lines[i], " \t\u3000\u00a0\f\v")
		l := strings.TrimLeft(raw, " \t\u3000\u00a0\f\v\ufeff")
		if l == "" {
			flush()
			continue
		}
		if !md {
			flush()
			out = append(out, block{line: i + 1, lines: []string{l}})
			continue
		}
		if fence := codeFence(l); fence != "" {
			flush()
			b := block{line: i + 1, lines: []string{raw}, code: true}
			for i+1 < len(lines) {
				i++
				b.lines = append(b.lines, strings.TrimRight(lines[i], "\r"))
				if strings.HasPrefix(strings.TrimLeft(lines[i], " "), fence) {
					break
				}
			}
			out = append(out, b)
			continue
		}
		if strings.HasPrefix(l, "#") || strings.HasPrefix(l, ":::") {
			flush()
			out = append(out, block{line: i + 1, lines: []string{raw}})
			continue
		}
		if cur == nil {
			cur = &block{line: i + 1}
		}
		cur.lines = append(cur.lines, raw)
	}
	flush()
	return out
}

// codeFence returns the fence that opens a fenced code block at the start
// of l, or "".
func codeFence(l string) string {
	for _, f := range []string{"```", "~~~"} {
		if strings.HasPrefix(l, f) {
			return f
		}
	}
	return ""
}

// GuessLang says whether text reads as Chinese or English: "zh" when its
// Han characters are at least a quarter as many as its Latin letters.
func GuessLang(text string) string {
	han, latin := 0, 0
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case r < 0x250 && unicode.IsLetter(r):
			latin++
		}
	}
	if han > 0 && 4*han >= latin {
		return "zh"
	}
	return "en"
}

// parser holds the state of one Parse.
type parser struct {
	r    *Report
	md   bool
	zh   bool
	body strings.Builder
	box  int // line of the open box, 0 when none
	stop bool
	list int // line of the last list item written, 0 when the last block was none
}

// Parse reads a decoded draft.
func Parse(text string, opts Options) *Report {
	r := &Report{Lang: opts.Lang}
	if r.Lang == "" {
		r.Lang, r.LangGuessed = GuessLang(text), true
	}
	p := &parser{r: r, md: opts.Markdown, zh: r.Lang == "zh"}
	bs := blocks(text, opts.Markdown)
	for i, b := range bs {
		p.block(i, b)
	}
	p.closeBox()
	r.Body = p.body.String()
	return r
}

func (p *parser) note(line int, kind, format string, args ...any) {
	p.r.Notes = append(p.r.Notes, Note{Line: line, Kind: kind, Text: fmt.Sprintf(format, args...)})
}

// styled applies the house style to one line of text.
func (p *parser) styled(s string) string {
	if !p.zh {
		return s
	}
	fixes := style.Find(s)
	p.r.Fixes += len(fixes)
	return style.Rewrite(s, fixes)
}

// plain returns the text of a one-line block as plain text: in Markdown,
// without heading marks, strong emphasis around the whole line and
// backslash escapes.
func (p *parser) plain(s string) string {
	if !p.md {
		return s
	}
	s = strings.TrimSpace(strings.TrimLeft(s, "#"))
	for _, m := range []string{"**", "__"} {
		if len(s) > 2*len(m) && strings.HasPrefix(s, m) && strings.HasSuffix(s, m) {
			s = strings.TrimSpace(s[len(m) : len(s)-len(m)])
		}
	}
	return unescape(s)
}

// unescape removes Markdown backslash escapes.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// write adds a block of Markdown to the body. A list item written at
// listLine right after the one before joins its list.
func (p *parser) write(s string, listLine int) {
	if p.body.Len() > 0 {
		if listLine > 0 && p.list == listLine-1 {
			p.body.WriteString("\n")
		} else {
			p.body.WriteString("\n\n")
		}
	}
	p.body.WriteString(s)
	p.list = listLine
}

func (p *parser) closeBox() {
	if p.box != 0 {
		p.write(":::", 0)
		p.box = 0
	}
}

func (p *parser) block(i int, b block) {
	if b.code {
		p.write(strings.Join(b.lines, "\n"), 0)
		p.note(b.line, "paragraph", "fenced code kept as written")
		return
	}
	one := b.one()
	if i == 0 && one != "" && !(p.md && strings.HasPrefix(one, "##")) {
		p.r.Title = p.styled(p.plain(one))
		p.note(b.line, "headline", "title: %s", p.r.Title)
		if utf8.RuneCountInString(p.r.Title) > 80 || endsSentence(p.r.Title) && utf8.RuneCountInString(p.r.Title) > 30 {
			p.note(b.line, "check", "a long headline: is the first line a paragraph?")
		}
		return
	}
	if i == 1 && one != "" && p.r.Title != "" && p.isDek(p.plain(one)) {
		p.r.Subtitle = p.styled(p.plain(one))
		p.note(b.line, "dek", "subtitle: %s", p.r.Subtitle)
		return
	}
	if one != "" {
		text := p.plain(one)
		if authors, ok := parseByline(text); ok {
			p.closeBox()
			p.r.Authors = append(p.r.Authors, authors...)
			var names []string
			for _, a := range authors {
				if a.Role != "" {
					names = append(names, a.Name+" ("+a.Role+")")
				} else {
					names = append(names, a.Name)
				}
			}
			p.note(b.line, "byline", "authors: %s", strings.Join(names, ", "))
			return
		}
		if n, title, ok := stopLine(text, p.md && strings.HasPrefix(one, "#")); ok {
			p.closeBox()
			p.stop = true
			var h string
			if p.md {
				h = p.styled(strings.TrimSpace(strings.TrimLeft(one, "#")))
			} else {
				h = escape(p.styled(text), false)
			}
			p.write("## "+h, 0)
			p.note(b.line, "stop", "stop %d: %s", n, title)
			return
		}
		if title, ok := boxLine(text); ok {
			p.closeBox()
			p.box = b.line
			title = p.styled(title)
			if title == "" {
				p.write("::: sidebar", 0)
			} else {
				p.write("::: sidebar "+escape(title, false), 0)
			}
			p.note(b.line, "box", "sidebar: %s (to the next stop, box or byline)", title)
			return
		}
		if p.r.Dateline == "" && !p.stop && i <= 4 {
			if place, ok := datelineLead(text); ok {
				p.r.Dateline = place
				p.note(b.line, "dateline", "dateline: %s (the lead stays in the text)", place)
			}
		}
		if !p.md {
			if marker, rest, ok := listLine(one); ok {
				p.write(marker+escape(p.styled(rest), false), b.line)
				p.note(b.line, "list", "list item")
				return
			}
		}
		if p.md && strings.HasPrefix(one, "#") {
			// A heading the writer made: nothing to check.
		} else if label, ok := looksLikeStop(text); ok {
			p.note(b.line, "check", "starts with %s but reads as a sentence: kept as a paragraph", label)
		} else if utf8.RuneCountInString(text) <= 24 && !endsSentence(text) {
			p.note(b.line, "check", "short line kept as a paragraph (a heading?): %s", text)
		} else if !p.md && !endsParagraph(text) {
			p.note(b.line, "check", "no full stop at the end: a heading, or a paragraph broken in two?")
		}
	}
	var lines []string
	for _, l := range b.lines {
		l = p.styled(l)
		if !p.md {
			l = escape(l, true)
		}
		lines = append(lines, l)
	}
	p.write(strings.Join(lines, "\n"), 0)
	p.r.Plain = append(p.r.Plain, b.line)
}

// isDek reports whether the second block is a dek: short, and neither a
// stop, a box, a byline nor a dateline lead.
func (p *parser) isDek(s string) bool {
	if _, _, ok := stopLine(s, false); ok {
		return false
	}
	if _, ok := boxLine(s); ok {
		return false
	}
	if _, ok := parseByline(s); ok {
		return false
	}
	if _, ok := datelineLead(s); ok {
		return false
	}
	if _, _, ok := listLine(s); ok {
		return false
	}
	if p.zh {
		return utf8.RuneCountInString(s) <= 60 && !strings.ContainsAny(lastRune(s), "。！？:：")
	}
	return len(strings.Fields(s)) <= 30 && !strings.HasSuffix(s, ":")
}

func lastRune(s string) string {
	_, size := utf8.DecodeLastRuneInString(s)
	return s[len(s)-size:]
}

// endsSentence reports whether s ends with sentence punctuation.
func endsSentence(s string) bool {
	s = strings.TrimRight(s, "”’\"')）」』")
	return s != "" && strings.ContainsAny(lastRune(s), "。！？；，、….!?;,:：")
}

// endsParagraph reports whether s ends as a paragraph does: with sentence
// punctuation, a closing quote or bracket, or a colon.
func endsParagraph(s string) bool {
	return strings.ContainsAny(lastRune(s), "。！？…”’」』）)\"'.!?:：；;—")
}

// stopLine reports whether s is a stop line: a stop label and a title
// after a separator (a space, : ： — – or -), and nothing that reads as a
// sentence. A Markdown heading with a stop label is one whatever follows.
func stopLine(s string, heading bool) (n int, title string, ok bool) {
	n, label, title, ok := markdown.ParseStopLabel(s)
	if !ok {
		return 0, "", false
	}
	if heading {
		return n, title, true
	}
	rest := s[len(label):]
	if title != "" {
		r, _ := utf8.DecodeRuneInString(rest)
		if !strings.ContainsRune(" \t\u3000:：—–-", r) {
			return 0, "", false
		}
		if endsSentence(title) {
			return 0, "", false
		}
		if len([]rune(title)) > 40 || len(strings.Fields(title)) > 12 {
			return 0, "", false
		}
		// "First stop was the museum": a bare space before a lower-case
		// word is a sentence, not a title.
		if r0, _ := utf8.DecodeRuneInString(title); unicode.IsLower(r0) && strings.TrimLeft(rest, " \t") != rest && strings.TrimLeft(rest, " \t")[0] == title[0] {
			return 0, "", false
		}
	}
	return n, title, true
}

// looksLikeStop reports a line that starts with a stop label but is not a
// stop line, for the producer to check.
func looksLikeStop(s string) (string, bool) {
	if _, label, _, ok := markdown.ParseStopLabel(s); ok {
		return label, true
	}
	return "", false
}

// boxLine reports whether s opens a box: a marker ■ ● ◆ and a short title,
// or 【title】 alone on the line.
func boxLine(s string) (title string, ok bool) {
	if strings.HasPrefix(s, "【") && strings.HasSuffix(s, "】") && strings.Count(s, "【") == 1 && strings.Count(s, "】") == 1 {
		t := strings.TrimSpace(s[len("【") : len(s)-len("】")])
		return t, utf8.RuneCountInString(t) <= 30
	}
	for _, m := range boxMarkers {
		if rest, ok := strings.CutPrefix(s, m); ok {
			t := strings.TrimLeft(rest, " \t\u3000")
			if utf8.RuneCountInString(t) > 30 || len(strings.Fields(t)) > 10 || endsSentence(t) {
				return "", false
			}
			return t, true
		}
	}
	return "", false
}

var boxMarkers = []string{"■", "●", "◆"}

// listLine reports a list line: a Markdown bullet or number kept as it
// is, or a • bullet written as "- ".
func listLine(s string) (marker, rest string, ok bool) {
	if m := orderedItem.FindString(s); m != "" {
		return m, s[len(m):], true
	}
	for _, b := range []string{"- ", "* ", "+ "} {
		if r, ok := strings.CutPrefix(s, b); ok && strings.TrimSpace(r) != "" && strings.Trim(s, "-*+ ") != "" {
			return b, strings.TrimLeft(r, " "), true
		}
	}
	for _, b := range []string{"•", "·"} {
		if r, ok := strings.CutPrefix(s, b); ok && strings.TrimSpace(r) != "" {
			if b == "·" && !strings.HasPrefix(r, " ") {
				continue
			}
			return "- ", strings.TrimLeft(r, " \t\u3000"), true
		}
	}
	return "", "", false
}

var orderedItem = regexp.MustCompile(`^[0-9]{1,2}[.)] +`) // 1986. is a year, not an item

// datelineLead finds the place of a dateline lead: 本报杭州8月26日电,
// 新华社北京3月1日电, or JIANGCHENG, Nov. 3 — in English.
func datelineLead(s string) (string, bool) {
	if m := zhLead.FindStringSubmatch(s); m != nil {
		return m[2], true
	}
	if m := enLead.FindStringSubmatch(s); m != nil {
		return titleCase(m[1]), true
	}
	return "", false
}

var (
	zhLead = regexp.MustCompile(`^(本报|新华社|中新社|中新网|人民网|央视网)(\p{Han}{2,8}?)(?:[0-9０-９]{1,2}月[0-9０-９]{1,2}日)?电`)
	enLead = regexp.MustCompile(`^([A-Z][A-Z'.\-]*(?: [A-Z][A-Z'.\-]*){0,3})(?:, [A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*)*)?, (?:Jan|Feb|Mar|Apr|May|June?|July?|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.? [0-9]{1,2}(?:, [0-9]{4})? ?(?:—|–|--|-) ?`)
)

// titleCase writes an upper-case place name as a name: JIANGCHENG →
// Jiangcheng, NEW YORK → New York.
func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		rs := []rune(strings.ToLower(w))
		if len(rs) > 0 {
			rs[0] = unicode.ToUpper(rs[0])
		}
		words[i] = string(rs)
	}
	return strings.Join(words, " ")
}

// escape writes plain text so that Markdown reads it as the same text:
// a backslash before every character that could start markup, and before
// those that only do at the start of a line (- + : and the . or ) after a
// list number) when lineStart is set.
func escape(s string, lineStart bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '&', '|', '~', '{', '#':
			b.WriteByte('\\')
		case '-', '+', ':':
			if i == 0 {
				b.WriteByte('\\')
			}
		case '.', ')':
			if lineStart && orderedStart(s[:i]) && (i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\t') {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// orderedStart reports whether s, the start of a line, is a list number.
func orderedStart(s string) bool {
	if s == "" || len(s) > 9 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Markdown returns the edition file: YAML front matter (a draft, dated
// date) and the body.
func (r *Report) Markdown(date string) []byte {
	var b bytes.Buffer
	b.WriteString("---\n")
	field := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%s: %s\n", k, strconv.Quote(v))
		}
	}
	field("title", r.Title)
	field("subtitle", r.Subtitle)
	fmt.Fprintf(&b, "date: %s\n", date)
	b.WriteString("draft: true\n")
	field("dateline", r.Dateline)
	if len(r.Authors) > 0 {
		b.WriteString("authors:\n")
		for _, a := range r.Authors {
			fmt.Fprintf(&b, "  - name: %s\n", strconv.Quote(a.Name))
			if a.Role != "" {
				fmt.Fprintf(&b, "    role: %s\n", strconv.Quote(a.Role))
			}
		}
	}
	b.WriteString("---\n\n")
	b.WriteString(r.Body)
	if r.Body != "" {
		b.WriteString("\n")
	}
	return b.Bytes()
}
