package content

import (
	"strings"
	"testing"
)

func TestSeriesConfig(t *testing.T) {
	for _, tc := range []struct {
		toml  string
		title string // the zh title of series "dikes" when there is no problem
		msg   string // the one problem, "" for none
	}{
		{"[series.dikes]\nzh = \"大堤\"\nen = \"Dikes\"\n", "大堤", ""},
		{"[series.dikes]\nen = \"Dikes\"\nsummary = { zh = \"两篇\", en = \"Two parts\" }\n", "Dikes", ""},
		{"[series.Dikes]\nzh = \"大堤\"\n", "", `content/site.toml:1: series key "Dikes" must be lowercase`},
		{"[series.dikes]\nsummary = { zh = \"两篇\" }\n", "", `content/site.toml:1: series "dikes" has no title`},
		{"[series.dikes]\nzh = 3\n", "", "content/site.toml:2: series.dikes.zh must be the title in quotes"},
		{"[series.dikes]\nzh = \"大堤\"\nsummary = \"两篇\"\n", "", "content/site.toml:3: series.dikes.summary must be a table of text by language"},
		{"[series.dikes]\nzh = \"大堤\"\nfr = \"Digues\"\n", "", `content/site.toml:3: warning: series.dikes: "fr" is not one of the languages`},
	} {
		cfg, ps := LoadConfig(siteFS(tc.toml))
		if tc.msg == "" {
			s, ok := seriesOf(cfg, "dikes")
			if len(ps) > 0 || !ok || s.Title("zh", cfg.Languages) != tc.title {
				t.Errorf("%q: series %+v, problems %v; want title %q", tc.toml, s, ps, tc.title)
			}
			continue
		}
		if len(ps) != 1 || !strings.HasPrefix(ps[0].String(), tc.msg) {
			t.Errorf("%q: problems %v; want one starting %q", tc.toml, ps, tc.msg)
		}
	}
}

// seriesOf is cfg.SeriesByKey for a Config that may be nil.
func seriesOf(cfg *Config, key string) (Series, bool) {
	if cfg == nil {
		return Series{}, false
	}
	return cfg.SeriesByKey(key)
}

func TestSeriesFrontMatter(t *testing.T) {
	cfg, ps := LoadConfig(siteFS("[series.dikes]\nzh = \"大堤\"\n"))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	const head = "---\ntitle: T\ndate: 2025-01-01\n"
	for _, tc := range []struct {
		fm     string
		series string
		part   int
		msg    string // the one problem, "" for none
	}{
		{"series: dikes\npart: 2\n", "dikes", 2, ""},
		{"part: 1\nseries: dikes\n", "dikes", 1, ""},
		{"", "", 0, ""},
		{"series: floods\npart: 1\n", "", 0, `content/a/zh.md:4: series "floods" is not declared in content/site.toml (declared: dikes)`},
		{"series: dikes\n", "", 0, "content/a/zh.md:4: series without part"},
		{"part: 3\n", "", 0, "content/a/zh.md:4: part without series"},
		{"series: dikes\npart: 0\n", "", 0, "content/a/zh.md:5: part must be a whole number from 1 to 999, not 0"},
		{"series: dikes\npart: 1.5\n", "", 0, "content/a/zh.md:5: part must be a whole number"},
		{"series: dikes\npart: \"2\"\n", "", 0, "content/a/zh.md:5: part must be a whole number"},
		{"series: [dikes]\npart: 2\n", "", 0, "content/a/zh.md:4: series must be text"},
	} {
		e, ps := ParseEdition("content/a/zh.md", []byte(head+tc.fm+"---\nBody.\n"), cfg)
		if tc.msg == "" {
			if len(ps) > 0 || e == nil || e.SeriesKey != tc.series || e.Part != tc.part {
				t.Errorf("%q: edition %+v, problems %v; want series %q part %d", tc.fm, e, ps, tc.series, tc.part)
			}
			continue
		}
		if e != nil || len(ps) != 1 || !strings.HasPrefix(ps[0].String(), tc.msg) {
			t.Errorf("%q: problems %v; want one starting %q", tc.fm, ps, tc.msg)
		}
	}
}
