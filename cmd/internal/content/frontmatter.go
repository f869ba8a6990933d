package content

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"dateline/cmd/internal/problem"
)

// maxFrontMatter bounds the front matter of one file. Real front matter is
// well under 4 KiB. goccy/go-yaml takes time quadratic in nesting depth and
// the number of keys, so the bound, with maxNesting, keeps one hostile
// file from stalling a build (16 KiB of keys parse in about 0.1 s).
const maxFrontMatter = 16 << 10

// maxNesting bounds the nesting of lists and tables, in YAML and TOML;
// front matter needs 3 (authors, an author, a name).
const maxNesting = 32

// A field is one top-level front matter field, in the order of the file.
type field struct {
	key  string
	line int // line in the file
	val  any // string, bool, int64, uint64, float64, time.Time, []any, map[string]any, nil, …
}

// A rawProblem is a problem at a line relative to the front matter's first
// line (0 for the opening delimiter itself), as the YAML and TOML parsers
// count them.
type rawProblem struct {
	line int
	text string
}

// decoded is what decodeYAML and decodeTOML leave behind. They never fail:
// they record problems here, and ParseEdition goes on to the body.
type decoded struct {
	base     int // line of the opening delimiter in the file
	fields   []field
	lines    map[string]int    // key path ("hero", "hero.src", "authors.1.name") → line in the file
	texts    map[string]string // key path of a date field → its YAML source text
	problems []problem.Problem
	file     string
	bad      bool // the front matter could not be read at all
}

// at turns a line counted from the front matter's first line (as the YAML
// and TOML parsers count) into a line of the file; 0 means the opening
// delimiter.
func (d *decoded) at(rel int) int {
	if rel < 0 {
		rel = 0
	}
	return d.base + rel
}

// line returns the line of a key path, else of its nearest parent, else of
// the opening delimiter.
func (d *decoded) line(path string) int {
	for {
		if l, ok := d.lines[path]; ok {
			return l
		}
		i := strings.LastIndexByte(path, '.')
		if i < 0 {
			return d.base
		}
		path = path[:i]
	}
}

// errorf records an error at a relative line.
func (d *decoded) errorf(rel int, format string, args ...any) {
	d.problems = append(d.problems, problem.Errorf(d.file, d.at(rel), format, args...))
}

func (d *decoded) add(p rawProblem) {
	d.problems = append(d.problems, problem.Errorf(d.file, d.at(p.line), "%s", p.text))
}

func tooLarge(d *decoded, data []byte) bool {
	if len(data) <= maxFrontMatter {
		return false
	}
	d.bad = true
	d.errorf(0, "front matter is too large (%d KiB; the limit is %d KiB)", (len(data)+1023)>>10, maxFrontMatter>>10)
	return true
}

// decodeYAML reads YAML 1.2 front matter, the text between the "---"
// lines, with goccy/go-yaml: `draft: yes` stays the string "yes".
func decodeYAML(d *decoded, data []byte) {
	if tooLarge(d, data) {
		return
	}
	defer func() {
		// goccy/go-yaml is fuzzed upstream, but a panic on one reporter's
		// file must not take down a build or a preview server.
		if r := recover(); r != nil {
			d.bad = true
			d.fields = nil
			d.errorf(1, "malformed YAML front matter")
		}
	}()
	if deepGuard(data) {
		if line := tooDeep(data); line > 0 {
			d.bad = true
			d.errorf(line, "front matter is nested too deeply (more than %d levels)", maxNesting)
			return
		}
	}
	goccyYAML(d, data)
}

// deepGuard reports whether tooDeep could find data nested too deeply: it
// needs more than maxNesting dashes, or opening brackets and braces.
func deepGuard(data []byte) bool {
	return bytes.Count(data, []byte("-")) > maxNesting ||
		bytes.Count(data, []byte("["))+bytes.Count(data, []byte("{")) > maxNesting
}

