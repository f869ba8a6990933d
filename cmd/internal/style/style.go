// Package style holds the newsroom's house style rules of SPEC §12 that
// rewrite text: today, Chinese punctuation.
//
// In a Chinese edition a half-width , : ; ? ! ( or ) next to Chinese
// characters should be its full-width form (，：；？！（）). Find lists the
// marks of one line that should change, with their byte offsets, so that a
// checker can report path:line:col and a fixer (dateline import, and
// later dateline check --fix) can rewrite them with Apply. Marks inside
// code spans, URLs, autolinks and Markdown link targets are never changed,
// and neither are marks in an English passage: a mark changes only when a
// Chinese character is its neighbour.
package style

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Fix is one half-width mark to replace with its full-width form.
type Fix struct {
	Offset int  // byte offset of Old in the line
	Old    rune // ',' ':' ';' '?' '!' '(' or ')'
	New    rune // '，' '：' '；' '？' '！' '（' or '）'
}

// marksHalf are the half-width marks Find looks for.
const marksHalf = ",:;?!()"

// fullWidth returns the full-width form of one of the seven half-width
// marks, or 0 for any other character.
func fullWidth(c rune) rune {
	switch c {
	case ',':
		return '，'
	case ':':
		return '：'
	case ';':
		return '；'
	case '?':
		return '？'
	case '!':
		return '！'
	case '(':
		return '（'
	case ')':
		return '）'
	}
	return 0
}

// IsChinese reports whether r is a Chinese character or a CJK or
// full-width punctuation mark, the neighbours that make a half-width mark
// Chinese text.
func IsChinese(r rune) bool {
	return unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303f || r >= 0xff00 && r <= 0xffef
}

// closing and opening quotes and brackets are looked past when finding a
// mark's neighbour: in “数智治理”, the comma's neighbour is 理.
const (
	closing = "”’」』》】〉\"'"
	opening = "“‘「『《【〈\"'"
)

// Find returns the marks of line to make full-width, in order.
func Find(line string) []Fix {
	if !strings.ContainsAny(line, marksHalf) {
		return nil
	}
	// The marks outside code, URLs and link targets, and which
	// parentheses pair up (line is scanned once; a pair is decided as one).
	skip := skipped(line)
	var marks []int
	var pair []int // pair[m]: the byte of the parenthesis that pairs with marks[m], or -1
	var open []int // the marks (indexes into marks) of the '(' not yet closed
	for i, k := 0, 0; i < len(line); i++ {
		j := strings.IndexAny(line[i:], marksHalf)
		if j < 0 {
			break
		}
		i += j
		for k < len(skip) && skip[k][1] <= i {
			k++
		}
		if k < len(skip) && i >= skip[k][0] {
			i = skip[k][1] - 1
			continue
		}
		c := rune(line[i])
		marks = append(marks, i)
		pair = append(pair, -1)
		switch c {
		case '(':
			open = append(open, len(marks)-1)
		case ')':
			if n := len(open); n > 0 {
				o := open[n-1]
				pair[o], pair[len(marks)-1] = i, marks[o]
				open = open[:n-1]
			}
		}
	}
	var fixes []Fix
	for m, i := range marks {
		c := rune(line[i])
		var chinese bool
		switch j := pair[m]; {
		case j >= 0 && c == '(':
			chinese = pairIsChinese(line, i, j)
		case j >= 0:
			chinese = pairIsChinese(line, j, i)
		default:
			chinese = nextToChinese(line, i)
		}
		if chinese {
			fixes = append(fixes, Fix{i, c, fullWidth(c)})
		}
	}
	// A mark beside a parenthesis made full-width is beside Chinese
	// punctuation once fixed: "(一行)!" is "（一行）！", so that Find of
	// its own result finds nothing more.
	if len(fixes) > 0 && len(fixes) < len(marks) {
		chosen := map[int]bool{}
		for _, f := range fixes {
			chosen[f.Offset] = true
		}
		for changed := true; changed; {
			changed = false
			for _, i := range marks {
				if !chosen[i] && (chosen[i-1] && line[i-1] == ')' || chosen[i+1] && line[i+1] == '(') {
					chosen[i], changed = true, true
				}
			}
		}
		fixes = fixes[:0]
		for _, i := range marks {
			if chosen[i] {
				c := rune(line[i])
				fixes = append(fixes, Fix{i, c, fullWidth(c)})
			}
		}
	}
	return fixes
}

// Apply returns line with the marks Find lists made full-width.
func Apply(line string) string { return Rewrite(line, Find(line)) }

// Rewrite returns line with fixes (from Find on the same line) applied.
func Rewrite(line string, fixes []Fix) string {
	if len(fixes) == 0 {
		return line
	}
	var b strings.Builder
	b.Grow(len(line) + 2*len(fixes))
	last := 0
	for _, f := range fixes {
		b.WriteString(line[last:f.Offset])
		b.WriteRune(f.New)
		last = f.Offset + 1
	}
	b.WriteString(line[last:])
	return b.String()
}

