package main

import (
	"bytes"
	"encoding/json"
	"image"
	_ "image/png"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// TestReportJSONLD parses the NewsArticle JSON-LD of every report page of
// the sample site: the publisher's logo is a PNG the build wrote, under its
// hashed name, at the size it states (at least 112×112, as Google asks of a
// publisher logo), and the corrections shown in the corrections box are the
// article's CorrectionComments, with their dates; a report without
// corrections has none.
func TestReportJSONLD(t *testing.T) {
	out := buildSample(t)
	const base = "https://news.example.org/"
	type image_ struct {
		Type   string `json:"@type"`
		URL    string `json:"url"`
		Width  int    `json:"width"`
		Height int    `json:"height"`
	}
	type article struct {
		Type       string `json:"@type"`
		Correction []struct {
			Type          string `json:"@type"`
			Text          string `json:"text"`
			DatePublished string `json:"datePublished"`
		} `json:"correction"`
		Publisher struct {
			Type string  `json:"@type"`
			Logo *image_ `json:"logo"`
		} `json:"publisher"`
	}
	reports := 0
	withCorrections := 0
	for name, data := range out {
		if !strings.HasSuffix(name, "/index.html") || strings.Count(name, "/") != 2 {
			continue
		}
		doc := parseHTML(t, data)
		var a article
		for _, s := range find(doc, tag("script")) {
			if attr(s, "type") != "application/ld+json" {
				continue
			}
			var probe article
			if err := json.Unmarshal([]byte(text(s)), &probe); err != nil {
				t.Fatalf("%s: JSON-LD: %v", name, err)
			}
			if probe.Type == "NewsArticle" {
				a = probe
			}
		}
		if a.Type != "NewsArticle" {
			continue
		}
		reports++

		logo := a.Publisher.Logo
		if logo == nil {
			t.Errorf("%s: publisher has no logo", name)
		} else {
			file := strings.TrimPrefix(logo.URL, base)
			png, ok := out[file]
			switch {
			case logo.Type != "ImageObject":
				t.Errorf("%s: publisher.logo is a %q; want an ImageObject", name, logo.Type)
			case !strings.HasPrefix(logo.URL, base+"assets/") || !ok:
				t.Errorf("%s: publisher.logo %s is not a file of the build under assets/", name, logo.URL)
			default:
				c, format, err := image.DecodeConfig(bytes.NewReader(png))
				if err != nil || format != "png" {
					t.Errorf("%s: publisher.logo %s is not a PNG: %v", name, file, err)
				} else if c.Width != logo.Width || c.Height != logo.Height {
					t.Errorf("%s: publisher.logo says %d×%d; the file is %d×%d", name, logo.Width, logo.Height, c.Width, c.Height)
				}
				if logo.Width < 112 || logo.Height < 112 {
					t.Errorf("%s: publisher.logo is %d×%d; want at least 112×112", name, logo.Width, logo.Height)
				}
			}
		}

		// The corrections box: one <li> per correction, its <time> first.
		var shown [][2]string
		for _, sec := range find(doc, func(n *html.Node) bool { return n.Data == "section" && attr(n, "class") == "corrections" }) {
			for _, li := range find(sec, tag("li")) {
				date := ""
				if ts := find(li, tag("time")); len(ts) > 0 {
					date = attr(ts[0], "datetime")
				}
				shown = append(shown, [2]string{date, strings.TrimSpace(strings.TrimPrefix(text(li), text(find(li, tag("time"))[0])))})
			}
		}
		if len(shown) > 0 {
			withCorrections++
		}
		if len(a.Correction) != len(shown) {
			t.Errorf("%s: JSON-LD has %d corrections; the page shows %d", name, len(a.Correction), len(shown))
			continue
		}
		for i, c := range a.Correction {
			d, err := time.Parse(time.RFC3339, c.DatePublished)
			switch {
			case c.Type != "CorrectionComment":
				t.Errorf("%s: correction %d is a %q; want a CorrectionComment", name, i, c.Type)
			case err != nil:
				t.Errorf("%s: correction %d: datePublished: %v", name, i, err)
			case d.Format("2006-01-02") != shown[i][0]:
				t.Errorf("%s: correction %d is dated %s; the page shows %s", name, i, c.DatePublished, shown[i][0])
			case c.Text != shown[i][1]:
				t.Errorf("%s: correction %d says %q; the page shows %q", name, i, c.Text, shown[i][1])
			}
		}
	}
	if reports < 4 || withCorrections < 2 {
		t.Fatalf("found %d report pages, %d with corrections; want the sample's reports, both editions of qingxi-river-dikes with corrections", reports, withCorrections)
	}
}
