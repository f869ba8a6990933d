// Package markdown converts a report's Markdown body to HTML with the one
// goldmark.Markdown of a build and Dateline's own extensions: stops
// (stop.go), figures and photo credits (figure.go), sidebars and embeds
// (sidebar.go, embed.go) and emphasis and strikethrough next to CJK
// punctuation (emphasis.go); heading ids (ids.go), link
// resolution and the text, link and image renderers (inline.go), and the
// plain text, summary and counts (text.go). Each is a goldmark extension
// of this package, registered on the one goldmark.Markdown by New: its
// parser, transformer and renderer, and its own AST nodes.
//
// Parse and Render are two calls, so the stop list, the figure count and the
// summary exist before the page template runs. A Converter is built once per
// build by New and shared by every goroutine: what belongs to one document
// travels in its parser.Context and on its AST nodes.
//
// Where SPEC is silent, the syntax is:
//
// Stops. 第N站 takes N in Chinese numerals (一…九, 十, 十一…十九, 二十…九十九;
// not 两, 零 or 一十) or in ASCII or full-width digits (1…999); anything may
// follow 站 ("第一站台" is stop 1 titled "台"). English labels ("First stop" …
// "Twentieth stop", "Stop N") must end at a word boundary ("Stopover" is not
// a stop). The separator is spaces, then one run of : ： — – - , ， 、 or ·,
// then spaces. The heading shows Env.StopLabel of the stop's position, not
// the number written; a differing number is a warning. The title keeps its
// inline Markdown, except when the label itself is formatted ("**第一站**
// 外滩"), where the title is plain text. The stop's <h2> gets no generated
// id (its <section> has stop-N); an explicit {#id} and classes other than
// "stop" are kept. Setext level-2 headings count. A stop ends at the next
// level-2 heading of the document, the footnote list or the end. A class
// "stop" on a heading that cannot be a stop is a warning.
//
// Figures. A paragraph, or the text of a tight list item, holding only an
// image or a link around only an image, optionally followed after a line
// break by exactly one line that starts with a credit prefix (摄影： 图：
// 图片来源： also with ":", and Photo: Photo by Source: in any case, also with
// "："). A linked image renders as <figure><a><img></a><figcaption>. A
// trailing credit in the title is （NAME 摄）, (NAME 摄), NAME摄 without the
// space, (Photo: NAME) or (Photo by NAME), with either kind of parenthesis;
// the credit is the text inside them. In a figure the image title is the
// caption and is not repeated as a title attribute. The first figure in
// document order (even in a list or sidebar) loads eagerly unless
// Env.LazyAll. Images with a scheme or "//" are left alone (no size);
// "/x.jpg" and paths climbing out with "../" are errors ("photo ../x.jpg
// leaves the report folder"). Links to "#fragments", with a scheme, to site
// paths ("/en/") or to other reports ("../other/") are left as written; all
// other destinations go through Env.Resolve with "?query#fragment" kept and
// %-escapes decoded. javascript:, vbscript:, file: and data: destinations
// (any case, entities and tabs included) lose their href or src entirely,
// an autolink becomes text, and each is a warning. Images and links
// inside an image's alt text are neither resolved nor recorded. A bare
// URL's path, query and fragment take letters of every script and end at
// CJK punctuation or a full-width space; a URL right after a CJK character
// is a link too (inline.go). Raw HTML is dropped and named in a warning on
// its line, comments and lone closing tags aside (rawhtml.go).
//
// Containers. An opening fence is 3 or more colons, a kind (sidebar, quote,
// note, any case) and an optional title; it may interrupt a paragraph. A
// closing fence is a line of 3 or more colons; it closes the innermost open
// container, but not from inside fenced code or an HTML block. Titles are
// inline Markdown. A titled sidebar or note gets the id sidebar-N and an
// <hN class="sidebar-title"> named by aria-labelledby: h2 at the top level,
// h3 inside a stop, one level more per enclosing container (at most h6);
// without a title there is neither. A quote's title is the attribution
// after its <blockquote>. An unknown kind is an error and renders as a
// sidebar; a container never closed is a warning at its opening line and
// ends with the block around it (the document, a list item); a ":::" with
// no container open is a warning and stays text. "::: embed URL" is an
// embed (embed.go).
//
// Text. A soft line break vanishes between CJK characters (hangul aside)
// and between a CJK character and general punctuation (“ ” — …); elsewhere
// it stays a newline. Heading ids keep letters of every script and digits,
// lower-case letters, turn runs of spaces, "-" and "_" into one "-", drop
// the rest, and are made unique with -1, -2; explicit ids win and a
// duplicate is a warning. Han counts Han, kana and hangul; Words counts
// runs of other letters and digits (with ' - ’ inside) over all text,
// captions, credits, code and footnotes, but not URLs, alt text or raw HTML.
// The summary is the first paragraph directly in the document or a stop.
//
// Limits. goldmark's block parser, inline parsers and footnotes cost time
// or memory that grows faster than the input, so a document is refused
// with an error when a line starts with more than MaxNesting quote or list
// markers, is indented more than MaxIndent columns, or it defines more
// than MaxFootnotes footnotes or more than MaxDefinitions link definitions
// in a row; when its paragraphs' marks (* _ ~ ` [ ] < ( & \ @) times
// their bytes pass MaxInlineWork (cmark's pathological inputs: emphasis
// openers and closers, unclosed links and brackets, backtick runs); or
// when it has more than MaxMarks marks or MaxLines lines. More than
// MaxContainers open ::: containers is an error and the deeper fences are
// read as text (limits.go).
package markdown

