package site

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"dateline/cmd/internal/content"
	"dateline/cmd/internal/markdown"
	"dateline/cmd/internal/problem"
	"dateline/cmd/internal/publish"
	"dateline/cmd/internal/scaffold"
	"dateline/cmd/internal/style"
)

// Social cards show about this much of a summary.
const (
	cardChars = 120 // CJK characters
	cardRunes = 200 // characters of other text
)

// Checks are the warnings that `dateline check` reports and `build --strict`
// fails on: internal links and anchors that lead nowhere, translations
// older than their counterpart, and summaries too long for social cards.
// They need every page's ids, which the Builder keeps in pageIDs; a report's
// checks are recomputed when it changes, and every report's when some page
// or anchor appeared or went away.

// indexPages records every page of the site and the ids it defines.
func (b *Builder) indexPages() {
	b.pageIDs = map[string]map[string]bool{b.rel("/"): {}}
	for _, l := range b.langs {
		b.pageIDs[b.rel("/"+l.Key+"/")] = map[string]bool{}
	}
	for _, st := range b.reports {
		b.indexReport(st)
	}
}

// indexReport adds a report's pages to pageIDs and reports whether that
// changed anything.
func (b *Builder) indexReport(st *reportState) bool {
	changed := false
	for _, e := range st.editions {
		set := make(map[string]bool, len(e.ids))
		for _, id := range e.ids {
			set[id] = true
		}
		if old, ok := b.pageIDs[e.view.URL]; !ok || !maps.Equal(old, set) {
			changed = true
		}
		b.pageIDs[e.view.URL] = set
	}
	return changed
}

// reindexReport replaces a report's old pages in pageIDs with its new ones
// and reports whether any page or id appeared or went away.
func (b *Builder) reindexReport(old, st *reportState) bool {
	changed := false
	if old != nil {
		for _, e := range old.editions {
			if !slices.ContainsFunc(st.editions, func(n *edition) bool { return n.view.URL == e.view.URL }) {
				delete(b.pageIDs, e.view.URL)
				changed = true
			}
		}
	}
	return b.indexReport(st) || changed
}

// unindexReport removes a report's pages from pageIDs.
func (b *Builder) unindexReport(st *reportState) {
	for _, e := range st.editions {
		delete(b.pageIDs, e.view.URL)
	}
}

// checkAll recomputes the checks of every report.
func (b *Builder) checkAll() {
	for _, st := range b.reports {
		st.checks = b.checkReport(st)
	}
}

// checkReport returns the checks' warnings for one report.
func (b *Builder) checkReport(st *reportState) []problem.Problem {
	var ps []problem.Problem
	for _, e := range st.editions {
		for _, l := range e.links {
			if msg := b.checkLink(e.view.URL, l.Dest, b.pageIDs); msg != "" {
				ps = append(ps, problem.Warnf(e.src.File, l.Line, "%s", msg))
			}
		}
		if s := e.src.Summary; s != "" {
			n, limit := utf8.RuneCountInString(s), cardRunes
			if isCJKLang(e.src.Lang) {
				limit = cardChars
			}
			if n > limit {
				ps = append(ps, problem.Warnf(e.src.File, e.src.Lines["summary"],
					"summary is %d characters; social cards show about %d", n, limit))
			}
		}
	}
	ps = append(ps, b.sourceChecks(st)...)
	return append(ps, staleTranslations(st)...)
}

// punctuation warns about every half-width , : ; ? ! ( ) next to Chinese
// text in the body of a Chinese edition (SPEC §12), at its line and column;
// `dateline check --fix` rewrites them.
func (b *Builder) punctuation(st *reportState) []problem.Problem {
	var ps []problem.Problem
	for _, e := range st.editions {
		if !style.ChineseLang(e.src.Lang) {
			continue
		}
		src, err := b.source(e.src)
		if err != nil {
			continue
		}
		skip := e.src.BodyLine - 1
		// The marks hold no part of the text, and src is not changed
		// while FindBody reads it: the string shares src's memory rather
		// than copying the file.
		for _, m := range style.FindBody(BodyOf(unsafe.String(unsafe.SliceData(src), len(src)), e.src.BodyLine)) {
			p := problem.Warnf(e.src.File, skip+m.Line, "half-width %q next to Chinese text: use %q (dateline check --fix rewrites it)", m.Old, m.New)
			p.Column = m.Col
			ps = append(ps, p)
		}
	}
	return ps
}