// goccyYAML reads YAML front matter that passed tooDeep with goccy/go-yaml.
// It walks the syntax tree itself, so that every field keeps its line and a
// duplicate key is reported where it occurs instead of ending the parse.
func goccyYAML(d *decoded, data []byte) {
	file, err := parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		d.bad = true
		d.add(yamlProblem(err))
		return
	}
	var body ast.Node
	for _, doc := range file.Docs {
		if doc == nil || doc.Body == nil {
			continue
		}
		if body != nil {
			d.bad = true
			d.errorf(lineOf(doc.Body), "front matter holds more than one YAML document")
			return
		}
		body = doc.Body
	}
	if body == nil {
		return // empty: title and date are missing, reported by the caller
	}
	body = unwrap(body)
	m, ok := body.(*ast.MappingNode)
	if !ok {
		d.bad = true
		d.errorf(lineOf(body), "front matter must be fields written as name: value")
		return
	}
	d.lines = map[string]int{}
	if !yamlLines(d, m, "") {
		return
	}
	seen := map[string]bool{}
	for _, mv := range m.Values {
		key := keyString(mv.Key)
		if seen[key] {
			continue
		}
		seen[key] = true
		v, err := yamlValue(mv.Value)
		if err != nil {
			p := yamlProblem(err)
			if p.line == 0 {
				p.line = lineOf(mv.Key)
			}
			d.add(p)
			d.bad = true
			continue
		}
		d.fields = append(d.fields, field{key: key, line: d.at(lineOf(mv.Key)), val: v})
	}
}

// tooDeep returns the line on which YAML nests flow collections ("[[[",
// "{{{") or compact block lists ("- - -") deeper than maxNesting, or 0. It
// skips quoted text and comments; it is a guard, not a parser.
func tooDeep(data []byte) int {
	depth := 0
	for n, line := range bytes.Split(data, nl) {
		// Compact nested block lists: "- - - a".
		s := bytes.TrimLeft(line, " ")
		dashes := 0
		for len(s) >= 2 && s[0] == '-' && (s[1] == ' ' || s[1] == '\t') {
			dashes++
			s = bytes.TrimLeft(s[2:], " \t")
		}
		if dashes > maxNesting {
			return n + 1
		}
		var quote byte
		prev := byte(' ')
		for i := 0; i < len(line); i++ {
			c := line[i]
			switch {
			case quote == '"' && c == '\\':
				i++
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '#' && (prev == ' ' || prev == '\t'):
				i = len(line)
			case (c == '"' || c == '\'') && bytes.IndexByte([]byte(" \t[{,:"), prev) >= 0:
				quote = c
			case c == '[' || c == '{':
				if depth++; depth > maxNesting {
					return n + 1
				}
			case c == ']' || c == '}':
				depth = max(depth-1, 0)
			}
			prev = c
		}
		if quote == '\'' {
			quote = 0 // single-quoted text may span lines, but rarely does
		}
	}
	return 0
}

// yamlValue converts a node to a Go value as yaml.NodeToValue does, but
// without a decoder per value for the plain scalars, lists and tables that
// make up front matter.
func yamlValue(n ast.Node) (any, error) {
	switch n := n.(type) {
	case nil, *ast.NullNode:
		return nil, nil
	case *ast.StringNode:
		return n.Value, nil
	case *ast.LiteralNode:
		return n.Value.Value, nil
	case *ast.BoolNode:
		return n.Value, nil
	case *ast.IntegerNode:
		return n.Value, nil
	case *ast.FloatNode:
		return n.Value, nil
	case *ast.AnchorNode:
		return yamlValue(n.Value)
	case *ast.TagNode:
		// A tag changes no value of ours: !!timestamp would make a time
		// in UTC, or the zero time from text it cannot read, behind the
		// date parser's back. !!str keeps a scalar's text.
		if n.Start != nil && n.Start.Value == "!!str" {
			if s, ok := scalarText(n.Value); ok {
				return s, nil
			}
		}
		return yamlValue(n.Value)
	case *ast.SequenceNode:
		out := make([]any, len(n.Values))
		for i, v := range n.Values {
			var err error
			if out[i], err = yamlValue(v); err != nil {
				return nil, err
			}
		}
		return out, nil
	case *ast.MappingNode:
		out := make(map[string]any, len(n.Values))
		for _, mv := range n.Values {
			k := keyString(mv.Key)
			if _, dup := out[k]; dup {
				continue // reported by yamlLines; the first value counts
			}
			v, err := yamlValue(mv.Value)
			if err != nil {
				return nil, err
			}
			out[k] = v
		}
		return out, nil
	}
	var v any
	err := yaml.NodeToValue(n, &v)
	return v, err
}

