package style

import (
	"strings"
	"unicode/utf8"
)

// A Mark is a Fix at a place in a Markdown body.
type Mark struct {
	Line int // 1-based line of the body
	Col  int // 1-based column, in characters
	Fix
}

// FindBody returns the marks of a Markdown body (the text after the front
// matter) to make full-width: Find on every line, except the lines of
// fenced and indented code blocks, which stay as written.
func FindBody(body string) []Mark {
	var marks []Mark
	eachLine(body, func(n int, line, _ string, prose bool) {
		if !prose {
			return
		}
		for _, f := range Find(line) {
			marks = append(marks, Mark{Line: n, Col: 1 + utf8.RuneCountInString(line[:f.Offset]), Fix: f})
		}
	})
	return marks
}

// FixBody returns body with the marks FindBody lists made full-width, and
// how many it changed.
func FixBody(body string) (string, int) {
	changed := 0
	var b strings.Builder
	b.Grow(len(body) + 64)
	eachLine(body, func(_ int, line, end string, prose bool) {
		if prose {
			fixes := Find(line)
			changed += len(fixes)
			line = Rewrite(line, fixes)
		}
		b.WriteString(line)
		b.WriteString(end)
	})
	return b.String(), changed
}

// eachLine calls f on every line of body with its 1-based number, the line
// without its ending, the ending, and whether the line is prose: outside
// fenced and indented code blocks. A line indented four spaces after a
// blank line counts as code even in a list item: a mark there is left
// alone rather than code rewritten. Finding marks only reads the lines, so
// nothing here copies body.
func eachLine(body string, f func(n int, line, end string, prose bool)) {
	fence := ""       // the fence of the open fenced block (``` or ~~~, maybe longer)
	indented := false // inside an indented code block
	prevBlank := true
	n := 0
	for raw := range strings.Lines(body) {
		n++
		line := strings.TrimRight(raw, "\r\n")
		end := raw[len(line):]
		trimmed := strings.TrimLeft(line, " ")
		indent := len(line) - len(trimmed)
		prose := false
		switch {
		case fence != "":
			if indent < 4 && strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]+" \t") == "" {
				fence = ""
			}
		case indent < 4 && (strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~")):
			fence = trimmed[:len(trimmed)-len(strings.TrimLeft(trimmed, trimmed[:1]))]
		case trimmed == "":
			prevBlank = true
		case indent >= 4 && (prevBlank || indented):
			indented, prevBlank = true, false
		default:
			indented, prevBlank = false, false
			prose = true
		}
		f(n, line, end, prose)
	}
}

// ChineseLang reports whether a language key or tag is Chinese ("zh",
// "zh-CN", "zh-Hant"): the editions whose punctuation these rules cover.
func ChineseLang(lang string) bool {
	return base(lang) == "zh"
}
