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
	eachProse(body, func(n int, line string) string {
		for _, f := range Find(line) {
			marks = append(marks, Mark{Line: n, Col: 1 + utf8.RuneCountInString(line[:f.Offset]), Fix: f})
		}
		return line
	})
	return marks
}

// FixBody returns body with the marks FindBody lists made full-width, and
// how many it changed.
func FixBody(body string) (string, int) {
	changed := 0
	out := eachProse(body, func(_ int, line string) string {
		fixes := Find(line)
		changed += len(fixes)
		return Rewrite(line, fixes)
	})
	return out, changed
}

// eachProse calls f on every line of body outside code blocks, with its
// 1-based number and without its line ending, and returns body with each
// such line replaced by what f returns (code lines and line endings kept).
// A line indented four spaces after a blank line counts as code even in a
// list item: a mark there is left alone rather than code rewritten.
func eachProse(body string, f func(n int, line string) string) string {
	var b strings.Builder
	b.Grow(len(body) + 64)
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
			line = f(n, line)
		}
		b.WriteString(line)
		b.WriteString(end)
	}
	return b.String()
}

// ChineseLang reports whether a language key or tag is Chinese ("zh",
// "zh-CN", "zh-Hant"): the editions whose punctuation these rules cover.
func ChineseLang(lang string) bool {
	return base(lang) == "zh"
}
