// Package phrase splits Chinese text into phrases, so that headlines can
// break between words instead of inside them. It runs BudouX's parser over
// BudouX's Simplified Chinese model (zh-hans.json beside this file, from the
// npm package budoux 0.9.2; Apache-2.0, see LICENSE.budoux and NOTICE.budoux).
//
// BudouX scores each gap between two characters with the characters around
// it (one, two and three at a time); a gap whose score is positive is a
// phrase boundary.
package phrase

import (
	_ "embed"
	"encoding/json"
	"html"
	"html/template"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed zh-hans.json
var modelJSON []byte

// model holds BudouX's feature tables: "UW1" … "UW6" (single characters at
// offsets -3 … +2 from the gap), "BW1" … "BW3" (pairs) and "TW1" … "TW4"
// (triples), each mapping the characters to a score.
type model struct {
	uw   [6]map[string]int
	bw   [3]map[string]int
	tw   [4]map[string]int
	base int // -½ × the sum of every score: the gap's score before features
}

var (
	loadOnce sync.Once
	zh       *model
)

func load() *model {
	loadOnce.Do(func() {
		var raw map[string]map[string]int
		if err := json.Unmarshal(modelJSON, &raw); err != nil {
			// The model is embedded: a broken file is a build mistake.
			panic("phrase: zh-hans.json: " + err.Error())
		}
		m := &model{}
		sum := 0
		for name, table := range raw {
			for _, v := range table {
				sum += v
			}
			i := int(name[2] - '1')
			switch name[:2] {
			case "UW":
				m.uw[i] = table
			case "BW":
				m.bw[i] = table
			case "TW":
				m.tw[i] = table
			}
		}
		// BudouX computes -0.5*sum in floating point; twice the score
		// keeps it in integers with the same sign.
		m.base = -sum
		zh = m
	})
	return zh
}

// Split returns the phrases of s, in order; joined they give s back. Like
// BudouX's parser, it works on
// characters (BudouX's JavaScript counts UTF-16 units, which differ only
// outside the Basic Multilingual Plane).
func Split(s string) []string {
	if s == "" {
		return nil
	}
	if !utf8.ValidString(s) {
		s = string([]rune(s)) // each byte that is no character is U+FFFD, as []rune reads it
	}
	// at[i] is the byte offset of character i (at[n] = len(s)): the
	// characters i to j are s[at[i]:at[j]], looked up in the tables and
	// handed back without a copy.
	var buf [64]int
	at := buf[:0]
	for i := range s {
		at = append(at, i)
	}
	at = append(at, len(s))
	n := len(at) - 1
	m := load()
	sub := func(i, j int) string {
		// JavaScript's substring: indexes clamped to the string.
		i, j = max(0, min(i, n)), max(0, min(j, n))
		if i >= j {
			return ""
		}
		return s[at[i]:at[j]]
	}
	var out []string
	start := 0
	for i := 1; i < n; i++ {
		score := m.base
		for k := range m.uw {
			score += 2 * m.uw[k][sub(i-3+k, i-2+k)]
		}
		for k := range m.bw {
			score += 2 * m.bw[k][sub(i-2+k, i+k)]
		}
		for k := range m.tw {
			score += 2 * m.tw[k][sub(i-3+k, i+k)]
		}
		if score > 0 {
			out = append(out, s[at[start]:at[i]])
			start = i
		}
	}
	return append(out, s[at[start]:])
}

// For reports whether text in lang (a language key or tag: "zh", "zh-CN",
// "zh-Hans") is Simplified Chinese, the language of the model: whether its
// headlines break between phrases.
func For(lang string) bool {
	l := strings.ToLower(lang)
	return l == "zh" || (strings.HasPrefix(l, "zh-") && !strings.Contains(l, "hant") && !strings.HasSuffix(l, "-tw") && !strings.HasSuffix(l, "-hk") && !strings.HasSuffix(l, "-mo"))
}

// HTML returns s escaped for HTML with a <wbr> between its phrases: the
// browser may break a line there, and, in an element styled
// `word-break: keep-all`, nowhere else inside Chinese text.
func HTML(s string) template.HTML {
	var b strings.Builder
	for i, p := range Split(s) {
		if i > 0 {
			b.WriteString("<wbr>")
		}
		b.WriteString(html.EscapeString(p))
	}
	return template.HTML(b.String())
}
