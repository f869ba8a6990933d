package content

import (
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/token"
)

// plainYAML reads the small part of YAML that front matter is written in:
//
//	title: plain, 'single' or "double-quoted" text   # a comment
//	draft: true
//	tags: [a, "b"]
//	authors:
//	  - name: Li Ming
//	    role: Text
//	  - Zhou Xiaoyu
//	hero:
//	  src: photos/hero.jpg
//
// Top-level fields start at column 0; a field's value is a scalar on its
// line, a one-line flow list of scalars, a block list of scalars or of
// tables of such values, or a table of such values. A scalar is one line:
// plain, single-quoted, or double-quoted with no escapes but \" and \\;
// it becomes a string, true, false or null as goccy/go-yaml reads it.
//
// It fills d as decodeYAML's goccy path would and returns true, or returns
// false, leaving d untouched, for anything else (numbers, escapes,
// multi-line scalars, anchors, tags, duplicate keys, tabs, odd indentation,
// …): goccy then reads the file, and its messages stay the only ones. That
// both paths agree on every input plainYAML accepts is checked by
// TestPlainYAML and FuzzPlainYAML.
//
// goccy builds tokens, positions and a syntax tree; plainYAML cuts every
// key and string out of one copy of data (BenchmarkDecodeYAML).
func plainYAML(d *decoded, data []byte) bool {
	if !plainBytes(data) {
		return false
	}
	p := plainParser{s: string(data), base: d.base}
	p.split()
	if len(p.lines) == 0 {
		return false // empty: goccy's answer (no fields, no lines) is cheap
	}
	p.paths = make(map[string]int, 2*len(p.lines))
	fields := make([]field, 0, len(p.lines))
	for p.i < len(p.lines) {
		ln := p.lines[p.i]
		if ln.indent != 0 {
			return false
		}
		key, rest, ok := plainKey(ln.text)
		if _, dup := p.paths[key]; !ok || dup {
			return false
		}
		p.i++
		p.paths[key] = p.at(ln.n)
		v, ok := p.value(rest, ln, 0, key, true)
		if !ok {
			return false
		}
		fields = append(fields, field{key: key, line: p.at(ln.n), val: v})
	}
	d.fields = fields
	d.lines = p.paths
	return true
}

// plainBytes reports whether data holds nothing plainYAML leaves to goccy
// however it is placed: control characters and tabs (only "\n" ends a
// line), and the Unicode characters YAML treats specially (NEL, the line
// and paragraph separators, a byte-order mark).
func plainBytes(data []byte) bool {
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c < 0x20 && c != '\n', c == 0x7f:
			return false
		case c == 0xc2 && i+1 < len(data) && data[i+1] == 0x85: // U+0085
			return false
		case c == 0xe2 && i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xa8 || data[i+2] == 0xa9): // U+2028, U+2029
			return false
		case c == 0xef && i+2 < len(data) && data[i+1] == 0xbb && data[i+2] == 0xbf: // U+FEFF
			return false
		}
	}
	return true
}

// A plainLine is a line holding more than spaces and a comment.
type plainLine struct {
	n      int    // line in the front matter, from 1
	indent int    // leading spaces
	text   string // the rest, with trailing spaces
}

type plainParser struct {
	s     string
	base  int // line of the opening delimiter
	lines []plainLine
	i     int            // next line
	paths map[string]int // key path → line in the file, as decoded.lines
}

func (p *plainParser) at(n int) int { return p.base + n }

// split cuts p.s into lines, skipping blank lines and comment lines.
func (p *plainParser) split() {
	s := p.s
	p.lines = make([]plainLine, 0, 16)
	for n := 1; len(s) > 0; n++ {
		line := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		text := strings.TrimLeft(line, " ")
		if text == "" || text[0] == '#' {
			continue
		}
		p.lines = append(p.lines, plainLine{n: n, indent: len(line) - len(text), text: text})
	}
}

// next returns the next line, if any.
func (p *plainParser) next() (plainLine, bool) {
	if p.i < len(p.lines) {
		return p.lines[p.i], true
	}
	return plainLine{}, false
}

