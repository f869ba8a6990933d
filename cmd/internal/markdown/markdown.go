// Package markdown converts a report's Markdown body to HTML with the one
// goldmark.Markdown of a build and Dateline's own extensions: stops
// (stop.go), figures and photo credits (figure.go), sidebars (sidebar.go) and
// emphasis next to CJK punctuation (emphasis.go).
//
// Parse and Render are two calls, so the stop list, the figure count and the
// summary exist before the page template runs.
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
}

// A Resolver maps a relative destination written in a report ("photos/x.jpg")
// to its public asset. It is called only for relative paths (no scheme, no
// leading "/", no "#fragment"-only links). image tells an <img> from a link.
// An error becomes a problem at the destination's line
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
