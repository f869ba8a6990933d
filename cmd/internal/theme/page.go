package theme

import (
	"html/template"
	"time"
)

// Page is the data every layout is executed with.
type Page struct {
	Kind string // "report", "front", "topic", "topics", "author", "series", "root", "404" or "search"

	Lang      Lang   // the page's language (for "root": the default language)
	Languages []Lang // every language of the site, default first
	T         *Strings

	SiteTitle   string // in Lang
	Title       string // for <title>: "Headline · Site" is the layout's choice
	Description string // meta description
	URL         string // site-relative path: "/zh/river/"
	Canonical   string // absolute URL
	BaseURL     string // absolute, ends in "/"
	// Alternates lists the page's editions that exist, one per language, in
	// site order (including the page itself, Current true); XDefault is the
	// absolute URL for hreflang="x-default".
	Alternates []Alternate
	XDefault   string
	Feed       string // absolute URL of Lang's Atom feed ("" for root)
	Home       string // site-relative URL of Lang's front page: "/zh/"
	Search     string // site-relative URL of Lang's search page, "" when none
	TopicsURL  string // site-relative URL of Lang's topic index, "" when the site has no topics

	CSS []string // site-relative, content-hashed URLs of stylesheets
	// Icon and IconICO are the site-relative URLs of the theme's favicons
	// (static/favicon.svg, content-hashed, and /favicon.ico), "" without.
	Icon, IconICO string
	JS            []string // site-relative, content-hashed URLs of deferred scripts

	// Head holds extra <head> markup made by the site: JSON-LD, OpenGraph
	// and Twitter tags. Already safe.
	Head template.HTML

	Report  *Report   // Kind == "report"
	Reports []*Report // Kind == "front": published reports, newest first (Body empty)
	Fronts  []Front   // Kind == "root": one entry per language
	// Pager places a listing page (front, topic) in its chain of pages:
	// nil on other pages.
	Pager *Pager
	// Topic is the topic a "topic" page lists; Topics the topics a
	// "topics" page lists.
	Topic  *Topic
	Topics []Topic
	// Person is the author an "author" page lists the reports of.
	Person *Person
	// Series is the series a "series" page lists, its parts in order.
	Series  *Series
	Preview *Preview  // non-nil only in `dateline serve`
	Now     time.Time // the build's clock
	NoIndex bool      // a staging copy: the page asks search engines not to index it
}

// Lang is one site language.
type Lang struct {
	Key  string // "zh"
	Tag  string // "zh-CN"
	Name string // "中文"
}

// Alternate is one edition of the page.
type Alternate struct {
	Lang    Lang
	URL     string // site-relative: "/en/river/"
	Href    string // absolute
	Current bool
}

// Front is one language's front page, for the root page.
type Front struct {
	Lang   Lang
	T      *Strings
	Title  string // site title in that language
	URL    string // "/en/"
	Latest []*Report
}

// Report is one edition of a report as layouts see it.
type Report struct {
	Slug     string
	Lang     Lang
	URL      string // site-relative: "/zh/river/"
	Title    string
	Subtitle string
	Dateline string
	Summary  string

	Date        time.Time
	DateText    string    // localized: "2025年6月12日"
	Updated     time.Time // zero when never updated
	UpdatedText string

	Authors     []Author
	CreditsLine string // "文/李明 图/周晓雨", "Text: Li Ming · Photos: Zhou Xiaoyu"

	ReadingMinutes int
	ReadingTime    string // localized: "阅读约 8 分钟", "8 min read"

	Tags []string
	// Topics are the tags that name a declared topic, in tag order, for
	// tag pills that link to the topic pages.
	Topics []Topic
	// TagPills are the tags as the report shows them, each linking to its
	// topic's page when it names one (URL "" when not).
	TagPills []TagPill
	Hero     *Image // nil without hero
	Stops    []Stop

	Body        template.HTML // empty on front pages
	Corrections []Correction

	Draft     bool // only ever true in preview
	Embargoed bool // only ever true in preview

	// Series places the report in its series; nil for none.
	Series *Series
	// Onward are up to three reports to read next, for the end of the
	// report page: the next part of its series, then reports on its first
	// topic, then the newest.
	Onward []Link
}

// Series is a multi-part investigation ([series.KEY] of site.toml), as one
// language sees it. On a report it also places that report in it.
type Series struct {
	Key     string
	Title   string // in the page's language
	Summary string
	URL     string // site-relative series page: "/zh/series/KEY/"
	Count   int    // published parts (the highest part number published)
	// On a report: its part, "第2篇（共4篇）" / "Part 2 of 4", "第2篇" /
	// "Part 2", and its neighbours (nil at either end).
	Part       int
	Label      string
	PartLabel  string
	Prev, Next *Link
}

// Link is another report a page links to by title.
type Link struct {
	Title    string
	URL      string // site-relative
	Date     time.Time
	DateText string
	Label    string // "Part 3 of 4" for a part of the same series, else ""
}

// Author is one byline entry.
type Author struct {
	Name string
	Role string
	Key  string // the [authors.KEY] the name matches, "" for none
	URL  string // site-relative author page in the report's language, "" for none
}

// Stop is one staged section, for the journey navigator and front pages.
type Stop struct {
	N     int
	ID    string // "stop-3"
	Label string // "第三站", "Third stop"
	Title string
}

// Image is a photo with everything an <img> needs.
type Image struct {
	URL     string // site-relative, content-hashed
	Abs     string // absolute URL, for social cards
	Width   int
	Height  int
	Srcset  string
	Sizes   string
	Sources []Source // <source> elements of a <picture>, before the <img>
	Cards   []Image  // a hero's social-card crops: 16:9, 4:3, 1:1 (JSON-LD, og:image)
	Alt     string
	Caption string
	Credit  template.HTML
}

// Source is one <source> of a <picture>: the photo in a modern format.
type Source struct {
	Type   string // "image/avif"
	Srcset string
}

// Correction is one dated correction or update note.
type Correction struct {
	Date     time.Time
	DateText string
	Text     string // plain text
}

// Preview is what `dateline serve` adds to every page.
type Preview struct {
	Banner   string   // "草稿 · Draft", "定时发布 · Embargoed until …"; "" for none
	Errors   []string // "path:line: message"
	Warnings []string
	Script   template.HTML // the live-reload <script>, injected only when serving
}

// Pager is a listing page's place in its chain: /zh/, /zh/page/2/, ….
type Pager struct {
	N, Count int    // this page's number (1…Count) and the chain's length
	Total    int    // the reports in the whole chain
	Prev     string // site-relative URL of page N-1, "" on the first
	Next     string // site-relative URL of page N+1, "" on the last
	First    string // site-relative URL of page 1
}

// Topic is one topic declared in site.toml, as one language sees it.
type Topic struct {
	Key   string // "flood"
	Name  string // in the page's language: "防汛"
	URL   string // site-relative: "/zh/topics/flood/"
	Count int    // published reports in that language
}

// TagPill is one tag of a report.
type TagPill struct {
	Text string
	URL  string // site-relative topic page, "" for a tag that names no topic
}

// Person is an author declared in site.toml, as one language sees it.
type Person struct {
	Key  string
	Name string
	Bio  string
	URL  string // the person's own page elsewhere (absolute), "" for none
}
