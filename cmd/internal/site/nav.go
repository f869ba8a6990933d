package site

import (
	"encoding/json"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"

	"dateline/cmd/internal/content"
	"dateline/cmd/internal/problem"
	"dateline/cmd/internal/publish"
	"dateline/cmd/internal/theme"
)

// A chain is a listing split into pages: page 1 at base ("/zh/"), page N
// at base + "page/N/". Every page but the last holds size reports.
type chain struct {
	kind  string // the layout: "front", "topic"
	lang  string
	base  string // site path of page 1, ending in "/": "/zh/topics/flood/"
	title string // the listing's title; page N > 1 adds "Page N"
	eds   []*edition
	size  int
	// alternates returns the editions of page n in every language that
	// has one (page 1 in every language that lists anything).
	alternates func(n int) []theme.Alternate
	// fill sets what a kind of page adds (its topic, …).
	fill func(p *theme.Page)
	// extra is what fill sets besides site.toml and the chain's length
	// (a series' number of parts), for the key of each page.
	extra string
}

// pages returns how many pages n reports fill, at least one.
func pages(n, size int) int { return max(1, (n+size-1)/size) }

// pagePath returns the site path of page n of a chain at base.
func pagePath(base string, n int) string {
	if n <= 1 {
		return base
	}
	return base + "page/" + strconv.Itoa(n) + "/"
}

// pageFileOf returns the output file of a site path ("/zh/page/2/" →
// "zh/page/2/index.html").
func pageFileOf(p string) string { return strings.TrimPrefix(p, "/") + "index.html" }

// writeChain writes every page of c.
func (b *Builder) writeChain(out *listOutput, c chain) error {
	count := pages(len(c.eds), c.size)
	strs := b.strs[c.lang]
	for n := 1; n <= count; n++ {
		path := pagePath(c.base, n)
		lo := (n - 1) * c.size
		eds := c.eds[lo:min(len(c.eds), lo+c.size)]
		alternates := c.alternates(n)
		var key strings.Builder
		fmt.Fprintf(&key, "%s\x00%s\x00%s\x00%s\x00%s\x00%d/%d/%d", c.kind, c.lang, c.base, c.title, c.extra, n, count, len(c.eds))
		for _, a := range alternates {
			fmt.Fprintf(&key, "\x00%s %s %s", a.Lang.Key, a.URL, a.Href)
		}
		name := pageFileOf(path)
		if out.unchanged(name, key.String(), eds) {
			continue
		}
		p := b.page(c.kind, c.lang, b.rel(path))
		p.Title = c.title
		if n > 1 {
			// "第2页 · 防汛"; a front page's title is the site's, which
			// the head adds to every title: "第2页" there.
			p.Title = strs.N("page_n", n)
			if c.title != p.SiteTitle {
				p.Title += " · " + c.title
			}
		}
		p.Reports = views(eds)
		p.Pager = &theme.Pager{N: n, Count: count, Total: len(c.eds), First: b.rel(c.base)}
		if n > 1 {
			p.Pager.Prev = b.rel(pagePath(c.base, n-1))
		}
		if n < count {
			p.Pager.Next = b.rel(pagePath(c.base, n+1))
		}
		p.Alternates = alternates
		for i := range p.Alternates {
			p.Alternates[i].Current = p.Alternates[i].Lang.Key == c.lang
		}
		if len(p.Alternates) > 0 {
			p.XDefault = b.xDefault(p.Alternates)
		}
		if c.fill != nil {
			c.fill(p)
		}
		p.Head = b.listHead(p)
		if err := b.writeList(out, name, p); err != nil {
			return err
		}
		u := b.sitemapURL(p, latest(eds))
		out.addURL(u)
		out.remember(name, key.String(), eds, &u)
	}
	return nil
}

// sitemapURL returns a listing page's sitemap entry: its canonical URL and,
// when it is paired with pages in other languages, every edition of it
// plus x-default.
func (b *Builder) sitemapURL(p *theme.Page, lastMod time.Time) publish.SitemapURL {
	u := publish.SitemapURL{Loc: p.Canonical, LastMod: lastMod}
	if len(p.Alternates) > 1 {
		for _, a := range p.Alternates {
			u.Alternates = append(u.Alternates, publish.Alternate{Hreflang: a.Lang.Tag, Href: a.Href})
		}
		u.Alternates = append(u.Alternates, publish.Alternate{Hreflang: "x-default", Href: p.XDefault})
	}
	return u
}

