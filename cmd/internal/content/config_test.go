package content

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"dateline/cmd/internal/problem"
)

func siteFS(toml string) fstest.MapFS {
	return fstest.MapFS{ConfigFile: &fstest.MapFile{Data: []byte(toml)}}
}

func TestLoadConfigDefaults(t *testing.T) {
	cfg, ps := LoadConfig(fstest.MapFS{})
	if len(ps) > 0 {
		t.Fatalf("LoadConfig(no file) problems: %v", ps)
	}
	want := &Config{
		BaseURL:  DefaultBaseURL,
		Location: time.UTC,
		Languages: []Language{
			{Key: "zh", Tag: "zh-CN", Name: "中文", Title: "深度报道"},
			{Key: "en", Tag: "en", Name: "English", Title: "Features"},
		},
		Publisher:     Publisher{Name: "深度报道", URL: DefaultBaseURL},
		publisherURL:  true,
		FrontPageSize: DefaultFrontPageSize,
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("LoadConfig(no file) =\n%+v\nwant\n%+v", cfg, want)
	}
	if d := cfg.Default(); d.Key != "zh" {
		t.Errorf("Default() = %q; want zh", d.Key)
	}
}

func TestLoadConfig(t *testing.T) {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	tests := []struct {
		name string
		toml string
		want *Config
		ps   []problem.Problem
	}{
		{"three languages, default by key when no zh", `
base_url = "https://news.example.org/features"
timezone = "Asia/Shanghai"
theme = "night"
[languages.fr]
title = "Reportages"
[languages.en]
title = "Features"
description = "Long reads"
[languages.de]
tag = "de-DE"
name = "Deutsch"
[publisher]
name = "Example News"
logo = "logo.svg"
`, &Config{
			BaseURL:  "https://news.example.org/features/",
			Theme:    "night",
			Location: shanghai,
			Languages: []Language{
				{Key: "de", Tag: "de-DE", Name: "Deutsch", Title: "Dateline"},
				{Key: "en", Tag: "en", Name: "English", Title: "Features", Description: "Long reads"},
				{Key: "fr", Tag: "fr", Name: "fr", Title: "Reportages"},
			},
			Publisher:    Publisher{Name: "Example News", URL: "https://news.example.org/features/", Logo: "logo.svg"},
			publisherURL: true,
		}, nil},
		{"default_language and titles", `
default_language = "en"
[languages.zh]
[languages.en]
[languages.ja]
name = "日本語"
[publisher]
url = "https://example.org"
`, &Config{
			BaseURL:  DefaultBaseURL,
			Location: time.UTC,
			Languages: []Language{
				{Key: "en", Tag: "en", Name: "English", Title: "Features"},
				{Key: "ja", Tag: "ja", Name: "日本語", Title: "Features"},
				{Key: "zh", Tag: "zh-CN", Name: "中文", Title: "深度报道"},
			},
			Publisher: Publisher{Name: "Features", URL: "https://example.org/"},
		}, nil},
		{"unknown keys are warnings", "base_url = \"https://a.example/\"\ntitel = \"x\"\n[languages.zh]\ntitle = \"t\"\nsubtitle = \"s\"\n", &Config{
			BaseURL:      "https://a.example/",
			Location:     time.UTC,
			Languages:    []Language{{Key: "zh", Tag: "zh-CN", Name: "中文", Title: "t"}},
			Publisher:    Publisher{Name: "t", URL: "https://a.example/"},
			publisherURL: true,
		}, []problem.Problem{
			problem.Warnf(ConfigFile, 2, `unknown setting "titel"`),
			problem.Warnf(ConfigFile, 5, `unknown setting "languages.zh.subtitle"`),
		}},
		{"broken toml", "base_url = \"https://a.example/\"\n\n[languages.zh\ntitle = \"t\"\n", nil, []problem.Problem{
			problem.Errorf(ConfigFile, 3, "expected '.' or ']' to end table name, but got '\\n' instead"),
		}},
		{"nested too deeply", "base_url = \"https://a.example/\"\n[publisher]\nname = " + strings.Repeat("{a=", 4000) + "1" + strings.Repeat("}", 4000) + "\n", nil, []problem.Problem{
			problem.Errorf(ConfigFile, 3, "nested too deeply (more than 32 levels)"),
		}},
		{"wrong type", "[languages]\nzh = \"中文\"\n", nil, []problem.Problem{
			problem.Errorf(ConfigFile, 2, "languages.zh has the wrong type (a table of tag, name, title and description)"),
		}},
		{"bad timezone", "timezone = \"Asia/Shang\"\n", nil, []problem.Problem{
			problem.Errorf(ConfigFile, 1, `unknown timezone "Asia/Shang" (use an IANA name such as "Asia/Shanghai" or "UTC")`),
		}},
		{"local timezone", "\ntimezone = \"Local\"\n", nil, []problem.Problem{
			problem.Errorf(ConfigFile, 2, `timezone "Local" depends on the machine; name the zone, such as "Asia/Shanghai"`),
		}},
		{"relative base_url", "base_url = \"news.example.org\"\n", nil, []problem.Problem{
			problem.Errorf(ConfigFile, 1, `base_url "news.example.org" must be an absolute http or https URL (such as "https://news.example.org/")`),
		}},
		{"ftp base_url", "base_url = \"ftp://news.example.org/\"\n", nil, []problem.Problem{
			problem.Errorf(ConfigFile, 1, `base_url "ftp://news.example.org/" must be an absolute http or https URL`),
		}},
		{"path-only base_url", "base_url = \"/news/\"\n", nil, []problem.Problem{
			problem.Errorf(ConfigFile, 1, `base_url "/news/" must be an absolute http or https URL`),
		}},
		{"unknown default language", "default_language = \"fr\"\n", nil, []problem.Problem{
			problem.Errorf(ConfigFile, 1, `default_language "fr" is not one of the languages (zh, en)`),
		}},
		{"bad language key and tag", "[languages.ZH]\n[languages.en]\ntag = \"en_US\"\n", nil, []problem.Problem{
			problem.Errorf(ConfigFile, 1, `language key "ZH" must be lowercase letters, digits and hyphens, such as "zh" or "pt-br"`),
			problem.Errorf(ConfigFile, 3, `languages.en.tag "en_US" is not a language tag such as "zh-CN" or "en"`),
		}},
		{"empty languages table", "[languages]\n", nil, []problem.Problem{
			problem.Errorf(ConfigFile, 1, "no languages: add a [languages.<key>] table per language, such as [languages.zh]"),
		}},
		{"publisher url", "[publisher]\nurl = \"example.org\"\n", nil, []problem.Problem{
			problem.Errorf(ConfigFile, 2, `publisher.url "example.org" must be an absolute http or https URL (such as "https://example.org/")`),
		}},
		{"base_url with a query", "base_url = \"https://a.example/?x=1\"\n", nil, []problem.Problem{
			problem.Errorf(ConfigFile, 1, `base_url "https://a.example/?x=1" must not have a query or fragment`),
		}},
		{"invalid utf-8", "base_url = \"https://a.example/\"\n# \xff\n", nil, []problem.Problem{
			problem.Errorf(ConfigFile, 2, "invalid UTF-8"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, ps := LoadConfig(siteFS(tt.toml))
			if !reflect.DeepEqual(ps, tt.ps) {
				t.Errorf("LoadConfig problems:\n%s\nwant:\n%s", list(ps), list(tt.ps))
			}
			if tt.want != nil && tt.want.FrontPageSize == 0 {
				tt.want.FrontPageSize = DefaultFrontPageSize
			}
			if !reflect.DeepEqual(cfg, tt.want) {
				t.Errorf("LoadConfig =\n%+v\nwant\n%+v", cfg, tt.want)
			}
		})
	}
}

func TestSetBaseURL(t *testing.T) {
	cfg := DefaultConfig()
	if err := cfg.SetBaseURL("https://cdn.example.org/news"); err != nil {
		t.Fatal(err)
	}
	if cfg.BaseURL != "https://cdn.example.org/news/" || cfg.Publisher.URL != cfg.BaseURL {
		t.Errorf("BaseURL, Publisher.URL = %q, %q; want both https://cdn.example.org/news/", cfg.BaseURL, cfg.Publisher.URL)
	}
	cfg, _ = LoadConfig(siteFS("[publisher]\nurl = \"https://example.org/\"\n"))
	cfg.SetBaseURL("https://cdn.example.org/")
	if cfg.Publisher.URL != "https://example.org/" {
		t.Errorf("Publisher.URL = %q; want site.toml's https://example.org/", cfg.Publisher.URL)
	}
	if err := cfg.SetBaseURL("example.org"); err == nil {
		t.Error("SetBaseURL(example.org) = nil; want an error")
	}
}

func TestTOMLLines(t *testing.T) {
	src := `# comment
title = "t"
"quoted key" = 1
hero.src = "a"
text = """
fake = "not a key"
"""
[languages.zh]
title = "x"
[[authors]]
name = "a"
[[authors]]
name = "b"
[ 'pub' . "x" ]
y = [
  "z = 1",
]
`
	want := map[string]int{
		"title": 2, "quoted key": 3, "hero": 4, "hero.src": 4, "text": 5,
		"languages": 8, "languages.zh": 8, "languages.zh.title": 9,
		"authors": 10, "authors.0": 10, "authors.0.name": 11, "authors.1": 12, "authors.1.name": 13,
		"pub": 14, "pub.x": 14, "pub.x.y": 15,
	}
	if got := tomlLines([]byte(src)); !reflect.DeepEqual(got, want) {
		t.Errorf("tomlLines =\n%v\nwant\n%v", got, want)
	}
}

// FuzzLoadConfig checks that no site.toml makes LoadConfig panic, and that
// a Config it returns is usable.
func FuzzLoadConfig(f *testing.F) {
	for _, s := range []string{
		"", "base_url = \"https://a.example/x\"\ntimezone = \"Asia/Shanghai\"\n[languages.zh]\n[languages.en]\n",
		"default_language = \"en\"\n[languages.en]\ntitle = \"T\"\n[publisher]\nname = \"P\"\n",
		"[languages]\nzh = 1\n", "[[languages]]\n", "a.b.c = 1\n[x.'y'.\"z\"]\n", "t = \"\"\"\n[a]\n\"\"\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, ps := LoadConfig(fstest.MapFS{ConfigFile: {Data: data}})
		for _, p := range ps {
			if p.File != ConfigFile || p.Line < 0 || p.Text == "" {
				t.Errorf("bad problem %+v", p)
			}
		}
		if (cfg == nil) != (len(problem.Errors(ps, false)) > 0) {
			t.Fatalf("config %v with problems %v", cfg != nil, ps)
		}
		if cfg == nil {
			return
		}
		if !strings.HasSuffix(cfg.BaseURL, "/") || cfg.Location == nil || len(cfg.Languages) == 0 || cfg.Publisher.URL == "" {
			t.Errorf("unusable config %+v", cfg)
		}
		for _, l := range cfg.Languages {
			if !ValidSlug(l.Key) || l.Tag == "" || l.Name == "" || l.Title == "" {
				t.Errorf("unusable language %+v", l)
			}
		}
	})
}

