package theme

import (
	"strings"
	"testing"
)

func TestPhrases(t *testing.T) {
	for _, c := range []struct{ lang, in, want string }{
		{"zh", "今天是晴天。", "今天<wbr>是<wbr>晴天。"},
		{"zh-CN", "今天是晴天。", "今天<wbr>是<wbr>晴天。"},
		{"zh-Hant", "今天是晴天。", "今天是晴天。"}, // the model is Simplified Chinese
		{"en", "Rivers & dikes", "Rivers &amp; dikes"},
		{"zh", "<b>", "&lt;b&gt;"},
	} {
		if got := string(phrases(c.lang, c.in)); got != c.want {
			t.Errorf("phrases(%q, %q) = %q, want %q", c.lang, c.in, got, c.want)
		}
		// The memo of a Set: the same the first time and every time after.
		var pm phraseMemo
		for range 2 {
			if got := string(pm.phrases(c.lang, c.in)); got != c.want {
				t.Errorf("phraseMemo.phrases(%q, %q) = %q, want %q", c.lang, c.in, got, c.want)
			}
		}
	}
}

// TestPhrasesRemembered: a headline shown again (in a list, an onward
// link) is not split again: the memo hands back what it made.
func TestPhrasesRemembered(t *testing.T) {
	var pm phraseMemo
	const title = "数字乡村建设的浙江样本：从一条河说起"
	first := pm.phrases("zh", title)
	if n := testing.AllocsPerRun(50, func() {
		if pm.phrases("zh", title) != first {
			t.Fatal("a second call gave other HTML")
		}
	}); n != 0 {
		t.Errorf("phrases of a headline seen before allocated %v times; want 0 (split again)", n)
	}
}

func TestURLPath(t *testing.T) {
	for in, want := range map[string]string{
		"https://news.example.org/":          "/",
		"https://news.example.org":           "/",
		"https://news.example.org/features/": "/features/",
		"":                                   "/",
		"://bad":                             "/",
	} {
		if got := urlpath(in); got != want {
			t.Errorf("urlpath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOverlap(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		// The sample's dek and summary: the summary opens with the dek.
		{"郑州高新区党政考察团走进杭州余杭探寻“数智治理”之路", "郑州高新区党政考察团走进杭州余杭，一天半的时间里走访四站，学习智慧城市建设经验。", true},
		{"四百多个摊位换了地方，摊主们的账也换了算法", "东关夜市从老街搬到滨河广场三个月后，记者走访新址、管理办公室和收摊后的街道。", false},
		{"Officials from Zhengzhou toured Yuhang", "Officials from Zhengzhou toured Yuhang's Citizens' Hall and the City Brain.", true},
		{"A day along the river", "Three weak spots before the flood season, seen from the old dike.", false},
		{"", "anything", false},
	} {
		if got := overlap(c.a, c.b); got != c.want {
			t.Errorf("overlap(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// TestNotFoundOnStaging: a 404 page served from a staging host under a
// path links the other editions on that host, names no canonical URL and
// loads no script.
func TestNotFoundOnStaging(t *testing.T) {
	s := loadDefault(t)
	p := notFoundPage(s, "zh")
	p.BaseURL = "https://staging.example.org/features/"
	p.Canonical = p.BaseURL + "zh/404.html"
	p.JS = []string{"/features/assets/js/journey.js"}
	var b strings.Builder
	if err := s.Execute(&b, p); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{`<a href="/features/en/" hreflang="en">`, `<p class="site-footer-note" lang="en">`} {
		if !strings.Contains(html, want) {
			t.Errorf("the 404 page lacks %s", want)
		}
	}
	for _, bad := range []string{`rel="canonical"`, `<script`, `https://news.example.org/en/`} {
		if strings.Contains(html, bad) {
			t.Errorf("the 404 page has %s", bad)
		}
	}
}