// ldCollection is schema.org CollectionPage JSON-LD, fields in JSON name
// order (see meta.go).
type ldCollection struct {
	Context     string   `json:"@context"`
	Type        string   `json:"@type"`
	Description string   `json:"description,omitempty"`
	InLanguage  string   `json:"inLanguage"`
	IsPartOf    *ldSite  `json:"isPartOf,omitempty"`
	MainEntity  *ldItems `json:"mainEntity,omitempty"`
	Name        string   `json:"name"`
	URL         string   `json:"url"`
}

type ldSite struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

type ldItems struct {
	Type            string       `json:"@type"`
	ItemListElement []ldListItem `json:"itemListElement"`
	NumberOfItems   int          `json:"numberOfItems"`
}

type ldListItem struct {
	Type     string `json:"@type"`
	Position int    `json:"position"`
	URL      string `json:"url"`
}

// listHead returns a listing page's <head> additions: rel=prev/next links
// along its chain, CollectionPage JSON-LD and OpenGraph tags.
func (b *Builder) listHead(p *theme.Page) template.HTML {
	var h strings.Builder
	link := func(rel, href string) {
		if href != "" {
			h.WriteString(`<link rel="` + rel + `" href="` + template.HTMLEscapeString(b.absRel(href)) + "\">\n")
		}
	}
	if pg := p.Pager; pg != nil {
		link("prev", pg.Prev)
		link("next", pg.Next)
	}
	ld := ldCollection{
		Context: "https://schema.org", Type: "CollectionPage",
		Description: p.Description, InLanguage: p.Lang.Tag, Name: p.Title, URL: p.Canonical,
		IsPartOf: &ldSite{Type: "WebSite", Name: p.SiteTitle, URL: b.abs("/" + p.Lang.Key + "/")},
	}
	if len(p.Reports) > 0 {
		items := &ldItems{Type: "ItemList", NumberOfItems: len(p.Reports)}
		first := 0
		if p.Pager != nil {
			first = (p.Pager.N - 1) * b.cfg.FrontPageSize
		}
		for i, r := range p.Reports {
			items.ItemListElement = append(items.ItemListElement, ldListItem{Type: "ListItem", Position: first + i + 1, URL: b.absRel(r.URL)})
		}
		ld.MainEntity = items
	}
	data, _ := json.Marshal(ld) // strings and numbers: cannot fail
	h.WriteString(`<script type="application/ld+json">`)
	h.Write(data)
	h.WriteString("</script>\n")
	meta := func(key, value string) {
		if value != "" {
			h.WriteString(`<meta property="` + key + `" content="` + template.HTMLEscapeString(value) + "\">\n")
		}
	}
	meta("og:type", "website")
	meta("og:title", p.Title)
	meta("og:description", p.Description)
	meta("og:url", p.Canonical)
	meta("og:site_name", p.SiteTitle)
	meta("og:locale", ogLocale(p.Lang.Tag))
	for _, a := range p.Alternates {
		if !a.Current {
			meta("og:locale:alternate", ogLocale(a.Lang.Tag))
		}
	}
	return template.HTML(h.String())
}

// ogLocale turns a language tag into OpenGraph's language_TERRITORY form:
// "zh-CN" → "zh_CN", and a bare "en" → "en_US", "zh" → "zh_CN".
func ogLocale(tag string) string {
	switch tag {
	case "en":
		return "en_US"
	case "zh":
		return "zh_CN"
	}
	return strings.ReplaceAll(tag, "-", "_")
}

// absRel turns a site-relative URL as written in pages (under the base
// URL's path) into an absolute URL.
func (b *Builder) absRel(rel string) string {
	return b.abs("/" + strings.TrimPrefix(rel, b.base.Path))
}

