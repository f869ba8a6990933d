package theme

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"dateline/cmd/internal/problem"
)

// Strings are one language's UI words, read from the theme's
// i18n/<lang>.toml. Layouts call its methods: {{.T.Get "read_more"}},
// {{.T.Date .Report.Date}}.
//
// A key the language's file lacks is looked up in the fallback language's
// file (en), then in a few built-in English defaults for the keys the
// methods below need, and is finally returned as itself.
type Strings struct {
	Lang  string
	m     map[string]string
	lists map[string][]string
	// fallback is the theme's en strings (nil for en itself).
	fallback *Strings
}

// builtin holds the words the methods need when a theme's files lack them,
// so a custom theme with one incomplete file still renders sensible text.
var builtin = map[string]string{
	"date_format":          "January 2, 2006",
	"datetime_format":      "January 2, 2006, 15:04",
	"stop_label":           "Stop {n}",
	"stop_label_beyond":    "Stop {n}",
	"reading_time":         "{n} min read",
	"stops":                "{n} stops",
	"stops_one":            "1 stop",
	"stops_line":           "{count}: {list}",
	"stops_line_sep":       " → ",
	"credit_role":          "{role}: {names}",
	"credit_role_slash":    "{role}: {names}",
	"credit_names_sep":     ", ",
	"credit_names_last":    " and ",
	"credit_sep":           " · ",
	"skip_link":            "Skip to main content",
	"not_found_title":      "Page not found",
	"draft_banner":         "Draft",
	"embargo_banner":       "Embargoed until",
	"languages":            "Languages",
	"journey":              "The journey",
	"updated":              "Updated",
	"correction":           "Correction",
	"corrections":          "Corrections",
	"preview_errors":       "Build errors",
	"preview_warnings":     "{n} warnings",
	"preview_warnings_one": "1 warning",
}

// Get returns the string for key, or key itself when no file has it.
func (s *Strings) Get(key string) string {
	if v, ok := s.lookup(key); ok {
		return v
	}
	return key
}

func (s *Strings) lookup(key string) (string, bool) {
	for t := s; t != nil; t = t.fallback {
		if v, ok := t.m[key]; ok {
			return v, true
		}
	}
	v, ok := builtin[key]
	return v, ok
}

func (s *Strings) list(key string) []string {
	for t := s; t != nil; t = t.fallback {
		if v, ok := t.lists[key]; ok {
			return v
		}
	}
	return nil
}

// N returns the string for key with {n} replaced by n. For n == 1 the key
// key+"_one" of the same file is used when it exists: {{.T.N "stops" 4}} →
// "4 stops", {{.T.N "stops" 1}} → "1 stop".
func (s *Strings) N(key string, n int) string {
	m := builtin
	for t := s; t != nil; t = t.fallback {
		if _, ok := t.m[key]; ok {
			m = t.m
			break
		}
	}
	v, ok := m[key]
	if !ok {
		v = key
	}
	if one, ok := m[key+"_one"]; ok && n == 1 {
		v = one
	}
	return fill(v, "n", strconv.Itoa(n))
}

// Date formats t as a date in the language ("2025年6月12日",
// "June 12, 2025") with the Go layout in date_format.
func (s *Strings) Date(t time.Time) string { return t.Format(s.Get("date_format")) }

// DateTime formats t as a date and time ("2025年6月12日 08:00") with the Go
// layout in datetime_format.
func (s *Strings) DateTime(t time.Time) string { return t.Format(s.Get("datetime_format")) }

// StopLabel returns the label of stop n: "第一站" … "第九十九站", "第100站";
// "First stop" … "Twentieth stop", "Stop 21".
//
// The file says how: stop_label is the pattern with {n} for the number
// word; stop_numerals = "chinese" spells 1…99 in Chinese numerals, otherwise
// the list stop_ordinals gives the words for 1, 2, …; a number beyond them
// uses stop_label_beyond with {n} in digits.
func (s *Strings) StopLabel(n int) string {
	word := ""
	if s.Get("stop_numerals") == "chinese" {
		word = chineseNumeral(n)
	} else if ords := s.list("stop_ordinals"); n >= 1 && n <= len(ords) {
		word = ords[n-1]
	}
	if word == "" {
		return fill(s.Get("stop_label_beyond"), "n", strconv.Itoa(n))
	}
	return fill(s.Get("stop_label"), "n", word)
}

// chineseNumeral spells 1…99 in Chinese numerals (一, 十, 十一, 二十,
// 九十九); it returns "" for any other n.
func chineseNumeral(n int) string {
	const digits = "〇一二三四五六七八九"
	d := []rune(digits)
	switch {
	case n < 1 || n > 99:
		return ""
	case n < 10:
		return string(d[n])
	}
	var b strings.Builder
	if n >= 20 {
		b.WriteRune(d[n/10])
	}
	b.WriteRune('十')
	if n%10 != 0 {
		b.WriteRune(d[n%10])
	}
	return b.String()
}

// ReadingTime returns the localized reading time ("阅读约 8 分钟",
// "8 min read") from reading_time (and reading_time_one); anything under a
// minute counts as one.
func (s *Strings) ReadingTime(minutes int) string { return s.N("reading_time", max(minutes, 1)) }

