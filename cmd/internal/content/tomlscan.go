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