// TestTOMLTooDeep checks the line on which TOML nests deeper than
// maxNesting, and that what only looks deep (brackets in strings and
// comments, many shallow tables) passes.
func TestTOMLTooDeep(t *testing.T) {
	deep := func(open, close string, n int) string {
		return strings.Repeat(open, n) + strings.Repeat(close, n)
	}
	dotted := func(n int) string { return strings.Repeat("a.", n-1) + "a" }
	tests := []struct {
		name, in string
		want     int
	}{
		{"front matter", "title = \"t\"\ndate = 2025-01-01\ntags = [\"a\", \"b\"]\n[hero]\nsrc = \"x.jpg\"\n[[authors]]\nname = \"n\"\n[[corrections]]\ndate = 2025-01-02\ntext = \"x\"\n", 0},
		{"32 arrays", "a = " + deep("[", "]", 32), 0},
		{"33 arrays", "a = " + deep("[", "]", 33), 1},
		{"33 inline tables", "\n\na = " + deep("{b = ", "}", 33), 3},
		{"33 arrays over lines", "a = " + deep("[\n", "]\n", 33), 33},
		{"arrays and tables", "a = " + deep("[{b = ", "}]", 17), 1},
		{"33 dotted key parts: 32 tables", dotted(33) + " = 1", 0},
		{"34 dotted key parts", dotted(34) + " = 1", 1},
		{"dotted keys in an inline table", "x = {" + dotted(33) + " = 1}", 1},
		{"a key's parts and its value", dotted(20) + " = " + deep("[", "]", 13), 0},
		{"a key's parts and its value, one more", dotted(20) + " = " + deep("[", "]", 14), 1},
		{"33 header parts", "title = \"t\"\n[" + dotted(33) + "]\n", 2},
		{"31 array header parts: 32 levels", "[[" + dotted(31) + "]]\n", 0},
		{"32 array header parts", "[[" + dotted(32) + "]]\n", 1},
		{"header then keys", "[" + dotted(20) + "]\n" + dotted(13) + " = 1\n", 0},
		{"header then keys, one more", "[" + dotted(20) + "]\n" + dotted(14) + " = 1\n", 2},
		{"a header resets", "[" + dotted(20) + "]\nx = 1\n[b]\n" + dotted(30) + " = 1\n", 0},
		{"siblings are not nested", "a = [" + strings.Repeat("[1], ", 100) + "]\nb = {" + strings.Repeat("c = {d = 1}, ", 0) + "c = {d = 1}, e = {f = 2}}", 0},
		{"brackets in strings", "a = \"" + strings.Repeat("[", 40) + "\"\nb = '" + strings.Repeat("{", 40) + "'", 0},
		{"brackets in comments", "a = 1 # " + strings.Repeat("[", 40), 0},
		{"escaped quote", `a = "\"[[[[" # ` + strings.Repeat("[", 40), 0},
		{"multi-line strings", "a = \"\"\"\n" + strings.Repeat("[", 40) + "\n\"\"\"\nb = '''\n" + strings.Repeat("{", 40) + "'''\nc = " + deep("[", "]", 33), 6},
		{"dots in values", "a = 1.5\nb = [1.5, 2.5]\nc = {d = 1.5}", 0},
		{"quoted dotted key", `"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d.e.f.g" = 1`, 0},
	}
	for _, tt := range tests {
		if got := tomlTooDeep([]byte(tt.in)); got != tt.want {
			t.Errorf("%s: tomlTooDeep(%.60q…) = %d; want %d", tt.name, tt.in, got, tt.want)
		}
	}
}