// value reads the value of the key on line ln at column indent, of which
// rest is what follows "key:". Only top-level keys (top) may hold lists and
// tables written on the lines below.
func (p *plainParser) value(rest string, ln plainLine, indent int, path string, top bool) (any, bool) {
	rest = strings.TrimLeft(rest, " ")
	if rest != "" && rest[0] != '#' {
		var v any
		var ok bool
		if rest[0] == '[' {
			v, ok = p.flowList(rest, ln, path)
		} else {
			v, rest, ok = scalar(rest)
			ok = ok && endOfLine(rest)
		}
		if !ok {
			return nil, false
		}
		// A deeper line would continue the scalar or be an error.
		if nx, more := p.next(); more && nx.indent > indent {
			return nil, false
		}
		return v, true
	}
	nx, more := p.next()
	switch {
	case !more || nx.indent < indent:
		return nil, true
	case top && isItem(nx.text) && nx.indent >= indent:
		return p.blockList(nx.indent, path)
	case top && nx.indent > indent:
		m := make(map[string]any, 4)
		return m, p.table(m, nx.indent, path)
	case nx.indent > indent:
		return nil, false
	case isItem(nx.text):
		return nil, false // a list at the key's own column
	}
	return nil, true
}

// isItem reports whether a line's text starts a block list item.
func isItem(text string) bool {
	return text[0] == '-' && (len(text) == 1 || text[1] == ' ')
}

// table reads into m a table whose keys are at column indent, from the
// next line on; its values are scalars and flow lists.
func (p *plainParser) table(m map[string]any, indent int, path string) bool {
	for {
		ln, more := p.next()
		if !more || ln.indent < indent {
			return true
		}
		if ln.indent > indent {
			return false
		}
		key, rest, ok := plainKey(ln.text)
		if !ok {
			return false
		}
		p.i++
		if !p.entry(m, key, rest, ln, indent, path) {
			return false
		}
	}
}

// entry reads one "key: value" of a table into m.
func (p *plainParser) entry(m map[string]any, key, rest string, ln plainLine, indent int, path string) bool {
	if _, dup := m[key]; dup {
		return false
	}
	kp := path + "." + key
	p.paths[kp] = p.at(ln.n)
	v, ok := p.value(rest, ln, indent, kp, false)
	if !ok {
		return false
	}
	m[key] = v
	return true
}

// blockList reads a list whose "-" are at column indent: scalars, or
// tables starting on the item's line.
func (p *plainParser) blockList(indent int, path string) ([]any, bool) {
	var out []any
	for {
		ln, more := p.next()
		if !more || ln.indent < indent {
			break
		}
		if ln.indent > indent || !isItem(ln.text) {
			if ln.indent == indent && len(out) > 0 {
				break // the parent's next key, at the list's column
			}
			return nil, false
		}
		p.i++
		ip := path + "." + strconv.Itoa(len(out))
		p.paths[ip] = p.at(ln.n)
		item := strings.TrimLeft(ln.text[1:], " ")
		if item == "" || item[0] == '#' {
			return nil, false // the item is on the lines below, or null
		}
		col := ln.indent + len(ln.text) - len(item)
		if key, rest, ok := plainKey(item); ok {
			m := make(map[string]any, 4)
			if !p.entry(m, key, rest, ln, col, ip) || !p.table(m, col, ip) {
				return nil, false
			}
			out = append(out, m)
			continue
		}
		v, rest, ok := scalar(item)
		if !ok || !endOfLine(rest) {
			return nil, false
		}
		if nx, more := p.next(); more && nx.indent > indent {
			return nil, false
		}
		out = append(out, v)
	}
	if out == nil {
		return nil, false
	}
	return out, true
}

// flowList reads a one-line flow list of scalars, "[a, 'b', "c"]".
func (p *plainParser) flowList(s string, ln plainLine, path string) ([]any, bool) {
	s = strings.TrimLeft(s[1:], " ")
	out := []any{}
	if s != "" && s[0] == ']' {
		return out, endOfLine(s[1:])
	}
	for {
		var v any
		var ok bool
		if s != "" && (s[0] == '"' || s[0] == '\'') {
			v, s, ok = quoted(s)
		} else {
			v, s, ok = flowPlain(s)
		}
		if !ok {
			return nil, false
		}
		p.paths[path+"."+strconv.Itoa(len(out))] = p.at(ln.n)
		out = append(out, v)
		s = strings.TrimLeft(s, " ")
		switch {
		case s == "":
			return nil, false
		case s[0] == ']':
			return out, endOfLine(s[1:])
		case s[0] != ',':
			return nil, false
		}
		s = strings.TrimLeft(s[1:], " ")
		if s == "" || s[0] == ']' || s[0] == ',' {
			return nil, false // a trailing or empty entry
		}
	}
}

