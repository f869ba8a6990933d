package theme

import (
	"html/template"
	"os"
	"testing"
	"time"

	"dateline/themes"
)

// Fixtures: the sample report of the seed story, in both languages, as the
// site would hand it to the default theme.

var (
	zhLang = Lang{Key: "zh", Tag: "zh-CN", Name: "中文"}
	enLang = Lang{Key: "en", Tag: "en", Name: "English"}
	langs  = []Lang{zhLang, enLang}
	base   = "https://news.example.org/"
)

func loadDefault(t testing.TB) *Set {
	t.Helper()
	s, ps := Load(themes.Default(), "themes/default")
	if s == nil || len(ps) > 0 {
		t.Fatalf("Load(default) = %v, %v", s, ps)
	}
	return s
}

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func langOf(key string) Lang {
	if key == "en" {
		return enLang
	}
	return zhLang
}

// fixtureReport returns the sample report's edition in lang, with body.
func fixtureReport(t testing.TB, s *Set, lang string, body bool) *Report {
	t.Helper()
	T := s.Strings(lang)
	r := &Report{
		Slug:    "yuhang",
		Lang:    langOf(lang),
		URL:     "/" + lang + "/yuhang/",
		Date:    date("2025-06-12T08:00:00+08:00"),
		Updated: date("2025-06-13T10:30:00+08:00"),
		Hero: &Image{
			URL: "/assets/photos/hero.jpg", Abs: base + "assets/photos/hero.jpg",
			Width: 1600, Height: 900,
			Srcset: "/assets/photos/hero.800.jpg 800w, /assets/photos/hero.jpg 1600w",
			Sizes:  "(min-width: 64em) 60rem, 100vw",
		},
		ReadingMinutes: 8,
	}
	stopTitles := map[string][]string{
		"zh": {"余杭区“市民之家”", "社会治理综合服务中心", "杭州城市大脑", "阿里云总部飞天园区"},
		"en": {"The Citizens’ Hall", "The Social Governance Service Centre", "Hangzhou City Brain", "Alibaba Cloud’s Feitian campus"},
	}[lang]
	for i, title := range stopTitles {
		n := i + 1
		r.Stops = append(r.Stops, Stop{N: n, ID: "stop-" + string(rune('0'+n)), Label: T.StopLabel(n), Title: title})
	}
	if lang == "zh" {
		r.Title = "巧用“他山之石”攻“西美高新”之玉"
		r.Subtitle = "郑州高新区党政考察团走进杭州余杭探寻“数智治理”之路"
		r.Dateline = "杭州"
		r.Summary = "郑州高新区党政考察团走进杭州余杭，一天半的时间里走访四站，学习智慧城市建设经验。"
		r.Authors = []Author{{Name: "孙庆辉", Role: "文/图"}}
		r.Tags = []string{"数智治理", "考察"}
		r.Hero.Alt = "余杭区“市民之家”外景"
		r.Hero.Caption = "余杭区“市民之家”，考察团的第一站"
		r.Hero.Credit = "摄影：孙庆辉"
		r.Corrections = []Correction{{Date: date("2025-06-13T00:00:00+08:00"), Text: "本文此前将余杭区面积误写为1282平方公里，应为1228平方公里。"}}
	} else {
		r.Title = "Borrowing stones from another hill"
		r.Subtitle = "Officials from Zhengzhou’s high-tech zone go to Yuhang, Hangzhou, in search of “smart governance”"
		r.Dateline = "Hangzhou"
		r.Summary = "A delegation from Zhengzhou spends a day and a half in Yuhang, visiting four stops to learn how a city is governed with data."
		r.Authors = []Author{{Name: "Sun Qinghui", Role: "Text and photos"}, {Name: "Li Ming", Role: "Translation"}}
		r.Tags = []string{"Smart governance", "Field trip"}
		r.Hero.Alt = "The Citizens’ Hall in Yuhang from outside"
		r.Hero.Caption = "Yuhang’s Citizens’ Hall, the delegation’s first stop"
		r.Hero.Credit = "Photo: Sun Qinghui"
		r.Corrections = []Correction{{Date: date("2025-06-13T00:00:00+08:00"), Text: "An earlier version gave Yuhang’s area as 1,282 square kilometres; it is 1,228."}}
	}
	r.DateText = T.Date(r.Date)
	r.UpdatedText = T.Date(r.Updated)
	r.CreditsLine = T.CreditsLine(r.Authors)
	r.ReadingTime = T.ReadingTime(r.ReadingMinutes)
	for i := range r.Corrections {
		r.Corrections[i].DateText = T.Date(r.Corrections[i].Date)
	}
	if body {
		data, err := os.ReadFile("testdata/body_" + lang + ".html")
		if err != nil {
			t.Fatal(err)
		}
		r.Body = template.HTML(data)
	}
	return r
}