// siteTitle returns the site's title in lang.
func (b *Builder) siteTitle(lang string) string {
	l, _ := b.cfg.Language(lang)
	return l.Title
}

// siteDescription returns the site's description in lang.
func (b *Builder) siteDescription(lang string) string {
	l, _ := b.cfg.Language(lang)
	return l.Description
}

// resolveTags gives view its topics and tag pills. On a site that declares
// topics, a tag that names none of them is a warning on the front matter's
// tags line; a site without [topics] uses tags as plain keywords.
func (b *Builder) resolveTags(e *content.Edition, view *theme.Report) []problem.Problem {
	var ps []problem.Problem
	seen := map[string]bool{}
	for _, tag := range e.Tags {
		key, ok := b.cfg.ResolveTag(tag)
		if !ok {
			view.TagPills = append(view.TagPills, theme.TagPill{Text: tag})
			if len(b.cfg.Topics) == 0 {
				continue
			}
			ps = append(ps, problem.Warnf(e.File, e.Lines["tags"], "tag %q names no topic: declare it in content/site.toml as [topics.KEY] with a name per language", tag))
			continue
		}
		url := b.rel(topicPath(e.Lang, key))
		view.TagPills = append(view.TagPills, theme.TagPill{Text: tag, URL: url})
		if !seen[key] {
			seen[key] = true
			t, _ := b.cfg.Topic(key)
			view.Topics = append(view.Topics, theme.Topic{Key: key, Name: t.Name(e.Lang, b.cfg.Languages), URL: url})
		}
	}
	return ps
}

// topicsURL is the site-relative URL of lang's topic index, linked from
// every page's header; "" when the site declares no topics.
func (b *Builder) topicsURL(lang string) string {
	if len(b.cfg.Topics) == 0 {
		return ""
	}
	return b.rel("/" + lang + "/topics/")
}

// topicPath is the site path of a topic's first page in lang.
func topicPath(lang, key string) string { return "/" + lang + "/topics/" + key + "/" }

// byKey is a kind of listing's editions, by language and then by key (a
// topic's, a person's, a series'), each list in the order of the
// language's listing (newest first) unless its kind says otherwise.
type byKey map[string]map[string][]*edition

// groupBy groups every language's listing by the keys keysOf gives each
// edition; an edition goes once under each of its keys.
func (b *Builder) groupBy(lists map[string][]*edition, keysOf func(e *edition) []string) byKey {
	all := byKey{}
	for _, o := range b.langs {
		m := map[string][]*edition{}
		for _, e := range lists[o.Key] {
			keys := keysOf(e)
			for i, k := range keys {
				if !slices.Contains(keys[:i], k) {
					m[k] = append(m[k], e)
				}
			}
		}
		all[o.Key] = m
	}
	return all
}

// chainAlternates returns the alternates of the pages of the chain of key
// (whose first page in a language is at base(lang)): page n in every
// language whose chain of key reaches n.
func (b *Builder) chainAlternates(all byKey, key string, base func(lang string) string) func(n int) []theme.Alternate {
	return func(n int) []theme.Alternate {
		var as []theme.Alternate
		for _, o := range b.langs {
			if c := len(all[o.Key][key]); c > 0 && pages(c, b.cfg.FrontPageSize) >= n {
				p := pagePath(base(o.Key), n)
				as = append(as, theme.Alternate{Lang: o, URL: b.rel(p), Href: b.abs(p)})
			}
		}
		return as
	}
}

// topicKeys are the keys of the topics an edition's tags name.
func topicKeys(e *edition) []string {
	keys := make([]string, len(e.view.Topics))
	for i, t := range e.view.Topics {
		keys[i] = t.Key
	}
	return keys
}