// plainKey splits "key: rest" or "key:" where key is a simple name.
func plainKey(text string) (key, rest string, ok bool) {
	i := 0
	for i < len(text) {
		c := text[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || i > 0 && (c >= '0' && c <= '9' || c == '-') {
			i++
			continue
		}
		break
	}
	if i == 0 || i == len(text) || text[i] != ':' {
		return "", "", false
	}
	key = text[:i]
	if reserved(key) {
		return "", "", false // null, true, false: goccy's keys are nodes of those types
	}
	rest = text[i+1:]
	if rest != "" && rest[0] != ' ' {
		return "", "", false
	}
	return key, rest, true
}

// endOfLine reports whether s holds nothing but spaces and a comment.
func endOfLine(s string) bool {
	t := strings.TrimLeft(s, " ")
	return t == "" || t[0] == '#' && len(t) < len(s)
}

// scalar reads a scalar in block context from the start of s and returns
// what follows it.
func scalar(s string) (any, string, bool) {
	switch s[0] {
	case '"', '\'':
		return quoted(s)
	}
	if strings.IndexByte("-?:,[]{}#&*!|>%@`", s[0]) >= 0 {
		return nil, "", false
	}
	end := len(s)
	if i := strings.Index(s, " #"); i >= 0 {
		end = i
	}
	v := strings.TrimRight(s[:end], " ")
	if strings.HasSuffix(v, ":") || strings.Contains(v, ": ") {
		return nil, "", false
	}
	val, ok := plainValue(v)
	return val, s[end:], ok
}

// flowPlain reads a plain scalar inside a flow list.
func flowPlain(s string) (any, string, bool) {
	if s == "" || strings.IndexByte("-?:,[]{}#&*!|>%@`'\"", s[0]) >= 0 {
		return nil, "", false
	}
	end := strings.IndexAny(s, ",]")
	if end < 0 {
		return nil, "", false
	}
	v := strings.TrimRight(s[:end], " ")
	if strings.ContainsAny(v, "[]{}#:\"'") {
		return nil, "", false
	}
	val, ok := plainValue(v)
	return val, s[end:], ok
}

// plainValue types a plain scalar as goccy's token.New does: null, true,
// false or a string; numbers, infinities and NaN are left to goccy.
func plainValue(v string) (any, bool) {
	switch v {
	case "null", "Null", "NULL", "~":
		return nil, true
	case "true", "True", "TRUE":
		return true, true
	case "false", "False", "FALSE":
		return false, true
	case ".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
		return nil, false
	}
	if c := v[0]; (c >= '0' && c <= '9' || c == '+' || c == '.') && token.ToNumber(v) != nil {
		return nil, false
	}
	return v, true
}

// reserved reports whether goccy reads a plain scalar as other than a
// string or a number.
func reserved(v string) bool {
	switch v {
	case "null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE",
		".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
		return true
	}
	return false
}

// quoted reads a one-line quoted scalar from the start of s: single-quoted
// with a doubled quote for a quote, or double-quoted with no escapes but
// \" and \\.
func quoted(s string) (any, string, bool) {
	if s[0] == '"' {
		i := strings.IndexByte(s[1:], '"')
		if i < 0 {
			return nil, "", false
		}
		j := strings.IndexByte(s[1:1+i], '\\')
		if j < 0 {
			return s[1 : 1+i], s[2+i:], true
		}
		i = j
		// Escapes: \" and \\ only.
		b := []byte(s[1 : 1+i])
		for i++; i < len(s); i++ {
			switch c := s[i]; c {
			case '"':
				return string(b), s[i+1:], true
			case '\\':
				if i+1 == len(s) || s[i+1] != '"' && s[i+1] != '\\' {
					return nil, "", false
				}
				i++
				b = append(b, s[i])
			default:
				b = append(b, c)
			}
		}
		return nil, "", false
	}
	for i := 1; i < len(s); i++ {
		if s[i] != '\'' {
			continue
		}
		if i+1 < len(s) && s[i+1] == '\'' {
			i++
			continue
		}
		return strings.ReplaceAll(s[1:i], "''", "'"), s[i+1:], true
	}
	return nil, "", false
}
