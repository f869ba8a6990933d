package theme

import (
	"html"
	"html/template"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"dateline/cmd/internal/phrase"
)

// phrases returns s as HTML. In Simplified Chinese (lang is a language key
// or tag: "zh", "zh-CN", "zh-Hans") it puts a <wbr> between the phrases of
// s, so that an element styled `word-break: keep-all` breaks its lines only
// there; in any other language it only escapes s.
func phrases(lang, s string) template.HTML {
	if phrase.For(lang) {
		return phrase.HTML(s)
	}
	return template.HTML(html.EscapeString(s))
}

// A phraseMemo remembers what phrases made of each Chinese text: a title
// is phrased on its own page and again in every list and onward link that
// shows it (nine times over on the benchmark corpus), and BudouX scores
// every gap between its characters each time. It is safe for concurrent
// use; it keeps at most maxPhrased texts (a Set serves one build and the
// rebuilds after it, so what it keeps is the site's headlines).
type phraseMemo struct {
	m sync.Map // text → template.HTML
	n atomic.Int64
}

const maxPhrased = 1 << 16

// phrases is phrases(lang, s), remembered for Chinese text.
func (pm *phraseMemo) phrases(lang, s string) template.HTML {
	if !phrase.For(lang) {
		return phrases(lang, s)
	}
	if h, ok := pm.m.Load(s); ok {
		return h.(template.HTML)
	}
	h := phrase.HTML(s)
	if pm.n.Load() < maxPhrased {
		if _, loaded := pm.m.LoadOrStore(s, h); !loaded {
			pm.n.Add(1)
		}
	}
	return h
}

// urlpath returns the path of the absolute URL u ("/" when it has none or
// does not parse), so that a link can lead to another page of the same
// site on whatever host serves it: a staging copy links to itself, not to
// production.
func urlpath(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Path == "" {
		return "/"
	}
	return p.Path
}

// overlap reports whether a and b say nearly the same thing: at least 60%
// of the adjacent pairs of the shorter one occur in the longer one. Pairs
// are of characters in Chinese and of words in other languages, compared
// lower-cased, punctuation left out. A front page shows one of a teaser's
// dek and summary when they overlap.
func overlap(a, b string) bool {
	pa, pb := pairs(a), pairs(b)
	if len(pa) == 0 || len(pb) == 0 {
		return false
	}
	if len(pa) > len(pb) {
		pa, pb = pb, pa
	}
	in := map[string]bool{}
	for _, p := range pb {
		in[p] = true
	}
	n := 0
	for _, p := range pa {
		if in[p] {
			n++
		}
	}
	return n*10 >= len(pa)*6
}

// pairs returns the adjacent pairs of the units of s (see overlap), each
// as "unit unit".
func pairs(s string) []string {
	notWord := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
	var units []string
	if strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		for _, r := range s {
			if !notWord(r) {
				units = append(units, string(unicode.ToLower(r)))
			}
		}
	} else {
		units = strings.FieldsFunc(strings.ToLower(s), notWord)
	}
	var ps []string
	for i := 1; i < len(units); i++ {
		ps = append(ps, units[i-1]+" "+units[i])
	}
	return ps
}
