package theme

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"dateline/themes"
)

// FuzzParseStrings feeds i18n files to the parser and the methods that
// read them: nothing may panic, and every problem names the file.
func FuzzParseStrings(f *testing.F) {
	for _, name := range []string{"i18n/zh.toml", "i18n/en.toml"} {
		data, err := fs.ReadFile(themes.Default(), name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("stop_ordinals = [1, \"x\"]\n[a.b]\nc = 1\n"))
	f.Add([]byte("stop_numerals = \"chinese\"\nstop_label = \"{n}{n}\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, ps := parseStrings("xx", "themes/f/i18n/xx.toml", data)
		for _, p := range ps {
			if p.File != "themes/f/i18n/xx.toml" {
				t.Errorf("problem names %q", p.File)
			}
		}
		if s == nil {
			return
		}
		for _, n := range []int{-1, 0, 1, 11, 99, 100} {
			s.StopLabel(n)
			s.ReadingTime(n)
			s.N("stops", n)
		}
		s.CreditsLine([]Author{{Name: "李明", Role: "文/图"}, {Name: "A", Role: ""}, {Name: "B", Role: "x"}, {Name: "C", Role: "x"}})
		s.StopsLine([]Stop{{N: 1, Label: "L"}, {N: 2, Title: "T"}})
	})
}

// FuzzLoadLayout loads a theme whose report layout is the fuzz input: Load
// must not panic, must return a Set or an error, and its problems must name
// a file of the theme.
func FuzzLoadLayout(f *testing.F) {
	for _, name := range []string{"layouts/report.html", "layouts/partials/head.html", "layouts/root.html"} {
		data, err := fs.ReadFile(themes.Default(), name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add("<a href=\"{{.URL}}\n")
	f.Add("{{define \"x\"}}{{template \"x\" .}}{{end}}{{template \"x\" .}}")
	f.Add("<script>var x = {{.Title}}</script>{{.Nope}}")
	f.Fuzz(func(t *testing.T, layout string) {
		fsys := minimalTheme(map[string]string{"i18n/en.toml": enToml})
		fsys["layouts/report.html"] = &fstest.MapFile{Data: []byte(layout)}
		s, ps := Load(fsys, "themes/f")
		for _, p := range ps {
			if !strings.HasPrefix(p.File, "themes/f/layouts") {
				t.Errorf("problem names %q: %v", p.File, p)
			}
		}
		if s == nil && len(ps) == 0 {
			t.Fatalf("Load returned neither a Set nor a problem")
		}
	})
}
