package site

import (
	"fmt"
	"net/url"
	"path"
	"strings"
	"unicode/utf8"

	"dateline/cmd/internal/problem"
)

// Social cards show about this much of a summary.
const (
	cardChars = 120 // CJK characters
	cardRunes = 200 // characters of other text
)

// checks returns the site-wide warnings that `dateline check` reports and
// `build --strict` fails on: internal links and anchors that lead nowhere,
// translations older than their counterpart, and summaries too long for
// social cards. They are computed from the listing data and the links every
// edition recorded, so a rebuild recomputes them cheaply.
func (b *Builder) checks() []problem.Problem {
	// Every page and the ids it defines.
	ids := map[string]map[string]bool{}
	for _, l := range b.langs {
		ids[b.rel("/"+l.Key+"/")] = map[string]bool{}
	}
	ids[b.rel("/")] = map[string]bool{}
	for _, st := range b.reports {
		for _, e := range st.editions {
			set := map[string]bool{}
			for _, id := range e.ids {
				set[id] = true
			}
			ids[e.view.URL] = set
		}
	}

	var ps []problem.Problem
	for _, st := range b.reports {
		for _, e := range st.editions {
			for _, l := range e.links {
				if msg := b.checkLink(e.view.URL, l.Dest, ids); msg != "" {
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
		ps = append(ps, staleTranslations(st)...)
	}
	return ps
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
