package content

import (
	"bytes"
	"strconv"
	"strings"
)

// tomlLines finds the line (1-based) on which each key path of a valid TOML
// document is first set: "title", "hero.src", "authors.0" (the header of the
// first [[authors]] table), "languages.zh.title". BurntSushi/toml keeps key
// positions to itself, so this is a small line scanner; it relies on the
// document having parsed, and skips multi-line strings. Values inside
// inline arrays and tables get their parent's line.
func tomlLines(src []byte) map[string]int {
	lines := map[string]int{}
	set := func(path string, n int) {
		for p := path; ; {
			if _, ok := lines[p]; !ok {
				lines[p] = n
			}
			i := strings.LastIndexByte(p, '.')
			if i < 0 {
				return
			}
			p = p[:i]
		}
	}
	counts := map[string]int{} // [[array]] tables seen so far
	prefix := ""
	var inString string // the delimiter of an open multi-line string
	for n, line := range bytes.Split(src, []byte("\n")) {
		n++
		s := strings.TrimSpace(string(line))
		if inString != "" {
			if strings.Count(s, inString)%2 == 1 {
				inString = ""
			}
			continue
		}
		if s == "" || s[0] == '#' {
			continue
		}
		switch {
		case strings.HasPrefix(s, "[["):
			end := strings.Index(s, "]]")
			if end < 0 {
				continue
			}
			key, ok := tomlKey(s[2:end])
			if !ok {
				continue
			}
			prefix = key + "." + strconv.Itoa(counts[key])
			counts[key]++
			set(prefix, n)
		case s[0] == '[':
			end := strings.IndexByte(s, ']')
			if end < 0 {
				continue
			}
			key, ok := tomlKey(s[1:end])
			if !ok {
				continue
			}
			prefix = key
			set(prefix, n)
		default:
			eq := keyEnd(s)
			if eq < 0 {
				continue
			}
			key, ok := tomlKey(s[:eq])
			if !ok {
				continue
			}
			if prefix != "" {
				key = prefix + "." + key
			}
			set(key, n)
			rest := s[eq+1:]
			for _, q := range []string{`"""`, `'''`} {
				if strings.Count(rest, q)%2 == 1 {
					inString = q
					break
				}
			}
		}
	}
	return lines
}

// keyEnd returns the index of the '=' that ends the key of a key/value
// line, or -1.
func keyEnd(s string) int {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' {
				i++
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '=':
			return i
		case c == '[' || c == '{' || c == ',' || c == ']' || c == '}':
			return -1
		}
	}
	return -1
}

// tomlKey turns a (dotted, possibly quoted) TOML key into a dotted path.
func tomlKey(s string) (string, bool) {
	var parts []string
	s = strings.TrimSpace(s)
	for s != "" {
		var part string
		switch s[0] {
		case '"', '\'':
			end := strings.IndexByte(s[1:], s[0])
			if end < 0 {
				return "", false
			}
			part = s[1 : end+1]
			if s[0] == '"' {
				if u, err := strconv.Unquote(s[:end+2]); err == nil {
					part = u
				}
			}
			s = strings.TrimSpace(s[end+2:])
		default:
			end := strings.IndexByte(s, '.')
			if end < 0 {
				end = len(s)
			}
			part = strings.TrimSpace(s[:end])
			s = s[end:]
			if part == "" {
				return "", false
			}
		}
		parts = append(parts, part)
		if s == "" {
			break
		}
		if s[0] != '.' {
			return "", false
		}
		s = strings.TrimSpace(s[1:])
	}
	if len(parts) == 0 {
		return "", false
	}
	return strings.Join(parts, "."), true
}

// tomlTooDeep returns the line (1-based) on which TOML nests tables and
// arrays deeper than maxNesting, or 0. BurntSushi/toml takes time
// quadratic in nesting depth (4,000 nested inline tables, 16 KB, take
// 20 s), so front matter is refused before it is parsed. The levels at a
// point are the tables and arrays that hold it: [a.b] makes two, [[a.b]]
// three (the array and its table), a dotted key a.b.c = two more, and each
// open array or inline table one. It skips strings and comments; it is a
// guard, not a parser.
func tomlTooDeep(data []byte) int {
	line := 1
	header := 0       // levels of the current [table] header
	level := header   // levels at this point of the document
	var open []int    // level before each open [ or {, innermost last
	var kinds []byte  // '[' or '{' for each open bracket
	key := true       // a key is being read (before its '=')
	lineStart := true // only blanks so far on this line
	deeper := func(n int) bool { level = n; return level > maxNesting }
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c != ' ' && c != '\t' && c != '\r' {
			wasStart := lineStart
			lineStart = false
			if c == '[' && wasStart && len(open) == 0 {
				// A header: [a.b.c] or [[a.b]].
				end, parts := i+1, 1
				if end < len(data) && data[end] == '[' {
					end, parts = end+1, 2
				}
				for ; end < len(data) && data[end] != ']' && data[end] != '\n'; end++ {
					switch data[end] {
					case '.':
						parts++
					case '"', '\'':
						end = skipTOMLString(data, end, &line) - 1
					}
				}
				if parts > maxNesting {
					return line
				}
				header, level, key = parts, parts, true
				i = end // past the first ']'
				if end < len(data) && data[end] == '\n' {
					i-- // the newline is counted below
				}
				continue
			}
		}
		switch c {
		case '\n':
			line++
			lineStart = true
			if len(open) == 0 {
				level, key = header, true
			}
		case '#':
			for i+1 < len(data) && data[i+1] != '\n' {
				i++
			}
		case '"', '\'':
			i = skipTOMLString(data, i, &line) - 1
		case '.':
			if key && deeper(level+1) {
				return line
			}
		case '=':
			key = false
		case '[', '{':
			open, kinds = append(open, level), append(kinds, c)
			key = c == '{'
			if deeper(level + 1) {
				return line
			}
		case ',':
			if n := len(open); n > 0 {
				level, key = open[n-1]+1, kinds[n-1] == '{'
			}
		case ']', '}':
			if n := len(open); n > 0 {
				level, open, kinds = open[n-1], open[:n-1], kinds[:n-1]
				key = false
			}
		}
	}
	return 0
}

// skipTOMLString returns the offset just past the string that starts at
// data[i] (a quote), counting the lines of a multi-line one into *line. A
// string left open ends at the end of its line (one-line strings) or of
// data.
func skipTOMLString(data []byte, i int, line *int) int {
	q := data[i]
	if i+2 < len(data) && data[i+1] == q && data[i+2] == q { // """ or '''
		for j := i + 3; j < len(data); j++ {
			switch {
			case data[j] == '\n':
				*line++
			case data[j] == '\\' && q == '"':
				if j+1 < len(data) && data[j+1] == '\n' {
					*line++
				}
				j++
			case data[j] == q && j+2 < len(data) && data[j+1] == q && data[j+2] == q:
				j += 3
				for j < len(data) && data[j] == q { // up to two quotes may end the text
					j++
				}
				return j
			}
		}
		return len(data)
	}
	for j := i + 1; j < len(data); j++ {
		switch {
		case data[j] == '\n':
			return j
		case data[j] == '\\' && q == '"':
			j++
		case data[j] == q:
			return j + 1
		}
	}
	return len(data)
}
