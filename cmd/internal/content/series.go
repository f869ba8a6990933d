package content

import (
	"maps"
	"math"
	"slices"
	"strings"

	"dateline/cmd/internal/problem"
)

// A Series is a [series.KEY] table of site.toml: a multi-part
// investigation, with a title per language and an optional summary per
// language, in the shape of [authors.KEY]:
//
//	[series.qingxi-dikes]
//	zh = "清溪河堤防调查"
//	en = "The Qingxi River dikes"
//	summary = { zh = "…", en = "…" }
//
// A report joins it with `series: qingxi-dikes` and `part: 2`.
type Series struct {
	Key     string
	Titles  map[string]string // by language key
	Summary map[string]string // by language key
	Line    int
}

// Title returns the series' title in lang, else in the first language
// that has one, else its key.
func (s Series) Title(lang string, langs []Language) string {
	return Topic{Key: s.Key, Names: s.Titles}.Name(lang, langs)
}

// SeriesByKey returns the series with key.
func (c *Config) SeriesByKey(key string) (Series, bool) {
	i := slices.IndexFunc(c.Series, func(s Series) bool { return s.Key == key })
	if i < 0 {
		return Series{}, false
	}
	return c.Series[i], true
}

// parseSeries reads the [series.KEY] tables into c.Series, sorted by key.
func (c *Config) parseSeries(tables map[string]map[string]any, line func(string) int) []problem.Problem {
	var ps []problem.Problem
	errorf := func(at, format string, args ...any) {
		ps = append(ps, problem.Errorf(ConfigFile, line(at), format, args...))
	}
	for _, key := range slices.Sorted(maps.Keys(tables)) {
		at := "series." + key
		if !ValidSlug(key) {
			errorf(at, "series key %q must be lowercase letters, digits and hyphens, such as \"river-dikes\"", key)
			continue
		}
		s := Series{Key: key, Titles: map[string]string{}, Summary: map[string]string{}, Line: line(at)}
		n := len(ps)
		for field, v := range tables[key] {
			switch field {
			case "summary":
				s.Summary = c.textByLanguage(at+".summary", v, errorf)
			default:
				if text, ok := c.languageText(at, field, v, "title", " or summary", line, &ps); ok {
					s.Titles[field] = text
				}
			}
		}
		if len(s.Titles) == 0 {
			if len(problem.Errors(ps[n:], false)) == 0 {
				errorf(at, "series %q has no title: give one per language, such as zh = \"…\" and en = \"…\"", key)
			}
			continue
		}
		c.Series = append(c.Series, s)
	}
	return ps
}

// seriesField checks the series or part field of front matter.
func (c *checker) seriesField(f field) {
	e := c.e
	switch f.key {
	case "series":
		s, ok := c.text(f.key, f.line, f.val)
		switch {
		case !ok:
		case s == "":
			c.errorf(f.line, "series is empty: name a [series.KEY] of content/site.toml")
		case c.cfg != nil && !c.knownSeries(s):
			c.errorf(f.line, "series %q is not declared in content/site.toml%s", s, c.seriesHint())
		default:
			e.SeriesKey = s
		}
	case "part":
		n, ok := wholeNumber(f.val)
		if !ok || n < 1 || n > 999 {
			c.errorf(f.line, "part must be a whole number from 1 to 999, not %s", shown(f.val))
			return
		}
		e.Part = n
	}
}

func (c *checker) knownSeries(key string) bool {
	_, ok := c.cfg.SeriesByKey(key)
	return ok
}

// seriesHint lists the declared series, or says how to declare one.
func (c *checker) seriesHint() string {
	if len(c.cfg.Series) == 0 {
		return ": add a [series.KEY] table with a title per language"
	}
	var ks []string
	for _, s := range c.cfg.Series {
		ks = append(ks, s.Key)
	}
	return " (declared: " + strings.Join(ks, ", ") + ")"
}

// seriesPair reports a part without a series, or a series without a part.
func (c *checker) seriesPair() {
	var seriesLine, partLine int
	for _, f := range c.d.fields {
		switch f.key {
		case "series":
			seriesLine = f.line
		case "part":
			partLine = f.line
		}
	}
	switch {
	case seriesLine > 0 && partLine == 0:
		c.errorf(seriesLine, "series without part: add `part: N`, this report's number in the series")
	case partLine > 0 && seriesLine == 0:
		c.errorf(partLine, "part without series: add `series: KEY`, a [series.KEY] of content/site.toml")
	}
}

// wholeNumber returns v as an int when it is a whole number.
func wholeNumber(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		if n >= math.MinInt32 && n <= math.MaxInt32 {
			return int(n), true
		}
	case uint64:
		if n <= math.MaxInt32 {
			return int(n), true
		}
	case float64:
		if n == math.Trunc(n) && math.Abs(n) <= math.MaxInt32 {
			return int(n), true
		}
	}
	return 0, false
}