// yamlLines records the line of every key path under n and reports
// duplicate keys, aliases and merge keys. It returns false when the front
// matter cannot be used.
func yamlLines(d *decoded, n ast.Node, prefix string) bool {
	ok := true
	switch n := unwrap(n).(type) {
	case *ast.MappingNode:
		first := map[string]int{}
		for _, mv := range n.Values {
			line := lineOf(mv.Key)
			if _, merge := mv.Key.(*ast.MergeKeyNode); merge {
				d.errorf(line, "YAML merge keys (<<) are not supported in front matter")
				d.bad, ok = true, false
				continue
			}
			key := keyString(mv.Key)
			if l, dup := first[key]; dup {
				// An error, but the first value is still checked, so the
				// other problems of the file show up too.
				d.errorf(line, "duplicate front matter field %s (first on line %d)", describeKey(prefix, key), d.at(l))
				continue
			}
			first[key] = line
			d.lines[prefix+key] = d.at(line)
			if isDateField(prefix + key) {
				if s, ok := scalarText(mv.Value); ok {
					if d.texts == nil {
						d.texts = map[string]string{}
					}
					d.texts[prefix+key] = s
				}
			}
			if !yamlLines(d, mv.Value, prefix+key+".") {
				ok = false
			}
		}
	case *ast.SequenceNode:
		for i, v := range n.Values {
			d.lines[prefix+strconv.Itoa(i)] = d.at(lineOf(v))
			if !yamlLines(d, v, prefix+strconv.Itoa(i)+".") {
				ok = false
			}
		}
	case *ast.AliasNode:
		// Aliases could expand a few lines into gigabytes ("billion
		// laughs"), and no report needs them.
		d.errorf(lineOf(n), "YAML aliases (%s) are not supported in front matter", strings.TrimSpace(n.String()))
		d.bad, ok = true, false
	}
	return ok
}

// isDateField reports whether a key path is a date of front matter:
// date, updated, or the date of a correction.
func isDateField(path string) bool {
	if path == "date" || path == "updated" {
		return true
	}
	rest, ok := strings.CutPrefix(path, "corrections.")
	if !ok {
		return false
	}
	i := strings.IndexByte(rest, '.')
	return i > 0 && rest[i+1:] == "date"
}

// scalarText returns the text of a YAML scalar as written, whatever its
// tag or the type YAML gives it: a date field is read by our date parser
// alone. It is false for null, lists and tables.
func scalarText(n ast.Node) (string, bool) {
	switch n := unwrap(n).(type) {
	case *ast.StringNode:
		return n.Value, true
	case *ast.LiteralNode:
		return n.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		if tk := n.GetToken(); tk != nil {
			return tk.Value, true
		}
	}
	return "", false
}

// describeKey names a nested key for a message: "title", "src" in hero,
// "name" in authors item 2.
func describeKey(prefix, key string) string {
	if prefix == "" {
		return strconv.Quote(key)
	}
	return strconv.Quote(key) + " in " + describePath(strings.TrimSuffix(prefix, "."))
}

// describePath turns a key path into words: "authors.1" → "authors item 2".
func describePath(p string) string {
	parts := strings.Split(p, ".")
	for i, s := range parts {
		if n, err := strconv.Atoi(s); err == nil && i > 0 {
			parts[i] = "item " + strconv.Itoa(n+1)
		}
	}
	return strings.Join(parts, " ")
}

