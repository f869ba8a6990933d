package site

import (
	"encoding/json"
	"html/template"
	"strconv"
	"strings"
	"time"

	"dateline/cmd/internal/theme"
)

// modified is when a report last changed in substance: its updated date or
// its latest correction, whichever is later, else its date.
func modified(r *theme.Report) time.Time {
	t := r.Date
	if r.Updated.After(t) {
		t = r.Updated
	}
	for _, c := range r.Corrections {
		if c.Date.After(t) {
			t = c.Date
		}
	}
	return t
}

type ldThing map[string]any

// reportHead returns a report page's structured data: schema.org
// NewsArticle JSON-LD, OpenGraph and Twitter card tags. Every value is
// escaped for its context: JSON with <, > and & as \u escapes (so "</script>"
// in a title cannot end the block), attributes with HTML escaping.
func (b *Builder) reportHead(p *theme.Page, r *theme.Report) template.HTML {
	article := ldThing{
		"@context":            "https://schema.org",
		"@type":               "NewsArticle",
		"headline":            r.Title,
		"description":         r.Summary,
		"datePublished":       r.Date.Format(time.RFC3339),
		"dateModified":        modified(r).Format(time.RFC3339),
		"inLanguage":          r.Lang.Tag,
		"isAccessibleForFree": true,
		"mainEntityOfPage":    p.Canonical,
		"url":                 p.Canonical,
	}
	if r.Subtitle != "" {
		article["alternativeHeadline"] = r.Subtitle
	}
	var authors []ldThing
	for _, a := range r.Authors {
		authors = append(authors, ldThing{"@type": "Person", "name": a.Name})
	}
	if authors != nil {
		article["author"] = authors
	}
	if r.Hero != nil {
		article["image"] = ldThing{"@type": "ImageObject", "url": r.Hero.Abs, "width": r.Hero.Width, "height": r.Hero.Height}
	}
	if r.Dateline != "" {
		article["locationCreated"] = ldThing{"@type": "Place", "name": r.Dateline}
	}
	pub := b.cfg.Publisher
	org := ldThing{"@type": "NewsMediaOrganization", "name": pub.Name, "url": pub.URL}
	if pub.Logo != "" {
		org["logo"] = ldThing{"@type": "ImageObject", "url": b.abs("/" + strings.TrimPrefix(pub.Logo, "/"))}
	}
	article["publisher"] = org
	if len(r.Tags) > 0 {
		article["keywords"] = r.Tags
	}
	ld, _ := json.Marshal(article) // plain maps, strings and numbers: cannot fail

	var h strings.Builder
	h.WriteString(`<script type="application/ld+json">`)
	h.Write(ld)
	h.WriteString("</script>\n")
	meta := func(attr, key, value string) {
		if value == "" {
			return
		}
		h.WriteString(`<meta ` + attr + `="` + key + `" content="` + template.HTMLEscapeString(value) + "\">\n")
	}
	meta("property", "og:type", "article")
	meta("property", "og:title", r.Title)
	meta("property", "og:description", r.Summary)
	meta("property", "og:url", p.Canonical)
	meta("property", "og:site_name", p.SiteTitle)
	meta("property", "og:locale", strings.ReplaceAll(r.Lang.Tag, "-", "_"))
	for _, a := range p.Alternates {
		if !a.Current {
			meta("property", "og:locale:alternate", strings.ReplaceAll(a.Lang.Tag, "-", "_"))
		}
	}
	card := "summary"
	if r.Hero != nil {
		card = "summary_large_image"
		meta("property", "og:image", r.Hero.Abs)
		meta("property", "og:image:width", strconv.Itoa(r.Hero.Width))
		meta("property", "og:image:height", strconv.Itoa(r.Hero.Height))
		meta("property", "og:image:alt", r.Hero.Alt)
	}
	meta("property", "article:published_time", r.Date.Format(time.RFC3339))
	meta("property", "article:modified_time", modified(r).Format(time.RFC3339))
	for _, t := range r.Tags {
		meta("property", "article:tag", t)
	}
	meta("name", "twitter:card", card)
	meta("name", "twitter:title", r.Title)
	meta("name", "twitter:description", r.Summary)
	if r.Hero != nil {
		meta("name", "twitter:image", r.Hero.Abs)
		meta("name", "twitter:image:alt", r.Hero.Alt)
	}
	return template.HTML(h.String())
}
