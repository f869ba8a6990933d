package publish

import (
	"bytes"
	"encoding/xml"
	"time"
)

// A Feed is one language's Atom feed (RFC 4287).
type Feed struct {
	Lang      string // BCP 47 tag, for xml:lang
	Title     string
	Subtitle  string
	Self      string // absolute URL of the feed itself
	Home      string // absolute URL of the language's front page
	Generator string
	Icon      string    // absolute URL of a square icon (favicon), "" for none
	Logo      string    // absolute URL of a logo, "" for none
	Updated   time.Time // newest entry's update; zero for an empty feed
	Entries   []Entry
}

// An Entry is one report in a feed.
type Entry struct {
	Title   string
	URL     string // absolute
	Summary string
	// Content is the report's body as HTML, with absolute URLs; "" for
	// none.
	Content   string
	Authors   []string
	Published time.Time
	Updated   time.Time
	Image     *Enclosure // the hero photo, nil without one
	Tags      []string
}

// An Enclosure is a photo linked from an entry.
type Enclosure struct {
	URL    string // absolute
	Type   string // media type: "image/jpeg"
	Length int64  // bytes
}

type atomLink struct {
	Rel      string `xml:"rel,attr,omitempty"`
	Type     string `xml:"type,attr,omitempty"`
	Href     string `xml:"href,attr"`
	Hreflang string `xml:"hreflang,attr,omitempty"`
	Length   int64  `xml:"length,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	Links      []atomLink     `xml:"link"`
	ID         string         `xml:"id"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    *atomText      `xml:"content,omitempty"`
}

type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string      `xml:"xml:lang,attr,omitempty"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	Links     []atomLink  `xml:"link"`
	ID        string      `xml:"id"`
	Updated   string      `xml:"updated"`
	Generator string      `xml:"generator,omitempty"`
	Icon      string      `xml:"icon,omitempty"`
	Logo      string      `xml:"logo,omitempty"`
	Entries   []atomEntry `xml:"entry"`
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// XML returns the feed as an Atom document. Every text goes through
// encoding/xml, so markup in titles and summaries is escaped.
func (f *Feed) XML() ([]byte, error) {
	a := atomFeed{
		Lang:      f.Lang,
		Title:     f.Title,
		Subtitle:  f.Subtitle,
		ID:        f.Self,
		Updated:   atomTime(f.Updated),
		Generator: f.Generator,
		Icon:      f.Icon,
		Logo:      f.Logo,
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: f.Self},
			{Rel: "alternate", Type: "text/html", Href: f.Home, Hreflang: f.Lang},
		},
	}
	for _, e := range f.Entries {
		ae := atomEntry{
			Title:     e.Title,
			ID:        e.URL,
			Published: atomTime(e.Published),
			Updated:   atomTime(e.Updated),
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: e.URL}},
		}
		if e.Image != nil {
			ae.Links = append(ae.Links, atomLink{Rel: "enclosure", Type: e.Image.Type, Href: e.Image.URL, Length: e.Image.Length})
		}
		for _, name := range e.Authors {
			ae.Authors = append(ae.Authors, atomPerson{Name: name})
		}
		for _, t := range e.Tags {
			ae.Categories = append(ae.Categories, atomCategory{Term: t})
		}
		if e.Summary != "" {
			ae.Summary = &atomText{Type: "text", Body: e.Summary}
		}
		if e.Content != "" {
			ae.Content = &atomText{Type: "html", Body: e.Content}
		}
		a.Entries = append(a.Entries, ae)
	}
	return marshalXML(a)
}

// marshalXML returns v as an XML document, without indentation: the
// build passes it through the Minifier, which would take it out.
func marshalXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
