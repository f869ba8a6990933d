package theme

import (
	"testing"
	"testing/fstest"
	"time"
)

func TestDate(t *testing.T) {
	s := loadDefault(t)
	when := time.Date(2025, 6, 12, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	tests := []struct {
		lang, date, dateTime string
	}{
		{"zh", "2025年6月12日", "2025年6月12日 08:00"},
		{"en", "June 12, 2025", "June 12, 2025, 08:00"},
	}
	for _, tt := range tests {
		T := s.Strings(tt.lang)
		if got := T.Date(when); got != tt.date {
			t.Errorf("%s: Date(%v) = %q; want %q", tt.lang, when, got, tt.date)
		}
		if got := T.DateTime(when); got != tt.dateTime {
			t.Errorf("%s: DateTime(%v) = %q; want %q", tt.lang, when, got, tt.dateTime)
		}
	}
}

func TestStopLabel(t *testing.T) {
	s := loadDefault(t)
	tests := []struct {
		n      int
		zh, en string
	}{
		{1, "第一站", "First stop"},
		{2, "第二站", "Second stop"},
		{4, "第四站", "Fourth stop"},
		{10, "第十站", "Tenth stop"},
		{11, "第十一站", "Eleventh stop"},
		{12, "第十二站", "Twelfth stop"},
		{20, "第二十站", "Twentieth stop"},
		{21, "第二十一站", "Stop 21"},
		{30, "第三十站", "Stop 30"},
		{99, "第九十九站", "Stop 99"},
		{100, "第100站", "Stop 100"},
		{0, "第0站", "Stop 0"},
	}
	zh, en := s.Strings("zh"), s.Strings("en")
	for _, tt := range tests {
		if got := zh.StopLabel(tt.n); got != tt.zh {
			t.Errorf("zh: StopLabel(%d) = %q; want %q", tt.n, got, tt.zh)
		}
		if got := en.StopLabel(tt.n); got != tt.en {
			t.Errorf("en: StopLabel(%d) = %q; want %q", tt.n, got, tt.en)
		}
	}
}

func TestReadingTime(t *testing.T) {
	s := loadDefault(t)
	tests := []struct {
		minutes int
		zh, en  string
	}{
		{8, "阅读约 8 分钟", "8 min read"},
		{1, "阅读约 1 分钟", "1 min read"},
		{0, "阅读约 1 分钟", "1 min read"},
		{42, "阅读约 42 分钟", "42 min read"},
	}
	for _, tt := range tests {
		if got := s.Strings("zh").ReadingTime(tt.minutes); got != tt.zh {
			t.Errorf("zh: ReadingTime(%d) = %q; want %q", tt.minutes, got, tt.zh)
		}
		if got := s.Strings("en").ReadingTime(tt.minutes); got != tt.en {
			t.Errorf("en: ReadingTime(%d) = %q; want %q", tt.minutes, got, tt.en)
		}
	}
}

func TestCreditsLine(t *testing.T) {
	s := loadDefault(t)
	tests := []struct {
		name    string
		lang    string
		authors []Author
		want    string
	}{
		{"zh two roles", "zh", []Author{{Name: "李明", Role: "文"}, {Name: "周晓雨", Role: "图"}}, "文/李明 图/周晓雨"},
		{"zh 文/图 one person", "zh", []Author{{Name: "孙庆辉", Role: "文/图"}}, "文/图 孙庆辉"},
		{"zh names share a role", "zh", []Author{{Name: "李明", Role: "文"}, {Name: "周晓雨", Role: "图"}, {Name: "王芳", Role: "文"}}, "文/李明、王芳 图/周晓雨"},
		{"zh three names", "zh", []Author{{Name: "甲", Role: "文"}, {Name: "乙", Role: "文"}, {Name: "丙", Role: "文"}}, "文/甲、乙、丙"},
		{"zh no role", "zh", []Author{{Name: "孙庆辉", Role: ""}, {Name: "周晓雨", Role: "图"}}, "孙庆辉 图/周晓雨"},
		{"zh spaces trimmed", "zh", []Author{{Name: " 李明 ", Role: " 文 "}}, "文/李明"},
		{"zh empty name skipped", "zh", []Author{{Name: "", Role: "文"}, {Name: "周晓雨", Role: "图"}}, "图/周晓雨"},
		{"none", "zh", nil, ""},
		{"en two roles", "en", []Author{{Name: "Li Ming", Role: "Text"}, {Name: "Zhou Xiaoyu", Role: "Photos"}}, "Text: Li Ming · Photos: Zhou Xiaoyu"},
		{"en one person two jobs", "en", []Author{{Name: "Sun Qinghui", Role: "Text and photos"}}, "Text and photos: Sun Qinghui"},
		{"en slash role", "en", []Author{{Name: "Sun Qinghui", Role: "Text/Photos"}}, "Text/Photos: Sun Qinghui"},
		{"en two names", "en", []Author{{Name: "Li Ming", Role: "Text"}, {Name: "Wang Fang", Role: "Text"}}, "Text: Li Ming and Wang Fang"},
		{"en three names", "en", []Author{{Name: "A", Role: "Text"}, {Name: "B", Role: "Text"}, {Name: "C", Role: "Text"}}, "Text: A, B and C"},
	}
	for _, tt := range tests {
		if got := s.Strings(tt.lang).CreditsLine(tt.authors); got != tt.want {
			t.Errorf("%s: CreditsLine(%v) = %q; want %q", tt.name, tt.authors, got, tt.want)
		}
	}
}

func TestCredits(t *testing.T) {
	s := loadDefault(t)
	got := s.Strings("en").Credits([]Author{{Name: "Li Ming", Role: "Text"}, {Name: "Zhou Xiaoyu", Role: "Photos"}, {Name: "Wang Fang", Role: "Text"}})
	want := []Credit{
		{Role: "Text", Names: []string{"Li Ming", "Wang Fang"}, Text: "Li Ming and Wang Fang"},
		{Role: "Photos", Names: []string{"Zhou Xiaoyu"}, Text: "Zhou Xiaoyu"},
	}
	if len(got) != len(want) {
		t.Fatalf("Credits = %+v; want %+v", got, want)
	}
	for i := range want {
		if got[i].Role != want[i].Role || got[i].Text != want[i].Text || len(got[i].Names) != len(want[i].Names) {
			t.Errorf("Credits[%d] = %+v; want %+v", i, got[i], want[i])
		}
	}
}

func TestStopsLine(t *testing.T) {
	s := loadDefault(t)
	four := func(lang string, titles ...string) []Stop {
		var st []Stop
		for i, title := range titles {
			st = append(st, Stop{N: i + 1, Label: s.Strings(lang).StopLabel(i + 1), Title: title})
		}
		return st
	}
	tests := []struct {
		name  string
		lang  string
		stops []Stop
		want  string
	}{
		{"zh four", "zh", four("zh", "市民之家", "社会治理综合服务中心", "杭州城市大脑", "阿里云总部飞天园区"),
			"4站：市民之家 → 社会治理综合服务中心 → 杭州城市大脑 → 阿里云总部飞天园区"},
		{"zh one", "zh", four("zh", "市民之家"), "1站：市民之家"},
		{"zh untitled uses label", "zh", four("zh", "市民之家", ""), "2站：市民之家 → 第二站"},
		{"en four", "en", four("en", "Citizens' Hall", "Service Centre", "City Brain", "Feitian"),
			"4 stops: Citizens' Hall → Service Centre → City Brain → Feitian"},
		{"en one", "en", four("en", "Citizens' Hall"), "1 stop: Citizens' Hall"},
		{"none", "en", nil, ""},
	}
	for _, tt := range tests {
		if got := s.Strings(tt.lang).StopsLine(tt.stops); got != tt.want {
			t.Errorf("%s: StopsLine = %q; want %q", tt.name, got, tt.want)
		}
	}
}

func TestGetAndN(t *testing.T) {
	s := loadDefault(t)
	tests := []struct {
		lang, key string
		n         int // -1: Get
		want      string
	}{
		{"zh", "journey", -1, "行程"},
		{"en", "journey", -1, "The journey"},
		{"zh", "correction", -1, "更正"},
		{"en", "correction", -1, "Correction"},
		{"zh", "draft", -1, "草稿"},
		{"en", "embargoed", -1, "Embargoed"},
		{"zh", "skip_link", -1, "跳到正文"},
		{"en", "no_such_key", -1, "no_such_key"},
		{"en", "stops", 1, "1 stop"},
		{"en", "stops", 3, "3 stops"},
		// zh has no stops_one: en's plural form must not leak into zh.
		{"zh", "stops", 1, "1站"},
		{"zh", "preview_warnings", 1, "1 条警告"},
		{"en", "preview_warnings", 1, "1 warning"},
		{"en", "preview_warnings", 2, "2 warnings"},
	}
	for _, tt := range tests {
		T := s.Strings(tt.lang)
		var got string
		if tt.n < 0 {
			got = T.Get(tt.key)
		} else {
			got = T.N(tt.key, tt.n)
		}
		if got != tt.want {
			t.Errorf("%s: %s(%d) = %q; want %q", tt.lang, tt.key, tt.n, got, tt.want)
		}
	}
}

// minimalTheme is a theme with trivial layouts and the given i18n files.
func minimalTheme(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, k := range required {
		fsys["layouts/"+k+".html"] = &fstest.MapFile{Data: []byte(`<p>{{.T.Get "hello"}}</p>`)}
	}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

func TestStringsFallback(t *testing.T) {
	fsys := minimalTheme(map[string]string{
		"i18n/en.toml": "hello = \"Hello\"\nbye = \"Bye\"\nstop_label = \"{n} stop\"\nstop_ordinals = [\"First\"]\n",
		"i18n/fr.toml": "hello = \"Bonjour\"\n[nav]\nhome = \"Accueil\"\n",
	})
	s, ps := Load(fsys, "themes/mine")
	if s == nil {
		t.Fatalf("Load: %v", ps)
	}
	// fr lacks "bye": a warning naming the file.
	if len(ps) != 1 || ps[0].File != "themes/mine/i18n/fr.toml" || ps[0].Text != "missing bye, stop_label (taken from en.toml)" {
		t.Errorf("Load problems = %v; want one warning about fr.toml", ps)
	}
	fr := s.Strings("fr")
	for key, want := range map[string]string{"hello": "Bonjour", "bye": "Bye", "nav.home": "Accueil"} {
		if got := fr.Get(key); got != want {
			t.Errorf("fr: Get(%q) = %q; want %q", key, got, want)
		}
	}
	if got := fr.StopLabel(1); got != "First stop" {
		t.Errorf("fr: StopLabel(1) = %q; want the en fallback %q", got, "First stop")
	}
	// A language without a file gets en, and Check says so.
	if got := s.Strings("de").Get("hello"); got != "Hello" {
		t.Errorf("de: Get(hello) = %q; want %q", got, "Hello")
	}
	ws := s.Check("en", "fr", "de")
	if len(ws) != 1 || ws[0].File != "themes/mine/i18n/de.toml" || ws[0].Line != 0 {
		t.Errorf("Check(en, fr, de) = %v; want one warning for de", ws)
	}
	// Built-in words stand in for keys no file has.
	if got := s.Strings("fr").Date(time.Date(2025, 6, 12, 0, 0, 0, 0, time.UTC)); got != "June 12, 2025" {
		t.Errorf("fr: Date = %q; want the built-in layout", got)
	}
}

func TestChineseNumeral(t *testing.T) {
	want := map[int]string{1: "一", 9: "九", 10: "十", 15: "十五", 20: "二十", 21: "二十一", 90: "九十", 99: "九十九", 0: "", 100: "", -3: ""}
	for n, w := range want {
		if got := chineseNumeral(n); got != w {
			t.Errorf("chineseNumeral(%d) = %q; want %q", n, got, w)
		}
	}
}
