package theme

import (
	"bytes"
	"dateline/cmd/internal/publish"
	"strings"
	"testing"

	"dateline/cmd/internal/problem"
)

const enToml = "hello = \"Hello\"\n"

func TestLoadProblems(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // on top of minimalTheme's
		want  []string          // problem strings (prefixes), in order
		exact bool              // the strings are whole
	}{
		{
			name: "unclosed action",
			files: map[string]string{
				"i18n/en.toml":        enToml,
				"layouts/report.html": "<!doctype html>\n<html>\n<body>\n<h1>{{.Title</h1>\n</body>\n",
			},
			want: []string{`themes/mine/layouts/report.html:4: `},
		},
		{
			name: "unknown function",
			files: map[string]string{
				"i18n/en.toml":       enToml,
				"layouts/front.html": "<p>\n{{.Title}}\n\n{{shout .Title}}</p>\n",
			},
			want: []string{`themes/mine/layouts/front.html:4: function "shout" not defined`},
		},
		{
			name: "broken partial",
			files: map[string]string{
				"i18n/en.toml":               enToml,
				"layouts/partials/head.html": "{{define \"head\"}}\n<title>{{end}}\n{{end}}\n",
			},
			want: []string{`themes/mine/layouts/partials/head.html:3: unexpected {{end}}`},
		},
		{
			name: "escaping error in a partial",
			files: map[string]string{
				"i18n/en.toml":               enToml,
				"layouts/partials/link.html": "{{define \"link\"}}\n\n<a href=\"{{if .URL}}/x/{{else}}/search?q={{end}}{{.Title}}\">x</a>\n{{end}}\n",
				"layouts/404.html":           "<p>{{template \"link\" .}}</p>",
			},
			want: []string{`themes/mine/layouts/partials/link.html:3:`},
		},
		{
			name: "layout ends inside an attribute",
			files: map[string]string{
				"i18n/en.toml":     enToml,
				"layouts/404.html": "<p>\n<a href=\"{{.URL}}\n",
			},
			want:  []string{`themes/mine/layouts/404.html: ends in a non-text context`},
			exact: true,
		},
		{
			name:  "missing layouts and strings",
			files: map[string]string{"layouts/root.html": ""},
			want:  []string{"themes/mine/i18n: no string files"},
		},
		{
			name: "bad toml",
			files: map[string]string{
				"i18n/en.toml": enToml,
				"i18n/zh.toml": "hello = \"你好\"\n\nbye = \n",
			},
			want: []string{"themes/mine/i18n/zh.toml:3: "},
		},
		{
			name: "list of numbers",
			files: map[string]string{
				"i18n/en.toml": enToml + "stop_ordinals = [1, 2]\n",
			},
			want: []string{"themes/mine/i18n/en.toml: stop_ordinals: a list of strings is expected"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := minimalTheme(tt.files)
			if tt.name == "missing layouts and strings" {
				delete(fsys, "layouts/report.html")
			}
			s, ps := Load(fsys, "themes/mine")
			if s != nil {
				t.Errorf("Load returned a Set despite errors %v", ps)
			}
			errs := problem.Errors(ps, false)
			if len(errs) < len(tt.want) {
				t.Fatalf("Load problems = %v; want %q", ps, tt.want)
			}
			for i, w := range tt.want {
				if got := errs[i].String(); !strings.HasPrefix(got, w) || tt.exact && got != w {
					t.Errorf("problem %d = %q; want prefix %q", i, got, w)
				}
			}
		})
	}
}

func TestLoadMissingLayout(t *testing.T) {
	fsys := minimalTheme(map[string]string{"i18n/en.toml": enToml})
	delete(fsys, "layouts/404.html")
	s, ps := Load(fsys, "themes/mine")
	if s != nil || len(ps) != 1 || ps[0].String() != "themes/mine/layouts/404.html: missing layout for 404 pages" {
		t.Errorf("Load without 404.html = %v, %v; want one error naming 404.html", s, ps)
	}
}