// A Credit is one role of a byline with every name that has it.
type Credit struct {
	Role  string   // "文/图", "Photos"; "" for names without a role
	Names []string // in byline order
	Text  string   // the names joined: "李明、周晓雨", "Li Ming and Zhou Xiaoyu"
	// People are the names with what goes before each (the separator
	// Text uses) and the author page of each, for bylines that link.
	People []CreditPerson
}

// CreditPerson is one name of a Credit.
type CreditPerson struct {
	Sep  string // "" for the first name, else "、", ", ", " and "
	Name string
	URL  string // site-relative author page, "" for none
}

// Credits groups authors by role, in the order each role first appears.
// Authors without a name are left out.
func (s *Strings) Credits(authors []Author) []Credit {
	var cs []Credit
	for _, a := range authors {
		name, role := strings.TrimSpace(a.Name), strings.TrimSpace(a.Role)
		if name == "" {
			continue
		}
		i := slices.IndexFunc(cs, func(c Credit) bool { return c.Role == role })
		if i < 0 {
			cs = append(cs, Credit{Role: role})
			i = len(cs) - 1
		}
		cs[i].Names = append(cs[i].Names, name)
		cs[i].People = append(cs[i].People, CreditPerson{Name: name, URL: a.URL})
	}
	for i := range cs {
		cs[i].Text = s.joinNames(cs[i].Names)
		for j := range cs[i].People {
			switch n := len(cs[i].People); {
			case j == 0:
			case j == n-1:
				cs[i].People[j].Sep = s.Get("credit_names_last")
			default:
				cs[i].People[j].Sep = s.Get("credit_names_sep")
			}
		}
	}
	return cs
}

func (s *Strings) joinNames(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], s.Get("credit_names_sep")) + s.Get("credit_names_last") + names[len(names)-1]
}

// CreditsLine returns the credits line of a report: "文/李明 图/周晓雨",
// "文/图 孙庆辉", "Text: Li Ming · Photos: Zhou Xiaoyu".
//
// Each role is written with credit_role ({role} and {names}), or with
// credit_role_slash when the role itself holds a "/"; names of one role are
// joined with credit_names_sep (credit_names_last before the last one) and
// roles with credit_sep. A name without a role stands alone.
func (s *Strings) CreditsLine(authors []Author) string {
	var parts []string
	for _, c := range s.Credits(authors) {
		pattern := "credit_role"
		switch {
		case c.Role == "":
			parts = append(parts, c.Text)
			continue
		case strings.Contains(c.Role, "/"):
			pattern = "credit_role_slash"
		}
		parts = append(parts, fill(fill(s.Get(pattern), "role", c.Role), "names", c.Text))
	}
	return strings.Join(parts, s.Get("credit_sep"))
}

// StopsLine returns a report's stops on one line for front pages:
// "4站：市民之家 → 杭州城市大脑 → …", "4 stops: Citizens' Hall → …".
// It is "" without stops. A stop without a title is written as its label.
func (s *Strings) StopsLine(stops []Stop) string {
	if len(stops) == 0 {
		return ""
	}
	titles := make([]string, len(stops))
	for i, st := range stops {
		titles[i] = st.Title
		if titles[i] == "" {
			titles[i] = st.Label
		}
	}
	line := fill(s.Get("stops_line"), "count", s.N("stops", len(stops)))
	return fill(line, "list", strings.Join(titles, s.Get("stops_line_sep")))
}

// fill replaces {name} in pattern with value.
func fill(pattern, name, value string) string {
	return strings.ReplaceAll(pattern, "{"+name+"}", value)
}

// parseStrings reads one i18n file: top-level string values, lists of
// strings, and tables whose keys are joined with dots ("nav.home").
func parseStrings(lang, file string, data []byte) (*Strings, []problem.Problem) {
	var raw map[string]any
	_, err := toml.Decode(string(data), &raw)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, []problem.Problem{problem.Errorf(file, perr.Position.Line, "%s", lowerFirst(perr.Message))}
		}
		return nil, []problem.Problem{problem.Errorf(file, 0, "%v", err)}
	}
	s := &Strings{Lang: lang, m: map[string]string{}, lists: map[string][]string{}}
	var ps []problem.Problem
	var walk func(prefix []string, v map[string]any)
	walk = func(prefix []string, v map[string]any) {
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			path := append(slices.Clip(prefix), k)
			key := strings.Join(path, ".")
			switch x := v[k].(type) {
			case string:
				s.m[key] = x
			case map[string]any:
				walk(path, x)
			case []any:
				list := make([]string, 0, len(x))
				for _, e := range x {
					str, ok := e.(string)
					if !ok {
						ps = append(ps, problem.Errorf(file, 0, "%s: a list of strings is expected", key))
						list = nil
						break
					}
					list = append(list, str)
				}
				if list != nil {
					s.lists[key] = list
				}
			default:
				s.m[key] = fmt.Sprint(x)
			}
		}
	}
	walk(nil, raw)
	return s, ps
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