import (
	"io"

	"dateline/cmd/internal/problem"
)

// An Asset is what a link or image destination in a report resolves to.
type Asset struct {
	URL    string // the public URL written into the HTML (content-hashed)
	Width  int    // pixels, for images; 0 when unknown
	Height int
	Srcset string // optional responsive candidates ("a.480.jpg 480w, …")
	Sizes  string // optional sizes attribute
	// Sources, with Srcset, make the image a <picture> whose <source>
	// elements offer it in these formats first (figure.go).
	Sources []Source
}

// A Resolver maps a relative destination written in a report ("photos/x.jpg")
// to its public asset. It is called only for relative paths that stay in the
// report folder (no scheme, no leading "/", no "../" out of the folder, no
// "#fragment"-only links), without their "?query#fragment" and with
// %-escapes decoded. image tells an <img> from a link. The error's text
// becomes the problem at the destination's line, as it is
// ("photo photos/x.jpg not found").
type Resolver func(dest string, image bool) (Asset, error)

// Env is what a conversion needs to know about the one document it converts.
// It travels through goldmark's parser.Context, so one Converter serves many
// goroutines.
type Env struct {
	File     string // slash path for messages: "content/river/zh.md"
	BodyLine int    // line of File on which the Markdown source begins (1-based)
	Lang     string // language key: "zh", "en"
	// Resolve maps relative destinations; nil leaves them as written.
	Resolve Resolver
	// StopLabel returns the localized label of stop n ("第一站", "First stop");
	// nil gives "Stop n".
	StopLabel func(n int) string
	// Credit is the edition's default photo credit (front matter `credit`).
	Credit string
	// EmbedHosts are the hosts "::: embed" may show besides the built-in
	// providers (site.toml [embeds] allow).
	EmbedHosts []string
	// EmbedLoad returns the label of the button that loads an embed from
	// host (the theme's words); nil or "" gives built-in Chinese or English.
	EmbedLoad func(host string) string
	// CreditForm is the house form of a photo credit, with {name}
	// ("{name} 摄"): style.Credit prints a plain name in it. "" keeps
	// credits as written.
	CreditForm string
	// LazyAll makes every figure lazy-loaded (the page has a hero above them);
	// otherwise the first figure loads eagerly.
	LazyAll bool
}

// A Stop is one staged section.
type Stop struct {
	N     int    // 1…n in document order
	ID    string // "stop-N"
	Label string // localized label shown in the heading: "第一站"
	Title string // the heading text after the label, plain text
	Line  int    // line in Env.File
}

// A Figure is one image-only paragraph turned into a <figure>.
type Figure struct {
	Src     string // as written
	Alt     string
	Caption string // plain text
	Credit  string // plain text; "" when none was found
	Line    int
}

// A Sidebar is one ::: container.
type Sidebar struct {
	Kind  string // "sidebar", "quote", "note"
	Title string
	Line  int
}

// A Link is a destination written in the document, for `dateline check`.
type Link struct {
	Dest string
	Line int
}

// A Doc is a parsed document, ready to render.
type Doc struct {
	Stops    []Stop
	Figures  []Figure
	Sidebars []Sidebar
	// Summary is the plain text of the first paragraph that is not a figure
	// (for summaries derived when front matter has none).
	Summary string
	// Han counts CJK characters and Words the other words of the text,
	// for reading time.
	Han, Words int
	IDs        []string // every id the rendered HTML defines (headings, stops, footnotes)
	Links      []Link
	Problems   []problem.Problem

	render func(w io.Writer) error
}

// Render writes the document's HTML.
func (d *Doc) Render(w io.Writer) error { return d.render(w) }