func TestExecuteError(t *testing.T) {
	fsys := minimalTheme(map[string]string{
		"i18n/en.toml":               enToml,
		"layouts/partials/meta.html": "{{define \"meta\"}}\n\n<p>{{.Report.Title}}</p>{{end}}",
		"layouts/report.html":        "<!doctype html>\n{{template \"meta\" .}}\n<p>{{.Nope}}</p>\n",
		"layouts/front.html":         "<!doctype html>\n{{template \"meta\" .}}\n",
	})
	s, ps := Load(fsys, "themes/mine")
	if s == nil {
		t.Fatalf("Load: %v", ps)
	}
	tests := []struct {
		kind string
		want string
	}{
		// The front page has no report: the partial fails on its line 3, at
		// the column of .Report.Title.
		{"front", "themes/mine/layouts/partials/meta.html:3:12: "},
		{"report", "themes/mine/layouts/report.html:3:5: "},
		{"list", "themes/mine/layouts/list.html: no layout for \"list\" pages"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		p := &Page{Kind: tt.kind}
		if tt.kind == "report" {
			p.Report = &Report{Title: "x"}
		}
		err := s.Execute(&buf, p)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Execute(%s) = %v; want an error starting %q", tt.kind, err, tt.want)
		}
		if buf.Len() != 0 {
			t.Errorf("Execute(%s) wrote %q despite failing", tt.kind, buf.String())
		}
	}
}

func TestExecuteDefaultsStrings(t *testing.T) {
	s, ps := Load(minimalTheme(map[string]string{"i18n/en.toml": enToml}), "themes/mine")
	if s == nil {
		t.Fatalf("Load: %v", ps)
	}
	var buf bytes.Buffer
	if err := s.Execute(&buf, &Page{Kind: "root"}); err != nil || buf.String() != "<p>Hello</p>" {
		t.Errorf("Execute without T = %q, %v; want %q", buf.String(), err, "<p>Hello</p>")
	}
}

func TestStatic(t *testing.T) {
	fsys := minimalTheme(map[string]string{
		"i18n/en.toml":          enToml,
		"static/js/b.js":        "b",
		"static/css/z.css":      "z",
		"static/css/a.css":      "a",
		"static/icons/home.svg": "<svg/>",
		"static/.DS_Store":      "junk",
	})
	s, ps := Load(fsys, "themes/mine")
	if s == nil {
		t.Fatalf("Load: %v", ps)
	}
	var got []string
	for _, f := range s.Static() {
		got = append(got, f.Path+"="+string(f.Data))
	}
	want := "css/a.css=a css/z.css=z icons/home.svg=<svg/> js/b.js=b"
	if strings.Join(got, " ") != want {
		t.Errorf("Static() = %q; want %q", got, want)
	}
}

func TestDefaultThemeStatic(t *testing.T) {
	s := loadDefault(t)
	var css, js int
	m := publish.NewMinifier() // the build's own
	for _, f := range s.Static() {
		min, err := m.File(f.Path, f.Data)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasPrefix(f.Path, "css/"):
			css += len(min)
		case strings.HasPrefix(f.Path, "js/"):
			js += len(min)
		}
	}
	// Budgets: the report page with its CSS and JS stays far under 60 KB.
	// (18 KiB since the series, onward and listing-page rules came in.)
	// CSS and JS are weighed as they ship, minified, so that their
	// comments cost nothing.
	if css == 0 || css > 18<<10 {
		t.Errorf("default theme CSS is %d bytes minified; want 1…18 KiB", css)
	}
	if js == 0 || js > 3<<10 {
		t.Errorf("default theme JS is %d bytes minified; want 1…3 KiB", js)
	}
	if ws := s.Check("zh", "en"); len(ws) != 0 {
		t.Errorf("Check(zh, en) = %v; want none", ws)
	}
}
