package publish

import (
	"encoding/xml"
	"slices"
	"strings"
	"testing"
)

// TestSitemapIndexXML: a sitemap index is a well-formed <sitemapindex> in
// the sitemaps namespace naming each part, in order, its URL escaped.
func TestSitemapIndexXML(t *testing.T) {
	parts := []string{"https://x.org/sitemap-lists.xml", "https://x.org/sitemap-reports-1.xml?a=1&b=2"}
	data, err := (&SitemapIndex{Parts: parts}).XML()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		XMLName xml.Name
		Parts   []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"sitemap"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("index is not well-formed: %v\n%s", err, data)
	}
	if doc.XMLName.Local != "sitemapindex" || doc.XMLName.Space != "http://www.sitemaps.org/schemas/sitemap/0.9" {
		t.Errorf("root element %v; want sitemapindex in the sitemaps namespace", doc.XMLName)
	}
	var got []string
	for _, p := range doc.Parts {
		got = append(got, p.Loc)
		if p.LastMod != "" {
			t.Errorf("part %s has lastmod %q; want none", p.Loc, p.LastMod)
		}
	}
	if !slices.Equal(got, parts) {
		t.Errorf("index names %q; want %q", got, parts)
	}
	if !strings.Contains(string(data), "?a=1&amp;b=2") {
		t.Errorf("index does not escape &:\n%s", data)
	}
}
