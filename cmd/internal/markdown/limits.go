package markdown

import (
	"bytes"
	"fmt"
)

// goldmark's block parser does work proportional to the number of open
// blocks on every line, and its footnote extension sorts and looks up
// footnotes in quadratic time, so a few hundred kilobytes of nesting or
// footnotes keep a build busy for minutes or exhaust memory (50,000 nested
// "::: sidebar" lines ask for over 100 GB). No report needs anything near
// these limits; a document that passes one is refused with an error on its
// line before goldmark sees it.
const (
	// MaxNesting is how many block markers (> - * + 1.) one line may start
	// with.
	MaxNesting = 32
	// MaxContainers is how many ::: containers may be open at once.
	MaxContainers = 8
	// MaxIndent is the widest run of leading white space and markers, in
	// columns (a tab counts to the next multiple of 4): list nesting grows
	// by two or more columns a level.
	MaxIndent = 256
	// MaxFootnotes is how many footnote definitions a document may have.
	MaxFootnotes = 1000
	// MaxDefinitions is how many link reference definitions may follow
	// each other without a blank line: goldmark re-reads the rest of the
	// paragraph after each one.
	MaxDefinitions = 1000
	// MaxInlineWork bounds the work of goldmark's inline parsers, which
	// can look from every mark (see isMark) over the rest of its
	// paragraph: matching emphasis, brackets and code spans, reading an
	// unclosed link destination, raw HTML or a URL. A paragraph (a run of
	// non-blank lines) costs its marks times its bytes, and a document
	// may cost this much in all, a fifth of a second of processor time
	// for goldmark's worst. The sample reports cost under 10⁴,
	// benchReport 10⁵, a 40 KB paragraph of its density 6·10⁷, a table
	// of 600 rows with a link in each (without its '|') 10⁸.
	MaxInlineWork = 1 << 27
	// MaxMarks is how many marks a document may hold: goldmark makes a
	// node or more of each, and of each line. The sample reports hold 2
	// to 9 marks a KB and 6 lines a KB, benchReport 35 marks and 8 lines;
	// a long feature of 200 KB holds some 7,000 marks and 1,500 lines.
	MaxMarks = 50_000
	// MaxLines is how many lines a document may have: every line of
	// headings costs goldmark and the stop, id and problem work behind it
	// about 10 µs.
	MaxLines = 30_000
)

// checkLimits returns the number (from 1) of the first line of src that
// passes one of the limits above and the message for it, or 0.
func checkLimits(src []byte) (int, string) {
	// A mark is a byte or more, so a document shorter than MaxMarks
	// whose paragraphs' bytes squared add up to no more than
	// MaxInlineWork passes both limits: most reports, which then spare
	// the few nanoseconds a byte that counting marks costs.
	count := len(src) > MaxMarks || paragraphSquares(src) > MaxInlineWork
	footnotes, definitions := 0, 0
	// The paragraph being read: its first line, its marks and bytes so
	// far; and the inline work of the paragraphs before it.
	para, marks, size, work := 0, 0, 0, 0
	lines, total := 0, 0 // lines and marks so far
	// ended adds the paragraph before a blank line or the end to the work.
	ended := func() bool {
		work += marks * size
		para, marks, size = 0, 0, 0
		return work > MaxInlineWork
	}
	for start := 0; start < len(src); {
		end := len(src)
		if i := bytes.IndexByte(src[start:], '\n'); i >= 0 {
			end = start + i
		}
		line := src[start:end]
		if lines++; lines > MaxLines {
			return lines, fmt.Sprintf("more than %d lines", MaxLines)
		}
		if blank(line) {
			if p, m, n := para, marks, size; p > 0 && ended() {
				return p, inlineWorkMessage(m, n)
			}
			definitions = 0
			start = end + 1
			continue
		}
		if para == 0 {
			para = lines
		}
		if count {
			m, cells := countMarks(line)
			if total += m + cells; total > MaxMarks {
				return lines, fmt.Sprintf("more than %d of the marks %s |", MaxMarks, markList)
			}
			marks += m
		}
		size += len(line) + 1
		col, depth := 0, 0
		i := 0
	scan:
		for i < len(line) {
			switch c := line[i]; {
			case c == ' ':
				col++
				i++
			case c == '\t':
				col += 4 - col%4
				i++
			case c == '>':
				depth++
				col++
				i++
			case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
				depth++
				col++
				i++
			case c >= '0' && c <= '9':
				j := i
				for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
					j++
				}
				if j+1 < len(line) && (line[j] == '.' || line[j] == ')') && (line[j+1] == ' ' || line[j+1] == '\t') {
					depth++
					col += j + 1 - i
					i = j + 1
					continue
				}
				break scan
			default:
				break scan
			}
		}
		switch {
		case depth > MaxNesting:
			return lines, fmt.Sprintf("a line nests more than %d quotes or lists", MaxNesting)
		case col > MaxIndent && i < len(line):
			return lines, fmt.Sprintf("a line is indented more than %d columns", MaxIndent)
		}
		rest := line[i:]
		if len(rest) > 0 && rest[0] == '[' && bytes.Contains(rest, []byte("]:")) {
			definitions++
			if definitions > MaxDefinitions {
				return lines, fmt.Sprintf("more than %d link definitions without a blank line", MaxDefinitions)
			}
			if len(rest) > 1 && rest[1] == '^' {
				footnotes++
				if footnotes > MaxFootnotes {
					return lines, fmt.Sprintf("more than %d footnotes", MaxFootnotes)
				}
			}
		} else {
			definitions = 0
		}
		start = end + 1
	}
	if p, m, n := para, marks, size; p > 0 && ended() {
		return p, inlineWorkMessage(m, n)
	}
	return 0, ""
}