func unwrap(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		default:
			return n
		}
	}
}

func keyString(n ast.Node) string {
	switch k := n.(type) {
	case *ast.StringNode:
		return k.Value
	case *ast.MappingKeyNode:
		return keyString(k.Value)
	case *ast.TagNode:
		return keyString(k.Value)
	case *ast.AnchorNode:
		return keyString(k.Value)
	case nil:
		return ""
	}
	if tk := n.GetToken(); tk != nil {
		return tk.Value
	}
	return n.String()
}

func lineOf(n ast.Node) int {
	if n == nil {
		return 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}

func yamlProblem(err error) rawProblem {
	var ye yaml.Error
	if errors.As(err, &ye) {
		line := 0
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			line = tk.Position.Line
		}
		return rawProblem{line: line, text: "malformed YAML front matter: " + message(ye.GetMessage())}
	}
	return rawProblem{line: 0, text: "malformed YAML front matter: " + message(err.Error())}
}

// decodeTOML reads TOML front matter, the text between the "+++" lines,
// with BurntSushi/toml. The parser reports the first syntax error only;
// lines of fields come from tomlLines.
func decodeTOML(d *decoded, data []byte) {
	if tooLarge(d, data) {
		return
	}
	if line := tomlTooDeep(data); line > 0 {
		d.bad = true
		d.errorf(line, "front matter is nested too deeply (more than %d levels)", maxNesting)
		return
	}
	var m map[string]any
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&m)
	if err != nil {
		d.bad = true
		d.add(tomlProblem(err, data, "malformed TOML front matter: "))
		return
	}
	d.lines = tomlLines(data)
	for k, l := range d.lines {
		d.lines[k] = d.at(l)
	}
	seen := map[string]bool{}
	for _, k := range md.Keys() {
		if len(k) != 1 || seen[k[0]] {
			continue
		}
		seen[k[0]] = true
		d.fields = append(d.fields, field{key: k[0], line: d.line(k[0]), val: m[k[0]]})
	}
	// Keys() lists keys in file order; a table defined by dotted keys
	// (hero.src = …) appears only through its children.
	for k, v := range m {
		if !seen[k] {
			d.fields = append(d.fields, field{key: k, line: d.line(k), val: v})
		}
	}
	slices.SortStableFunc(d.fields, func(a, b field) int { return a.line - b.line })
}

// tomlProblem turns a BurntSushi/toml error into a message and a line of
// data. The line comes from the error's byte offset: the parser's own line
// count has already moved past a newline it complains about.
func tomlProblem(err error, data []byte, prefix string) rawProblem {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		line := pe.Position.Line
		if s := pe.Position.Start; s >= 0 && s < len(data) {
			line = 1 + bytes.Count(data[:s], nl)
		}
		return rawProblem{line: line, text: prefix + message(pe.Message)}
	}
	// Decoding into typed values fails with
	// `toml: line N (last key "K"): message`.
	msg := err.Error()
	var line int
	var key string
	if _, serr := fmt.Sscanf(msg, "toml: line %d (last key %q):", &line, &key); serr == nil {
		msg = msg[strings.Index(msg, "):")+2:]
		if strings.Contains(msg, "type mismatch") || strings.Contains(msg, "incompatible types") {
			return rawProblem{line: line, text: fmt.Sprintf("%s%s has the wrong type (%s)", prefix, key, expectedType(key))}
		}
	}
	return rawProblem{line: line, text: prefix + message(strings.TrimPrefix(msg, "toml: "))}
}

// message makes a library's message fit ours: one line, lower-case start,
// no trailing period.
func message(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	s = strings.TrimSuffix(s, ".")
	if len(s) > 1 && s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z') {
		s = string(s[0]+'a'-'A') + s[1:]
	}
	return s
}