// prevRune returns the rune before byte i, looking past spaces when
// spaces is set and past the runes of past; 0 at the start.
func prevRune(s string, i int, past string, spaces bool) rune {
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if strings.ContainsRune(past, r) || spaces && unicode.IsSpace(r) {
			i -= size
			continue
		}
		return r
	}
	return 0
}

// nextRune returns the rune at byte i or after, looking past spaces when
// spaces is set and past the runes of past; 0 at the end.
func nextRune(s string, i int, past string, spaces bool) rune {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if strings.ContainsRune(past, r) || spaces && unicode.IsSpace(r) {
			i += size
			continue
		}
		return r
	}
	return 0
}

// nextToChinese reports whether the mark at byte i has a Chinese
// neighbour: before it (past closing quotes) or right after it (past
// opening quotes).
func nextToChinese(s string, i int) bool {
	return IsChinese(prevRune(s, i, closing, false)) || IsChinese(nextRune(s, i+1, opening, false))
}

// isLatin reports whether r is a letter or digit of an English passage.
func isLatin(r rune) bool {
	return r < 0x250 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// pairIsChinese decides the parentheses at i and j together: they are
// Chinese when a Chinese character stands outside them (阿里云(Alibaba
// Cloud)), or when they hold Chinese text and no English word stands
// right outside (Hangzhou (杭州) is stays as written).
func pairIsChinese(s string, i, j int) bool {
	before, after := prevRune(s, i, "", true), nextRune(s, j+1, "", true)
	if IsChinese(before) || IsChinese(after) {
		return true
	}
	if isLatin(before) || isLatin(after) {
		return false
	}
	for _, r := range s[i+1 : j] {
		if IsChinese(r) {
			return true
		}
	}
	return false
}

// skipped returns the byte ranges [start, end) of line that are never
// changed: code spans, URLs, autolinks and link targets.
func skipped(s string) [][2]int {
	var out [][2]int
	for i := 0; i < len(s); {
		switch {
		case s[i] == '`':
			n := 0
			for i+n < len(s) && s[i+n] == '`' {
				n++
			}
			fence := s[i : i+n]
			if end := strings.Index(s[i+n:], fence); end >= 0 {
				out = append(out, [2]int{i, i + n + end + n})
				i += n + end + n
			} else {
				i += n
			}
			continue
		case s[i] == ']' && i+1 < len(s) && s[i+1] == '(':
			depth, k := 0, i+1
			for ; k < len(s); k++ {
				if s[k] == '(' {
					depth++
				} else if s[k] == ')' {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			out = append(out, [2]int{i + 1, min(k+1, len(s))})
			i = k + 1
			continue
		case s[i] == '<':
			if end := strings.IndexByte(s[i:], '>'); end > 0 && strings.Contains(s[i:i+end], ":") && !strings.ContainsAny(s[i:i+end], " \t") {
				out = append(out, [2]int{i, i + end + 1})
				i += end + 1
				continue
			}
		}
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') || i > 0 && isLatin(rune(s[i-1])) {
			i++ // a URL starts with a letter, and not inside a word
			continue
		}
		if n := urlLen(s[i:]); n > 0 {
			out = append(out, [2]int{i, i + n})
			i += n
			continue
		}
		i++
	}
	return out
}

// urlLen returns the length of the URL at the start of s (scheme://… or
// www.…), which runs to a space, a quote or angle bracket, or a Chinese
// character; 0 when s does not start with one.
func urlLen(s string) int {
	start := 0
	switch {
	case hasPrefixFold(s, "www."):
	default:
		k := 0
		for k < len(s) && k < 12 && (s[k] >= 'a' && s[k] <= 'z' || s[k] >= 'A' && s[k] <= 'Z' || k > 0 && (s[k] == '+' || s[k] == '-' || s[k] == '.' || s[k] >= '0' && s[k] <= '9')) {
			k++
		}
		if k < 2 || !strings.HasPrefix(s[k:], "://") {
			if k >= 2 && (strings.EqualFold(s[:k], "mailto") || strings.EqualFold(s[:k], "tel")) && strings.HasPrefix(s[k:], ":") {
				start = k + 1
				break
			}
			return 0
		}
		start = k + 3
	}
	n := start
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if unicode.IsSpace(r) || IsChinese(r) || strings.ContainsRune("<>\"“”‘’", r) {
			break
		}
		n += size
	}
	// Sentence punctuation right after a URL is not part of it, nor is a
	// closing parenthesis the URL did not open.
	for n > start {
		if strings.ContainsRune(".,;:!?", rune(s[n-1])) || s[n-1] == ')' && strings.Count(s[start:n], "(") < strings.Count(s[start:n], ")") {
			n--
			continue
		}
		break
	}
	return n
}

func hasPrefixFold(s, p string) bool {
	return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p)
}
