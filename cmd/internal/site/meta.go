package site

import (
	"bytes"
	"encoding/json"
	"html/template"
	"image"
	_ "image/png" // the theme's logo
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

// The JSON-LD types. Fields are in the order of their JSON names (as
// encoding/json writes a map's keys), so that the output stays the same
// whichever way it is made; structs encode several times faster than maps.
type (
	ldArticle struct {
		Context             string     `json:"@context"`
		Type                string     `json:"@type"`
		AlternativeHeadline string     `json:"alternativeHeadline,omitempty"`
		Author              []ldPerson `json:"author,omitempty"`
		Contributor         []ldPerson `json:"contributor,omitempty"`
		Correction          []ldNote   `json:"correction,omitempty"`
		DateModified        string     `json:"dateModified"`
		DatePublished       string     `json:"datePublished"`
		Description         string     `json:"description"`
		Headline            string     `json:"headline"`
		Image               []ldImage  `json:"image,omitempty"`
		InLanguage          string     `json:"inLanguage"`
		IsAccessibleForFree bool       `json:"isAccessibleForFree"`
		IsPartOf            *ldNamed   `json:"isPartOf,omitempty"`
		Keywords            []string   `json:"keywords,omitempty"`
		LocationCreated     *ldNamed   `json:"locationCreated,omitempty"`
		MainEntityOfPage    string     `json:"mainEntityOfPage"`
		Publisher           ldOrg      `json:"publisher"`
		URL                 string     `json:"url"`
	}
	ldNamed struct {
		Type string `json:"@type"`
		Name string `json:"name"`
		URL  string `json:"url,omitempty"`
	}
	ldNote struct {
		Type          string `json:"@type"`
		DatePublished string `json:"datePublished"`
		Text          string `json:"text"`
	}
	ldImage struct {
		Type   string `json:"@type"`
		Height int    `json:"height,omitempty"`
		URL    string `json:"url"`
		Width  int    `json:"width,omitempty"`
	}
	ldOrg struct {
		Type string   `json:"@type"`
		Logo *ldImage `json:"logo,omitempty"`
		Name string   `json:"name"`
		URL  string   `json:"url"`
	}
)

// themeLogo is the theme's logo, static/img/logo.png, as the publisher's
// logo in JSON-LD: its hashed URL and its size (Google wants a raster logo
// of at least 112×112). Nil when the theme has none. Read once, as the
// theme's assets are published (writeAssets).
func (b *Builder) themeLogo() *ldImage {
	const name = "img/logo.png"
	out, ok := b.assets[name]
	if !ok {
		return nil
	}
	for _, f := range b.set.Static() {
		if f.Path == name {
			c, _, err := image.DecodeConfig(bytes.NewReader(f.Data))
			if err != nil {
				return nil
			}
			return &ldImage{Type: "ImageObject", URL: b.abs("/" + out), Width: c.Width, Height: c.Height}
		}
	}
	return nil
}

// reportHead returns a report page's structured data: schema.org
// NewsArticle JSON-LD, OpenGraph and Twitter card tags. Every value is
// escaped for its context: JSON with <, > and & as \u escapes (so "</script>"
// in a title cannot end the block), attributes with HTML escaping.
func (b *Builder) reportHead(p *theme.Page, r *theme.Report) template.HTML {
	article := ldArticle{
		Context:             "https://schema.org",
		Type:                "NewsArticle",
		AlternativeHeadline: r.Subtitle,
		DateModified:        modified(r).Format(time.RFC3339),
		DatePublished:       r.Date.Format(time.RFC3339),
		Description:         r.Summary,
		Headline:            r.Title,
		InLanguage:          r.Lang.Tag,
		IsAccessibleForFree: true,
		Keywords:            r.Tags,
		MainEntityOfPage:    p.Canonical,
		URL:                 p.Canonical,
	}
	for _, a := range r.Authors {
		person := ldPerson{Type: "Person", Name: a.Name, URL: b.personURL(a)}
		if photographer(a.Role) {
			person.Type, person.Role = "Role", a.Role
			person.Contributor = &ldPerson{Type: "Person", Name: a.Name, URL: person.URL}
			person.Name, person.URL = "", ""
			article.Contributor = append(article.Contributor, person)
			continue
		}
		article.Author = append(article.Author, person)
	}
	// The hero's 16:9, 4:3 and 1:1 crops (Google's article images), or
	// the hero itself when it has none (a GIF, no derivatives).
	card := r.Hero
	if r.Hero != nil {
		imgs := r.Hero.Cards
		if len(imgs) == 0 {
			imgs = []theme.Image{*r.Hero}
		}
		for _, c := range imgs {
			article.Image = append(article.Image, ldImage{Type: "ImageObject", URL: c.Abs, Width: c.Width, Height: c.Height})
		}
		if len(r.Hero.Cards) > 0 {
			card = &r.Hero.Cards[0]
		}
	}
	if s := r.Series; s != nil {
		article.IsPartOf = &ldNamed{Type: "CreativeWorkSeries", Name: s.Title, URL: b.absRel(s.URL)}
	}
	if r.Dateline != "" {
		article.LocationCreated = &ldNamed{Type: "Place", Name: r.Dateline}
	}
	for _, c := range r.Corrections {
		article.Correction = append(article.Correction, ldNote{
			Type: "CorrectionComment", DatePublished: c.Date.Format(time.RFC3339), Text: c.Text,
		})
	}
	pub := b.cfg.Publisher
	article.Publisher = ldOrg{Type: "NewsMediaOrganization", Name: pub.Name, URL: pub.URL}
	if pub.Logo != "" {
		article.Publisher.Logo = &ldImage{Type: "ImageObject", URL: b.abs("/" + strings.TrimPrefix(pub.Logo, "/"))}
	} else {
		article.Publisher.Logo = b.logo
	}
	ld, _ := json.Marshal(article) // strings, numbers and slices of them: cannot fail

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
	meta("property", "og:locale", ogLocale(r.Lang.Tag))
	for _, a := range p.Alternates {
		if !a.Current {
			meta("property", "og:locale:alternate", ogLocale(a.Lang.Tag))
		}
	}
	twitterCard := "summary"
	if r.Hero != nil {
		twitterCard = "summary_large_image"
		meta("property", "og:image", card.Abs)
		meta("property", "og:image:width", strconv.Itoa(card.Width))
		meta("property", "og:image:height", strconv.Itoa(card.Height))
		meta("property", "og:image:alt", r.Hero.Alt)
	}
	meta("property", "article:published_time", r.Date.Format(time.RFC3339))
	meta("property", "article:modified_time", modified(r).Format(time.RFC3339))
	for _, t := range r.Tags {
		meta("property", "article:tag", t)
	}
	meta("name", "twitter:card", twitterCard)
	meta("name", "twitter:title", r.Title)
	meta("name", "twitter:description", r.Summary)
	if r.Hero != nil {
		meta("name", "twitter:image", card.Abs)
		meta("name", "twitter:image:alt", r.Hero.Alt)
	}
	return template.HTML(h.String())
}