// BodyOf returns the part of an edition's source from line bodyLine on.
func BodyOf(src string, bodyLine int) string {
	for n := 1; n < bodyLine; n++ {
		i := strings.IndexByte(src, '\n')
		if i < 0 {
			return ""
		}
		src = src[i+1:]
	}
	return src
}

// placeholderHash is the content hash of the placeholder photo `dateline
// new` writes: a file with it is that photo, byte for byte, without reading
// the file again.
var placeholderHash = sync.OnceValue(func() string { return publish.Hash(scaffold.PlaceholderJPEG()) })

// leftovers returns an error for every line of placeholder text and every
// placeholder photo that `dateline new` wrote and a report that is not a
// draft still holds: published, they would reach the page, the feed and
// the sitemap.
func (b *Builder) leftovers(st *reportState) []problem.Problem {
	var ps []problem.Problem
	for _, e := range st.editions {
		if e.src.Draft {
			continue
		}
		src, err := b.source(e.src)
		if err != nil {
			continue // the build reported it
		}
		for _, l := range scaffold.Leftovers(src) {
			ps = append(ps, problem.Errorf(e.src.File, l.Line, "text left from `dateline new` in a report that is not a draft: %s", l.Text))
		}
		for _, f := range st.files {
			if f.hash != placeholderHash() {
				continue
			}
			rel, ok := strings.CutPrefix(f.src, path.Dir(e.src.File)+"/")
			i := bytes.Index(src, []byte(rel))
			if !ok || i < 0 {
				continue
			}
			line := 1 + bytes.Count(src[:i], []byte("\n"))
			ps = append(ps, problem.Errorf(e.src.File, line, "%s is the placeholder photo from `dateline new`: replace it with a real one", rel))
		}
	}
	return ps
}

// source returns the edition's file as it was parsed (its lines are the
// file's), reading it again only for an edition made some other way.
func (b *Builder) source(e *content.Edition) ([]byte, error) {
	if e.Source != nil {
		return e.Source, nil
	}
	return fs.ReadFile(b.opts.FS, e.File)
}

// checkLink returns what is wrong with a link written on the page at from,
// or "" when it leads somewhere. Only links inside the site are checked.
func (b *Builder) checkLink(from, dest string, ids map[string]map[string]bool) string {
	u, err := url.Parse(dest)
	if err != nil {
		return fmt.Sprintf("link %s: %v", dest, err)
	}
	if u.Scheme != "" || u.Host != "" {
		if !strings.EqualFold(u.Host, b.base.Host) {
			return "" // another site
		}
	}
	target := from
	switch {
	case u.Path == "":
	case strings.HasPrefix(u.Path, "/"):
		target = u.Path
		if !strings.HasPrefix(target, b.base.Path) {
			target = b.rel(target)
		}
	default:
		return "" // a file in the report folder: the resolver checked it
	}
	if strings.HasPrefix(target, b.rel("/assets/")) || path.Ext(target) != "" && path.Ext(target) != ".html" {
		return ""
	}
	if !strings.HasSuffix(target, "/") {
		target += "/"
	}
	page, ok := ids[target]
	if !ok {
		return fmt.Sprintf("link %s leads to no page", dest)
	}
	if u.Fragment != "" && !page[u.Fragment] {
		return fmt.Sprintf("link %s: no anchor #%s on %s", dest, u.Fragment, target)
	}
	return ""
}

// staleTranslations warns about an edition whose `updated` is older than
// another edition's: the translation may be out of date.
func staleTranslations(st *reportState) []problem.Problem {
	var ps []problem.Problem
	for _, e := range st.editions {
		for _, o := range st.editions {
			if o == e || o.src.Updated.IsZero() {
				continue
			}
			mine := e.src.Updated
			if mine.IsZero() {
				mine = e.src.Date
			}
			if mine.Before(o.src.Updated) {
				ps = append(ps, problem.Warnf(e.src.File, e.src.Lines["updated"],
					"%s edition last updated %s, before the %s edition (%s): the translation may be out of date",
					e.src.Lang, mine.Format("2006-01-02 15:04"), o.src.Lang, o.src.Updated.Format("2006-01-02 15:04")))
				break
			}
		}
	}
	return ps
}

