package content

import (
	"maps"
	"slices"
	"strings"

	"dateline/cmd/internal/problem"
)

// DefaultFrontPageSize is front_page_size when site.toml does not set it.
const DefaultFrontPageSize = 24

// maxFrontPageSize bounds front_page_size so that no listing page grows
// past 100 KB of HTML.
const maxFrontPageSize = 100

// ReservedSlugs are the folder names a report may not take: the paths of
// the listing pages beside the reports (/<lang>/page/2/, /<lang>/topics/…).
var ReservedSlugs = []string{"assets", "authors", "page", "search", "series", "topics"}

// A Topic is a [topics.KEY] table of site.toml: a key and a name per
// language (`[topics.flood] zh = "防汛" en = "Flood control"`).
type Topic struct {
	Key   string
	Names map[string]string // by language key
	Line  int               // of the table in content/site.toml
}

// Name returns the topic's name in lang, else in the first language that
// has one (in site order), else its key.
func (t Topic) Name(lang string, langs []Language) string {
	if n := t.Names[lang]; n != "" {
		return n
	}
	for _, l := range langs {
		if n := t.Names[l.Key]; n != "" {
			return n
		}
	}
	return t.Key
}

// parseTopics reads the [topics.KEY] tables into c.Topics, sorted by key.
// A key that is not a slug, or a topic with a name given twice, is an
// error; a name for a language the site lacks is a warning.
func (c *Config) parseTopics(tables map[string]map[string]string, line func(string) int) []problem.Problem {
	var ps []problem.Problem
	owner := map[string]string{} // folded key or name → topic key
	names := make([]string, 0, len(tables))
	for k := range tables {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, key := range names {
		at := "topics." + key
		if !ValidSlug(key) {
			ps = append(ps, problem.Errorf(ConfigFile, line(at), "topic key %q must be lowercase letters, digits and hyphens, such as \"flood\"", key))
			continue
		}
		t := Topic{Key: key, Names: map[string]string{}, Line: line(at)}
		claim := func(name string, l int) {
			f := strings.ToLower(name)
			if o, ok := owner[f]; ok && o != key {
				ps = append(ps, problem.Errorf(ConfigFile, l, "topic %q: %q already names topic %q", key, name, o))
				return
			}
			owner[f] = key
		}
		claim(key, t.Line)
		for lang, name := range tables[key] {
			name = strings.TrimSpace(name)
			if _, ok := c.Language(lang); !ok {
				ps = append(ps, problem.Warnf(ConfigFile, line(at+"."+lang), "topic %q: %q is not one of the languages (%s)", key, lang, keys(c.Languages)))
				continue
			}
			if name == "" {
				ps = append(ps, problem.Errorf(ConfigFile, line(at+"."+lang), "topic %q: empty name for %s", key, lang))
				continue
			}
			claim(name, line(at+"."+lang))
			t.Names[lang] = name
		}
		c.Topics = append(c.Topics, t)
	}
	return ps
}

// ResolveTag returns the key of the topic a tag names: its key, or one of
// its names in any language (case does not matter).
func (c *Config) ResolveTag(tag string) (string, bool) {
	f := strings.ToLower(strings.TrimSpace(tag))
	for _, t := range c.Topics {
		if strings.ToLower(t.Key) == f {
			return t.Key, true
		}
		for _, n := range t.Names {
			if strings.ToLower(n) == f {
				return t.Key, true
			}
		}
	}
	return "", false
}

// Topic returns the topic with key.
func (c *Config) Topic(key string) (Topic, bool) {
	i := slices.IndexFunc(c.Topics, func(t Topic) bool { return t.Key == key })
	if i < 0 {
		return Topic{}, false
	}
	return c.Topics[i], true
}

// A Person is an [authors.KEY] table of site.toml: a name per language,
// an optional url and an optional bio per language:
//
//	[authors.li-ming]
//	zh = "李明"
//	en = "Li Ming"
//	url = "https://example.org/li-ming"
//	bio = { zh = "…", en = "…" }
type Person struct {
	Key   string
	Names map[string]string // by language key
	URL   string
	Bio   map[string]string // by language key
	Line  int
}

// Name returns the person's name in lang, else in the first language
// that has one, else the key.
func (p Person) Name(lang string, langs []Language) string {
	return Topic{Key: p.Key, Names: p.Names}.Name(lang, langs)
}

// parseAuthors reads the [authors.KEY] tables into c.People, sorted by key.
func (c *Config) parseAuthors(tables map[string]map[string]any, line func(string) int) []problem.Problem {
	var ps []problem.Problem
	errorf := func(at, format string, args ...any) {
		ps = append(ps, problem.Errorf(ConfigFile, line(at), format, args...))
	}
	owner := map[string]string{}
	for _, key := range slices.Sorted(maps.Keys(tables)) {
		at := "authors." + key
		if !ValidSlug(key) {
			errorf(at, "author key %q must be lowercase letters, digits and hyphens, such as \"li-ming\"", key)
			continue
		}
		p := Person{Key: key, Names: map[string]string{}, Bio: map[string]string{}, Line: line(at)}
		for field, v := range tables[key] {
			switch field {
			case "url":
				s, ok := v.(string)
				u, err := NormalizeBaseURL(strings.TrimSpace(s))
				if !ok || err != nil {
					errorf(at+".url", "authors.%s.url must be an absolute http or https URL", key)
					continue
				}
				p.URL = u
			case "bio":
				p.Bio = c.textByLanguage(at+".bio", v, errorf)
			default:
				s, ok := c.languageText(at, field, v, "name", ", url or bio", line, &ps)
				if !ok {
					continue
				}
				f := strings.ToLower(s)
				if o, dup := owner[f]; dup && o != key {
					errorf(at+"."+field, "author %q: %q already names author %q", key, s, o)
					continue
				}
				owner[f] = key
				p.Names[field] = s
			}
		}
		c.People = append(c.People, p)
	}
	return ps
}

// textByLanguage reads v, the field at (such as "authors.li-ming.bio") of
// a [KIND.KEY] table: a table of text by language, { zh = "…", en = "…" }.
func (c *Config) textByLanguage(at string, v any, errorf func(at, format string, args ...any)) map[string]string {
	out := map[string]string{}
	m, ok := v.(map[string]any)
	if !ok {
		field := at[strings.LastIndexByte(at, '.')+1:]
		errorf(at, "%s must be a table of text by language: %s = { zh = \"…\", en = \"…\" }", at, field)
		return out
	}
	for lang, t := range m {
		text, ok := t.(string)
		if _, known := c.Language(lang); !ok || !known {
			errorf(at+"."+lang, "%s.%s must be text in quotes for one of the languages (%s)", at, lang, keys(c.Languages))
			continue
		}
		out[lang] = strings.TrimSpace(text)
	}
	return out
}

// languageText reads v, the field lang of the [KIND.KEY] table at (such as
// "series.dikes"): its name or title (what) in that language, trimmed. A
// field that is no language is a warning naming the others the table
// takes; an empty or non-text value is an error.
func (c *Config) languageText(at, lang string, v any, what, others string, line func(string) int, ps *[]problem.Problem) (string, bool) {
	if _, known := c.Language(lang); !known {
		*ps = append(*ps, problem.Warnf(ConfigFile, line(at+"."+lang), "%s: %q is not one of the languages (%s)%s", at, lang, keys(c.Languages), others))
		return "", false
	}
	text, ok := v.(string)
	if text = strings.TrimSpace(text); !ok || text == "" {
		*ps = append(*ps, problem.Errorf(ConfigFile, line(at+"."+lang), "%s.%s must be the %s in quotes", at, lang, what))
		return "", false
	}
	return text, true
}

// ResolvePerson returns the [authors.KEY] entry a byline name matches: one
// of its names in any language, or its key (case does not matter).
func (c *Config) ResolvePerson(name string) (Person, bool) {
	f := strings.ToLower(strings.TrimSpace(name))
	for _, p := range c.People {
		if p.Key == f {
			return p, true
		}
		for _, n := range p.Names {
			if strings.ToLower(n) == f {
				return p, true
			}
		}
	}
	return Person{}, false
}