// writeTopics writes, for language l, a chain of pages per topic with
// reports in l and the topic index /<lang>/topics/. all is every
// language's listing by topic (topicKeys).
func (b *Builder) writeTopics(out *listOutput, l theme.Lang, all byKey) error {
	if len(b.cfg.Topics) == 0 {
		return nil
	}
	size := b.cfg.FrontPageSize
	var index []theme.Topic
	for _, t := range b.cfg.Topics {
		eds := all[l.Key][t.Key]
		if len(eds) == 0 {
			continue
		}
		name := t.Name(l.Key, b.cfg.Languages)
		index = append(index, theme.Topic{Key: t.Key, Name: name, URL: b.rel(topicPath(l.Key, t.Key)), Count: len(eds)})
		topic := index[len(index)-1]
		err := b.writeChain(out, chain{
			kind: "topic", lang: l.Key, base: topicPath(l.Key, t.Key), title: name, eds: eds, size: size,
			alternates: b.chainAlternates(all, t.Key, func(lang string) string { return topicPath(lang, t.Key) }),
			fill:       func(p *theme.Page) { p.Topic = &topic },
		})
		if err != nil {
			return err
		}
	}
	p := b.page("topics", l.Key, b.rel("/"+l.Key+"/topics/"))
	p.Title = b.strs[l.Key].Get("topics")
	p.Topics = index
	p.Alternates = b.everyLanguage(l.Key, func(key string) string { return "/" + key + "/topics/" })
	p.XDefault = b.xDefault(p.Alternates)
	p.Head = b.listHead(p)
	out.addURL(b.sitemapURL(p, time.Time{}))
	return b.writeList(out, l.Key+"/topics/index.html", p)
}

// byline returns a byline entry, linked to its author page when the name
// matches an [authors.KEY] of site.toml.
func (b *Builder) byline(lang, name, role string) theme.Author {
	a := theme.Author{Name: name, Role: role}
	if p, ok := b.cfg.ResolvePerson(name); ok {
		a.Key, a.URL = p.Key, b.rel(authorPath(lang, p.Key))
	}
	return a
}

// authorPath is the site path of an author's page in lang.
func authorPath(lang, key string) string { return "/" + lang + "/authors/" + key + "/" }

// personURL is the URL JSON-LD gives for a byline: the person's own url
// from site.toml, else their author page; "" for an undeclared name.
func (b *Builder) personURL(a theme.Author) string {
	if a.Key == "" {
		return ""
	}
	for _, p := range b.cfg.People {
		if p.Key == a.Key && p.URL != "" {
			return p.URL
		}
	}
	return b.absRel(a.URL)
}

// photographer reports whether a byline role is for photos only: such a
// person is a contributor, not an author, in JSON-LD.
func photographer(role string) bool {
	switch strings.ToLower(strings.TrimSpace(role)) {
	case "图", "摄影", "摄", "图片", "photos", "photo", "photographs", "photography", "photographer":
		return true
	}
	return false
}

// ldPerson is a schema.org Person, or a Role wrapping one (a contributor
// with their role), fields in JSON name order.
type ldPerson struct {
	Type        string    `json:"@type"`
	Contributor *ldPerson `json:"contributor,omitempty"`
	Name        string    `json:"name,omitempty"`
	Role        string    `json:"roleName,omitempty"`
	URL         string    `json:"url,omitempty"`
}

// personKeys are the keys of the declared people an edition's bylines name.
func personKeys(e *edition) []string {
	var keys []string
	for _, a := range e.view.Authors {
		if a.Key != "" {
			keys = append(keys, a.Key)
		}
	}
	return keys
}

// writeAuthors writes /<lang>/authors/KEY/ for every declared person with
// a report in lang: their reports, newest first, each with their role.
func (b *Builder) writeAuthors(out *listOutput, l theme.Lang, all byKey) error {
	size := b.cfg.FrontPageSize
	for _, person := range b.cfg.People {
		eds := all[l.Key][person.Key]
		if len(eds) == 0 {
			continue
		}
		pv := &theme.Person{Key: person.Key, Name: person.Name(l.Key, b.cfg.Languages), Bio: person.Bio[l.Key], URL: person.URL}
		err := b.writeChain(out, chain{
			kind: "author", lang: l.Key, base: authorPath(l.Key, person.Key), title: pv.Name, eds: eds, size: size,
			alternates: b.chainAlternates(all, person.Key, func(lang string) string { return authorPath(lang, person.Key) }),
			fill:       func(p *theme.Page) { p.Person = pv; p.Description = pv.Bio },
		})
		if err != nil {
			return err
		}
	}
	return nil
}
