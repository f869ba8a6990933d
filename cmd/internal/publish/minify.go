// Package publish turns rendered pages and assets into the files a CDN
// serves: it minifies them with one shared registry, names assets by their
// content hash, writes the feeds and the sitemap, and writes an output
// folder atomically (build into a sibling folder, then swap).
package publish

import (
	"bytes"
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
	m.Add("application/javascript", &js.Minifier{})
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
	var buf bytes.Buffer
	buf.Grow(len(data))
	if err := m.m.Minify(mediatype, &buf, bytes.NewReader(data)); err != nil {
		return nil, fmt.Errorf("minify %s: %w", mediatype, err)
	}
	return buf.Bytes(), nil
}

// File minifies data according to the extension of name.
func (m *Minifier) File(name string, data []byte) ([]byte, error) {
	return m.Bytes(MediaType(name), data)
}
