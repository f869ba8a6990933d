// Package content reads a site's content/ folder through an fs.FS: the site
// settings in content/site.toml and one Report per report folder, each with
// one Edition per language file (content/<slug>/<lang>.md).
//
// It checks front matter and reports every problem as data
// ("content/<slug>/<lang>.md:LINE: message"); it knows nothing of Markdown
// beyond finding where the body starts.
//
// # The rules it enforces
//
// A report folder's name is its URL slug and must be lowercase ASCII letters
// and digits in runs joined by single hyphens, at most 100 bytes
// ("river-dikes", "2025-floods"; see ValidSlug). Such names need no
// escaping in a URL or on a CDN, and two folders can never differ only in
// case, which case-insensitive file systems (macOS, Windows) would merge.
// Any other folder name is an error that suggests a fixed name when there
// is one. Names starting with "." or "_" are ignored everywhere under
// content/, so a newsroom can keep _drafts/ or notes beside its reports.
//
// In a report folder, each <lang>.md must name a language of site.toml;
// other files and folders (photos/…) belong to the report and are left to
// later stages. A symlink anywhere under content/ must lead to a place
// inside content/: a build never publishes a file from elsewhere on the
// machine.
//
// An edition file is at most MaxFileSize (8 MiB) and must be valid UTF-8;
// a byte-order mark is dropped and CRLF line ends become LF, with line
// numbers unchanged. It starts with front matter, YAML 1.2 between "---"
// lines or TOML between "+++" lines (blank lines may come first), found by
// github.com/adrg/frontmatter with two formats of ours that decode it with
// goccy/go-yaml and BurntSushi/toml. Front matter is at most 16 KiB and
// nested at most 32 levels deep (both parsers take time quadratic in
// depth). YAML aliases and merge keys are refused: they can make a few
// lines expand to gigabytes, and no report needs them.
//
// Dates are YYYY-MM-DD (midnight in the site's timezone) or RFC 3339; a
// date and time without a zone, or with a space for the T, is read in the
// site's timezone too. A date field (date, updated, a correction's date)
// is read as that text whatever type a YAML tag (!!timestamp) or TOML
// gives it, so neither can move it out of the site's timezone or make it
// the zero time, which would publish an embargoed report at once.
//
// A problem's line is the line of the field it concerns; a missing title
// or date is reported on the opening delimiter.
package content

import (
	"time"
)

// A Language is one language of the site.
type Language struct {
	Key   string // file name and URL prefix: "zh"
	Tag   string // BCP 47 tag for <html lang> and hreflang: "zh-CN"
	Name  string // the language's own name for the switcher: "中文"
	Title string // the site title in this language: "深度报道"
	// Description is the site's one-line description in this language
	// (front page meta description, feed subtitle); may be empty.
	Description string
}

// Publisher is the news organization named in JSON-LD and feeds.
type Publisher struct {
	Name string // falls back to the default language's site title
	URL  string // falls back to BaseURL
	Logo string // a path relative to the site root, optional
}

// Config is content/site.toml.
//
//	base_url = "https://news.example.org/"
//	theme = "default"                 # themes/<name>, else the embedded default
//	timezone = "Asia/Shanghai"        # for dates written as YYYY-MM-DD; default UTC
//	default_language = "zh"           # default: zh when present, else the first key
//	[languages.zh]
//	tag = "zh-CN"
//	name = "中文"
//	title = "深度报道"
//	[publisher]
//	name = "…"
type Config struct {
	BaseURL   string // always ends in "/"
	Theme     string // "" or "default" means the embedded default theme
	Location  *time.Location
	Languages []Language // the default language first, then by key
	Publisher Publisher
	Deploy    []DeployTarget // the [deploy.NAME] tables, by name
	// EmbedHosts are the hosts site.toml [embeds] allow adds to "::: embed".
	EmbedHosts []string
	// RequiredLanguages are the language keys every report must have
	// (site.toml required_languages; default none).
	RequiredLanguages []string
	// Style is the house style per language key ([style.<lang>]).
	Style map[string]Style

	FrontPageSize int      // reports per front or topic page (front_page_size, default 24)
	Topics        []Topic  // the [topics.KEY] tables, by key (nav.go)
	People        []Person // the [authors.KEY] tables, by key (nav.go)
	Series        []Series // the [series.KEY] tables, by key (series.go)

	publisherURL bool // Publisher.URL is BaseURL because site.toml sets none
}

// Default returns the default language.
func (c *Config) Default() Language { return c.Languages[0] }

// Language returns the language with the given key.
func (c *Config) Language(key string) (Language, bool) {
	for _, l := range c.Languages {
		if l.Key == key {
			return l, true
		}
	}
	return Language{}, false
}

// An Author is one entry of the front matter's authors list.
type Author struct {
	Name string
	Role string // free text per language: "文", "图", "文/图", "Text", "Photos"
}

// A Correction is one entry of the front matter's corrections list.
type Correction struct {
	Date time.Time
	Text string // plain text
}

// Hero is the photo at the top of a report, used for social cards.
// In front matter it is either a path or a table {src, alt, caption, credit}.
type Hero struct {
	Src     string // relative to the report folder
	Alt     string
	Caption string
	Credit  string
	Line    int // line of the hero field in File
}

// An Edition is one language file of a report.
type Edition struct {
	Slug string
	Lang string
	File string // slash path relative to the site: "content/<slug>/<lang>.md"

	Title       string
	Subtitle    string
	Date        time.Time
	Updated     time.Time // zero when absent
	Draft       bool
	Dateline    string
	Authors     []Author
	Credit      string // default photo credit
	Summary     string // from front matter; empty when absent
	Tags        []string
	Hero        *Hero // nil when absent
	Corrections []Correction
	// SeriesKey and Part place the edition in a series of site.toml
	// (front matter `series: KEY` and `part: N`): both or neither.
	SeriesKey string
	Part      int

	// Source is the whole file as parsed: valid UTF-8, no BOM, line endings
	// normalized to "\n", so its lines are the file's. Body is its tail.
	Source []byte
	// Body is the Markdown after the front matter: valid UTF-8, no BOM,
	// line endings normalized to "\n". It may share memory with the data
	// given to ParseEdition.
	Body []byte
	// BodyLine is the line of File on which Body begins (1 without front matter).
	BodyLine int
	// Lines maps front matter field names to their line in File, for
	// messages about a field found later (hero photo not found, …). Nested
	// values have dotted paths: "hero.src", "authors.0" (the first author),
	// "authors.0.role".
	Lines map[string]int
	// Sum is the SHA-256 of the file as read (Load sets it; the build cache
	// keys reports by it).
	Sum [32]byte
}

// Embargoed reports whether the edition is dated after now.
func (e *Edition) Embargoed(now time.Time) bool { return e.Date.After(now) }

// Published reports whether the edition goes into a build made at now:
// neither a draft nor embargoed.
func (e *Edition) Published(now time.Time) bool { return !e.Draft && !e.Embargoed(now) }

// A Report is one report folder.
type Report struct {
	Slug     string
	Dir      string     // slash path relative to the site: "content/<slug>"
	Editions []*Edition // in the order of Config.Languages; only existing files
}

// Edition returns the report's edition in lang, or nil.
func (r *Report) Edition(lang string) *Edition {
	for _, e := range r.Editions {
		if e.Lang == lang {
			return e
		}
	}
	return nil
}
