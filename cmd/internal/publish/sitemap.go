package publish

import (
	"fmt"
	"strings"
	"time"
)

// A Sitemap lists pages a search engine should know (sitemaps.org's
// <urlset>), with the hreflang alternates of each. A site's sitemap is split
// into parts, each a Sitemap, named by one SitemapIndex.
type Sitemap struct {
	URLs []SitemapURL
}

// A SitemapURL is one page and its language editions.
type SitemapURL struct {
	Loc        string // absolute
	LastMod    time.Time
	Alternates []Alternate // every edition, the page itself included, plus x-default
}

// An Alternate is one hreflang link.
type Alternate struct {
	Hreflang string // BCP 47 tag or "x-default"
	Href     string // absolute
}

type smLink struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

type smURL struct {
	Loc     string   `xml:"loc"`
	LastMod string   `xml:"lastmod,omitempty"`
	Links   []smLink `xml:"xhtml:link"`
}

type smURLSet struct {
	XMLName struct{} `xml:"urlset"`
	NS      string   `xml:"xmlns,attr"`
	XHTML   string   `xml:"xmlns:xhtml,attr"`
	URLs    []smURL  `xml:"url"`
}

// XML returns the sitemap document.
func (s *Sitemap) XML() ([]byte, error) {
	set := smURLSet{NS: sitemapNS, XHTML: "http://www.w3.org/1999/xhtml"}
	for _, u := range s.URLs {
		su := smURL{Loc: u.Loc}
		if !u.LastMod.IsZero() {
			su.LastMod = u.LastMod.UTC().Format(time.RFC3339)
		}
		for _, a := range u.Alternates {
			su.Links = append(su.Links, smLink{Rel: "alternate", Hreflang: a.Hreflang, Href: a.Href})
		}
		set.URLs = append(set.URLs, su)
	}
	return marshalXML(set)
}

// sitemapNS is the sitemaps protocol's namespace, of a <urlset> and of a
// <sitemapindex>.
const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// A SitemapIndex is sitemaps.org's <sitemapindex>: the absolute URLs of the
// parts of a sitemap. It gives no <lastmod>: a part's entries have dates, but
// none of them says when the part's file last changed.
type SitemapIndex struct {
	Parts []string
}

type smPart struct {
	Loc string `xml:"loc"`
}

type smIndex struct {
	XMLName struct{} `xml:"sitemapindex"`
	NS      string   `xml:"xmlns,attr"`
	Parts   []smPart `xml:"sitemap"`
}

// XML returns the sitemap index document.
func (s *SitemapIndex) XML() ([]byte, error) {
	idx := smIndex{NS: sitemapNS}
	for _, p := range s.Parts {
		idx.Parts = append(idx.Parts, smPart{Loc: p})
	}
	return marshalXML(idx)
}

// Robots returns a robots.txt that allows everything and names the sitemap.
func Robots(sitemapURL string) []byte {
	return fmt.Appendf(nil, "User-agent: *\nAllow: /\n\nSitemap: %s\n", sitemapURL)
}

// Cache policies written to _headers.
const (
	// Immutable is for content-hashed files: their name changes with their bytes.
	Immutable = "public, max-age=31536000, immutable"
	// Revalidate is for HTML, feeds, the sitemap and robots.txt: cached for
	// a minute, then checked with the origin.
	Revalidate = "public, max-age=60, must-revalidate"
)

// Headers returns a _headers file (the Netlify and Cloudflare Pages format).
// Every content-hashed file lives under /assets/ and is cached for a year as
// immutable; every other path (pages, feeds, sitemap, robots.txt) gets a
// short, revalidating policy. The rules never overlap, because Netlify
// joins the values of overlapping rules instead of choosing one.
// stable lists the site-relative paths or patterns of the other files
// ("/", "/zh/*", "/sitemap.xml").
func Headers(stable []string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "%s*\n  Cache-Control: %s\n  X-Content-Type-Options: nosniff\n", AssetsDir, Immutable)
	for _, p := range stable {
		fmt.Fprintf(&b, "\n%s\n  Cache-Control: %s\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n", p, Revalidate)
	}
	return []byte(b.String())
}

// AssetsDir is the site-relative folder of every content-hashed file.
const AssetsDir = "/assets/"
