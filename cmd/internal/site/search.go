package site

import (
	"dateline/cmd/internal/theme"
)

// searchCSS is the theme's stylesheet for the search page, linked from that
// page only (every stylesheet under static/css/ is linked from every page).
const searchCSS = "search/search.css"

// searchURL returns the site-relative URL of lang's search page, or "" when
// the build publishes none: Options.Search is off, or the theme has no
// search layout.
func (b *Builder) searchURL(lang string) string {
	if !b.opts.Search || !b.set.Has("search") {
		return ""
	}
	return b.rel("/" + lang + "/search/")
}

// writeSearch writes lang's search page, /<lang>/search/. The page loads
// Pagefind's UI from the bundle the command puts beside it afterwards
// (package search), and no other script.
func (b *Builder) writeSearch(out *listOutput, l theme.Lang) error {
	url := b.searchURL(l.Key)
	if url == "" {
		return nil
	}
	p := b.page("search", l.Key, url)
	p.Title = b.strs[l.Key].Get("search_title")
	p.NoIndex = true // a page of results, not of content
	if b.opts.Preview {
		// The preview shows the notice it holds while the index is
		// older than the pages (package preview).
		p.Preview = &theme.Preview{}
	}
	p.Alternates = b.everyLanguage(l.Key, func(key string) string { return "/" + key + "/search/" })
	p.CSS = append([]string{url + "pagefind/pagefind-ui.css"}, b.css...)
	if css, ok := b.assets[searchCSS]; ok {
		p.CSS = append(p.CSS, b.rel("/"+css))
	}
	p.JS = []string{url + "pagefind/pagefind-ui.js"}
	return b.writeList(out, l.Key+"/search/index.html", p)
}