// missingEdition is the problem of a report folder without an edition in
// language l: a warning when site.toml lists l in required_languages, else a
// note that passes a strict build (a single-language report is legitimate).
func (b *Builder) missingEdition(dir string, l content.Language) problem.Problem {
	if slices.Contains(b.cfg.RequiredLanguages, l.Key) {
		return problem.Warnf(dir, 0, "missing translation: no %s.md (%s), which required_languages asks for; the report is published in its other languages only", l.Key, l.Name)
	}
	return problem.Notef(dir, 0, "no %s.md (%s): published in its other languages only", l.Key, l.Name)
}

// creditForm is the house form of photo credits in language lang:
// [style.<lang>] credit in site.toml, else style's default.
func (b *Builder) creditForm(lang string) string {
	if st, ok := b.cfg.Style[lang]; ok && st.Credit != "" {
		return st.Credit
	}
	return style.DefaultCreditForm(lang)
}

// stopNumbers warns about a stop whose figures differ between editions:
// every number in one edition's stop should appear in the other's
// (style.Numbers reads 1.2万 as 12,000), or the translation is stale
// ("stop 2: zh has 1.2公里, en has 1.5 km").
//
// It runs where work in progress is looked at, check and serve (a preview
// build), not in build: a build publishes what the desk has passed.
func (b *Builder) stopNumbers(st *reportState) []problem.Problem {
	if len(st.editions) < 2 || !b.opts.Preview {
		return nil
	}
	type stops struct {
		text  []string
		lines []int
	}
	read := func(e *edition) *stops {
		src, err := b.source(e.src)
		if err != nil {
			return nil
		}
		s := &stops{}
		cur := -1
		fence := false
		for n, line := range strings.Split(BodyOf(string(src), e.src.BodyLine), "\n") {
			t := strings.TrimSpace(line)
			if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
				fence = !fence
			}
			if h, ok := strings.CutPrefix(line, "## "); ok && !fence {
				h = strings.TrimSpace(h)
				if _, _, _, stop := markdown.ParseStopLabel(h); stop || strings.HasSuffix(h, "{.stop}") {
					s.text = append(s.text, "")
					s.lines = append(s.lines, e.src.BodyLine+n)
					cur = len(s.text) - 1
				} else {
					cur = -1
				}
				continue
			}
			if cur >= 0 && !fence {
				s.text[cur] += line + "\n"
			}
		}
		return s
	}
	first := read(st.editions[0])
	if first == nil {
		return nil
	}
	var ps []problem.Problem
	for _, o := range st.editions[1:] {
		other := read(o)
		if other == nil {
			continue
		}
		for i := 0; i < len(first.text) && i < len(other.text); i++ {
			missA := style.MissingFrom(style.Numbers(first.text[i]), style.Mentions(other.text[i]))
			missC := style.MissingFrom(style.Numbers(other.text[i]), style.Mentions(first.text[i]))
			if len(missA)+len(missC) == 0 {
				continue
			}
			e := st.editions[0]
			var msg string
			switch {
			case len(missC) == 0:
				msg = fmt.Sprintf("stop %d: %s has %s, not in %s", i+1, e.src.Lang, numberList(missA), o.src.Lang)
			case len(missA) == 0:
				msg = fmt.Sprintf("stop %d: %s has %s, not in %s", i+1, o.src.Lang, numberList(missC), e.src.Lang)
			default:
				msg = fmt.Sprintf("stop %d: %s has %s, %s has %s", i+1, e.src.Lang, numberList(missA), o.src.Lang, numberList(missC))
			}
			ps = append(ps, problem.Warnf(o.src.File, other.lines[i], "%s: the translation may be stale", msg))
		}
	}
	return ps
}

// numberList joins numbers as written: "1.2公里, 300米".
func numberList(ns []style.Number) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = n.Text
	}
	return strings.Join(s, ", ")
}
