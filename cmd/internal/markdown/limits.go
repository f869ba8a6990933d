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
)

// checkLimits returns the byte offset of the first line of src that passes
// one of the limits above and the message for it, or -1.
func checkLimits(src []byte) (int, string) {
	footnotes, definitions := 0, 0
	for start := 0; start < len(src); {
		end := len(src)
		if i := bytes.IndexByte(src[start:], '\n'); i >= 0 {
			end = start + i
		}
		line := src[start:end]
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
			return start, fmt.Sprintf("a line nests more than %d quotes or lists", MaxNesting)
		case col > MaxIndent && i < len(line):
			return start, fmt.Sprintf("a line is indented more than %d columns", MaxIndent)
		}
		rest := line[i:]
		if len(rest) > 0 && rest[0] == '[' && bytes.Contains(rest, []byte("]:")) {
			definitions++
			if definitions > MaxDefinitions {
				return start, fmt.Sprintf("more than %d link definitions without a blank line", MaxDefinitions)
			}
			if len(rest) > 1 && rest[1] == '^' {
				footnotes++
				if footnotes > MaxFootnotes {
					return start, fmt.Sprintf("more than %d footnotes", MaxFootnotes)
				}
			}
		} else {
			definitions = 0
		}
		start = end + 1
	}
	return -1, ""
}
