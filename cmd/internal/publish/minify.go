// Package publish turns rendered pages and assets into the files a CDN
// serves: it minifies them with one shared registry, names assets by their
// content hash, writes the feeds and the sitemap, and writes an output
// folder atomically (build into a sibling folder, then swap).
package publish

import (
	"fmt"
	"path"
	"regexp"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
	"github.com/tdewolff/parse/v2/buffer"
)

// Minifier is the one minify registry of a build. It is configured once and
// safe for concurrent use.
type Minifier struct {
	m *minify.M
}

// NewMinifier returns a Minifier for HTML, CSS, JS, SVG, XML and JSON.
//
// HTML keeps document and end tags and default attribute values: browsers
// and CDNs (and our tests, which parse the output) see a complete document,
// and whitespace between inline elements is kept because the HTML minifier
// only collapses it, never removes it between inline elements.
func NewMinifier() *Minifier {
	m := minify.New()
	m.Add("text/html", &html.Minifier{
		KeepDocumentTags:    true,
		KeepEndTags:         true,
		KeepDefaultAttrVals: true,
		KeepQuotes:          true,
	})
	m.Add("text/css", &css.Minifier{})
	// KeepVarNames: the renamer names variables by their frequency in its
	// input, so a minified script minified again gets other names. With
	// the names kept, what a build writes is the minifier's fixed point
	// (minifying it again changes nothing, which the tests check), at the
	// cost of 168 of the default theme's 1,415 bytes of script.
	m.Add("application/javascript", &js.Minifier{KeepVarNames: true})
	m.Add("image/svg+xml", &svg.Minifier{})
	m.AddRegexp(regexp.MustCompile(`[/+]xml$`), &xml.Minifier{KeepWhitespace: false})
	m.AddRegexp(regexp.MustCompile(`[/+]json$`), &json.Minifier{})
	return &Minifier{m: m}
}

// mediaTypes maps file extensions to the media types the Minifier knows.
var mediaTypes = map[string]string{
	".html":        "text/html",
	".css":         "text/css",
	".js":          "application/javascript",
	".mjs":         "application/javascript",
	".svg":         "image/svg+xml",
	".xml":         "application/xml",
	".json":        "application/json",
	".webmanifest": "application/manifest+json",
}

// MediaType returns the media type the Minifier uses for a file name, or ""
// for files it leaves alone.
func MediaType(name string) string { return mediaTypes[path.Ext(name)] }

// Bytes minifies data of the given media type. A media type the Minifier
// does not know is returned unchanged.
func (m *Minifier) Bytes(mediatype string, data []byte) ([]byte, error) {
	if mediatype == "" {
		return data, nil
	}
	// Clipped, so that the parser copies data rather than using it up (see
	// Append): data is the caller's.
	return m.Append(make([]byte, 0, len(data)), mediatype, data[:len(data):len(data)])
}

// File minifies data according to the extension of name.
func (m *Minifier) File(name string, data []byte) ([]byte, error) {
	return m.Bytes(MediaType(name), data)
}

// Append appends src, minified as the given media type, to dst and returns
// the extended slice. A media type the Minifier does not know is appended
// unchanged.
//
// src is minified in place, not copied: the minifier may overwrite it
// (collapsing whitespace, for one), and when its capacity allows, the
// parser writes a NUL just past its end while it runs (parse.NewInputBytes).
// So src is the minifier's to use up: what it holds afterwards is undefined,
// and nothing else may use its memory during the call. Bytes and File copy.
func (m *Minifier) Append(dst []byte, mediatype string, src []byte) ([]byte, error) {
	if mediatype == "" {
		return append(dst, src...), nil
	}
	w := buffer.NewWriter(dst)
	if err := m.m.Minify(mediatype, w, buffer.NewReader(src)); err != nil {
		return dst, fmt.Errorf("minify %s: %w", mediatype, err)
	}
	return w.Bytes(), nil
}