func basePage(s *Set, kind, lang, url string) *Page {
	return &Page{
		Kind:      kind,
		Lang:      langOf(lang),
		Languages: langs,
		T:         s.Strings(lang),
		SiteTitle: map[string]string{"zh": "深度报道", "en": "Dateline Features"}[lang],
		URL:       url,
		Canonical: base + url[1:],
		BaseURL:   base,
		Feed:      base + lang + "/feed.xml",
		Home:      "/" + lang + "/",
		CSS:       []string{"/assets/css/dateline.3f2a9c1e.css"},
		JS:        []string{"/assets/js/journey.8b1d0e77.js"},
		Now:       date("2025-06-14T09:00:00+08:00"),
	}
}

// reportPage is the report page in lang; editions lists the languages the
// report exists in.
func reportPage(t testing.TB, s *Set, lang string, editions ...string) *Page {
	t.Helper()
	if len(editions) == 0 {
		editions = []string{"zh", "en"}
	}
	p := basePage(s, "report", lang, "/"+lang+"/yuhang/")
	p.Report = fixtureReport(t, s, lang, true)
	p.Title = p.Report.Title
	p.Description = p.Report.Summary
	for _, e := range editions {
		p.Alternates = append(p.Alternates, Alternate{Lang: langOf(e), URL: "/" + e + "/yuhang/", Href: base + e + "/yuhang/", Current: e == lang})
	}
	p.XDefault = base + editions[0] + "/yuhang/"
	p.Head = template.HTML(`<meta property="og:title" content="` + template.HTMLEscapeString(p.Title) + `">`)
	return p
}

func frontAlternates(current string) []Alternate {
	var as []Alternate
	for _, l := range langs {
		as = append(as, Alternate{Lang: l, URL: "/" + l.Key + "/", Href: base + l.Key + "/", Current: l.Key == current})
	}
	return as
}

func frontPage(t testing.TB, s *Set, lang string) *Page {
	t.Helper()
	p := basePage(s, "front", lang, "/"+lang+"/")
	p.Title = p.SiteTitle
	p.Description = map[string]string{"zh": "调查与深度报道。", "en": "Investigations and long reads."}[lang]
	first := fixtureReport(t, s, lang, false)
	second := fixtureReport(t, s, lang, false)
	second.Slug, second.URL = "river", "/"+lang+"/river/"
	second.Title = map[string]string{"zh": "一条河的两岸", "en": "Two banks of one river"}[lang]
	second.Subtitle, second.Hero, second.Stops = "", nil, nil
	second.Updated, second.UpdatedText = time.Time{}, ""
	second.Date = date("2025-05-30T08:00:00+08:00")
	second.DateText = s.Strings(lang).Date(second.Date)
	p.Reports = []*Report{first, second}
	p.Alternates = frontAlternates(lang)
	p.XDefault = base
	return p
}

func rootPage(t testing.TB, s *Set) *Page {
	t.Helper()
	p := basePage(s, "root", "zh", "/")
	p.Title, p.Feed = p.SiteTitle, ""
	for _, l := range langs {
		f := frontPage(t, s, l.Key)
		p.Fronts = append(p.Fronts, Front{Lang: l, T: s.Strings(l.Key), Title: f.SiteTitle, URL: "/" + l.Key + "/", Latest: f.Reports})
	}
	p.Alternates = frontAlternates("")
	p.XDefault = base
	return p
}

func notFoundPage(s *Set, lang string) *Page {
	p := basePage(s, "404", lang, "/"+lang+"/404.html")
	p.Title = s.Strings(lang).Get("not_found_title")
	return p
}
