package theme

import "time"

// Strings are one language's UI words, read from the theme's
// i18n/<lang>.toml. Layouts call its methods: {{.T.Get "read_more"}},
// {{.T.Date .Report.Date}}.
type Strings struct {
	Lang string
	m    map[string]string
}

// Get returns the string for key, or key itself when the file lacks it.
func (s *Strings) Get(key string) string {
	if v, ok := s.m[key]; ok {
		return v
	}
	return key
}

// Date formats t as a date in the language: "2025年6月12日", "June 12, 2025".
func (s *Strings) Date(t time.Time) string { return t.Format(s.Get("date_format")) }