// markList names the marks in messages.
const markList = "* _ ~ ` [ ] < ( @ & \\"

func inlineWorkMessage(marks, size int) string {
	return fmt.Sprintf("a paragraph of %d bytes holds %d of the marks %s, too many to convert in time", size, marks, markList)
}

// blank reports whether line holds nothing but spaces and tabs (and a
// carriage return).
func blank(line []byte) bool {
	for _, c := range line {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

// paragraphSquares returns the sum over the paragraphs of src (runs of
// non-blank lines) of their bytes squared, as checkLimits counts them.
func paragraphSquares(src []byte) int {
	sum, size := 0, 0
	for start := 0; start < len(src); {
		end := len(src)
		if i := bytes.IndexByte(src[start:], '\n'); i >= 0 {
			end = start + i
		}
		if blank(src[start:end]) {
			sum += size * size
			size = 0
		} else {
			size += end - start + 1
		}
		start = end + 1
	}
	return sum + size*size
}

// The classes of bytes for countMarks.
const (
	notMark   = iota
	mark      // * _ ~ [ ] < ( & \ NUL @: each one a mark
	backtick  // a run of them is one mark
	dot       // a mark after "www"
	colon     // a mark before "//"
	tableCell // '|', counted apart
)

// markClass tells the bytes at which goldmark's inline parsers start
// work: delimiters (* _ ~, each of a run, for the nested emphasis a run
// can make), backticks, brackets, '<' '(' (links, raw HTML, URLs), '@'
// (with "www." and "://", where linkify makes links), '&' (entities),
// backslashes and NUL (replaced). Table cells ('|') count towards
// MaxMarks only: each cell is parsed on its own.
var markClass = func() (t [256]uint8) {
	for _, c := range "*_~[]<(&\\\x00@" {
		t[c] = mark
	}
	t['`'], t['.'], t[':'], t['|'] = backtick, dot, colon, tableCell
	return t
}()

// countMarks returns the number of marks in line and of '|'.
func countMarks(line []byte) (marks, cells int) {
	for i, c := range line {
		switch markClass[c] {
		case notMark:
		case mark:
			marks++
		case backtick:
			if i == 0 || line[i-1] != '`' {
				marks++
			}
		case dot:
			if i >= 3 && string(line[i-3:i]) == "www" {
				marks++
			}
		case colon:
			if i+2 < len(line) && line[i+1] == '/' && line[i+2] == '/' {
				marks++
			}
		case tableCell:
			cells++
		}
	}
	return marks, cells
}
