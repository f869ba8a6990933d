package content

import (
	"strings"
	"testing"
)

func TestFrontPageSize(t *testing.T) {
	for _, tc := range []struct {
		toml string
		want int
		msg  string // the one problem, "" for none
	}{
		{"", DefaultFrontPageSize, ""},
		{"front_page_size = 10\n", 10, ""},
		{"base_url = \"https://x.org/\"\nfront_page_size = 0\n", 0, "content/site.toml:2: front_page_size 0 must be between 1 and 100"},
		{"front_page_size = 1000\n", 0, "content/site.toml:1: front_page_size 1000 must be between 1 and 100"},
		{"front_page_size = \"ten\"\n", 0, "content/site.toml:1: front_page_size has the wrong type (a whole number such as 24)"},
	} {
		cfg, ps := LoadConfig(siteFS(tc.toml))
		if tc.msg == "" {
			if len(ps) > 0 || cfg == nil || cfg.FrontPageSize != tc.want {
				t.Errorf("%q: FrontPageSize %v, problems %v; want %d", tc.toml, cfg, ps, tc.want)
			}
			continue
		}
		if cfg != nil || len(ps) != 1 || !strings.HasPrefix(ps[0].String(), tc.msg) {
			t.Errorf("%q: problems %v; want one starting %q", tc.toml, ps, tc.msg)
		}
	}
}

func TestTopics(t *testing.T) {
	const site = `[topics.flood]
zh = "防汛"
en = "Flood control"

[topics.health]
zh = "医疗"
en = "Health care"
`
	cfg, ps := LoadConfig(siteFS(site))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	for _, tc := range []struct {
		tag, key string
	}{
		{"flood", "flood"}, {"防汛", "flood"}, {"Flood control", "flood"}, {"flood CONTROL", "flood"},
		{" 医疗 ", "health"}, {"Health", "health"}, {"Healthy", ""}, {"drought", ""}, {"", ""},
	} {
		key, ok := cfg.ResolveTag(tc.tag)
		if key != tc.key || ok != (tc.key != "") {
			t.Errorf("ResolveTag(%q) = %q, %v; want %q", tc.tag, key, ok, tc.key)
		}
	}
	if tp, _ := cfg.Topic("flood"); tp.Name("en", cfg.Languages) != "Flood control" || tp.Name("fr", cfg.Languages) != "防汛" || tp.Line != 1 {
		t.Errorf("Topic(flood) = %+v", tp)
	}

	for _, tc := range []struct{ toml, msg string }{
		{"[topics.Flood]\nzh = \"防汛\"\n", "content/site.toml:1: topic key \"Flood\" must be lowercase letters, digits and hyphens, such as \"flood\""},
		{"[topics.a]\nzh = \"防汛\"\n[topics.b]\nzh = \"防汛\"\n", "content/site.toml:4: topic \"b\": \"防汛\" already names topic \"a\""},
		{"[topics.a]\nzh = \"\"\n", "content/site.toml:2: topic \"a\": empty name for zh"},
		{"[topics.a]\nfr = \"Crues\"\n", "content/site.toml:2: warning: topic \"a\": \"fr\" is not one of the languages (zh, en)"},
	} {
		_, ps := LoadConfig(siteFS(tc.toml))
		if len(ps) != 1 || ps[0].String() != tc.msg {
			t.Errorf("%q: problems %v; want %q", tc.toml, ps, tc.msg)
		}
	}
}

func TestAuthors(t *testing.T) {
	cfg, ps := LoadConfig(siteFS("[authors.li-ming]\nzh = \"李明\"\nen = \"Li Ming\"\nurl = \"https://li.example\"\nbio = { zh = \"记者\", en = \"Reporter\" }\n"))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	for _, name := range []string{"李明", "li ming", "li-ming"} {
		if p, ok := cfg.ResolvePerson(name); !ok || p.Key != "li-ming" || p.URL != "https://li.example/" || p.Bio["en"] != "Reporter" {
			t.Errorf("ResolvePerson(%q) = %+v, %v", name, p, ok)
		}
	}
	if _, ok := cfg.ResolvePerson("Li"); ok {
		t.Error("ResolvePerson(Li) matched")
	}
	for _, tc := range []struct{ toml, msg string }{
		{"[authors.Li]\nzh = \"李明\"\n", "content/site.toml:1: author key \"Li\" must be lowercase letters, digits and hyphens, such as \"li-ming\""},
		{"[authors.a]\nzh = \"李明\"\n[authors.b]\nzh = \"李明\"\n", "content/site.toml:4: author \"b\": \"李明\" already names author \"a\""},
		{"[authors.a]\nzh = \"李明\"\nurl = \"li.example\"\n", "content/site.toml:3: authors.a.url must be an absolute http or https URL"},
		{"[authors.a]\nzh = 3\n", "content/site.toml:2: authors.a.zh must be the name in quotes"},
		{"[authors.a]\nzh = \"李明\"\nemail = \"x\"\n", "content/site.toml:3: warning: authors.a: \"email\" is not one of the languages (zh, en), url or bio"},
	} {
		_, ps := LoadConfig(siteFS(tc.toml))
		if len(ps) != 1 || ps[0].String() != tc.msg {
			t.Errorf("%q: problems %v; want %q", tc.toml, ps, tc.msg)
		}
	}
}
