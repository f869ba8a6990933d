package importer

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"golang.org/x/net/html"
	"golang.org/x/text/encoding/simplifiedchinese"

	"dateline/cmd/internal/content"
	"dateline/cmd/internal/problem"
	"dateline/cmd/internal/style"
)

var update = flag.Bool("update", false, "update golden files")

// cases returns the case files: plain text (*.txt) and Markdown (*.md)
// drafts in testdata/cases, each with its expected edition in NAME.golden.
func cases(t testing.TB) []string {
	t.Helper()
	var names []string
	for _, pat := range []string{"testdata/cases/*.txt", "testdata/cases/*.md"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, m...)
	}
	if len(names) == 0 {
		t.Fatal("no case files")
	}
	slices.Sort(names)
	return names
}

func parseFile(t testing.TB, name string) (string, *Report) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	text, _, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return text, Parse(text, Options{Markdown: strings.HasSuffix(name, ".md")})
}

// TestCases compares each case file's edition with its golden file
// (go test -update rewrites them).
func TestCases(t *testing.T) {
	for _, name := range cases(t) {
		t.Run(filepath.Base(name), func(t *testing.T) {
			_, r := parseFile(t, name)
			got := r.Markdown("2021-08-26")
			golden := strings.TrimSuffix(name, filepath.Ext(name)) + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Parse(%s) =\n%s\nwant\n%s", name, got, want)
			}
		})
	}
}

// TestFrontMatterParses reads every case's edition with the project's own
// loader: no errors, and the fields Parse found.
func TestFrontMatterParses(t *testing.T) {
	for _, name := range cases(t) {
		_, r := parseFile(t, name)
		e := loadEdition(t, r)
		if e == nil {
			continue
		}
		if e.Title != r.Title || e.Subtitle != r.Subtitle || e.Dateline != r.Dateline || !e.Draft {
			t.Errorf("%s: loaded title %q subtitle %q dateline %q draft %v; want %q %q %q true",
				name, e.Title, e.Subtitle, e.Dateline, e.Draft, r.Title, r.Subtitle, r.Dateline)
		}
		if len(e.Authors) != len(r.Authors) {
			t.Errorf("%s: loaded %d authors; want %d", name, len(e.Authors), len(r.Authors))
			continue
		}
		for i, a := range r.Authors {
			if e.Authors[i].Name != a.Name || e.Authors[i].Role != a.Role {
				t.Errorf("%s: author %d = %+v; want %+v", name, i, e.Authors[i], a)
			}
		}
	}
}

func loadEdition(t testing.TB, r *Report) *content.Edition {
	t.Helper()
	file := "content/x/" + r.Lang + ".md"
	if r.Lang != "zh" && r.Lang != "en" {
		file = "content/x/en.md"
	}
	e, ps := content.ParseEdition(file, r.Markdown("2021-08-26"), nil)
	for _, p := range ps {
		if p.Severity == problem.Error {
			t.Errorf("ParseEdition of %q: %v\n%s", r.Title, p, r.Markdown("2021-08-26"))
		}
	}
	return e
}

// TestSeed holds the done-when for the story Dateline was born
// from: four stops titled as in the seed, the 马上行动 sidebar and the
// byline as authors.
func TestSeed(t *testing.T) {
	_, r := parseFile(t, "testdata/cases/seed.txt")
	if r.Lang != "zh" || !r.LangGuessed {
		t.Errorf("language %q guessed %v; want zh guessed", r.Lang, r.LangGuessed)
	}
	if r.Title != "巧用“他山之石”攻“西美高新”之玉" || r.Subtitle != "郑州高新区党政考察团走进杭州余杭探寻“数智治理”之路" {
		t.Errorf("title %q subtitle %q", r.Title, r.Subtitle)
	}
	want := []string{
		"## 第一站 余杭区“市民之家”",
		"## 第二站 余杭区社会治理综合服务中心",
		"## 第三站 杭州城市大脑",
		"## 第四站 阿里云总部飞天园区",
	}
	var got []string
	for _, l := range strings.Split(r.Body, "\n") {
		if strings.HasPrefix(l, "#") {
			got = append(got, l)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("headings %q; want %q", got, want)
	}
	if !strings.Contains(r.Body, "::: sidebar 马上行动\n") {
		t.Errorf("no 马上行动 sidebar in\n%s", r.Body)
	}
	if len(r.Authors) != 1 || r.Authors[0] != (Author{"孙庆辉", "文/图"}) {
		t.Errorf("authors %+v; want [{孙庆辉 文/图}]", r.Authors)
	}
	// The box's sub-headline (11) and the paragraphs the copy broke in
	// two (首站来到了余杭区的 / “市民之家”。) are listed for the producer.
	var checks []int
	for _, n := range r.Notes {
		if n.Kind == "check" {
			checks = append(checks, n.Line)
		}
	}
	if want := []int{11, 27, 41, 45, 55, 57, 63, 65}; !slices.Equal(checks, want) {
		t.Errorf("lines to check %v; want %v", checks, want)
	}
}

func TestByline(t *testing.T) {
	tests := []struct {
		in   string
		want []Author
	}{
		{"记者 孙庆辉 文/图", []Author{{"孙庆辉", "文/图"}}},
		{"本报记者 李明 文 / 周晓雨 图", []Author{{"李明", "文"}, {"周晓雨", "图"}}},
		{"本报记者 李明 王芳 文", []Author{{"李明", "文"}, {"王芳", "文"}}},
		{"文/李明 图/周晓雨", []Author{{"李明", "文"}, {"周晓雨", "图"}}},
		{"文／李明　图／周晓雨", []Author{{"李明", "文"}, {"周晓雨", "图"}}},
		{"记者：孙庆辉", []Author{{"孙庆辉", ""}}},
		{"记者孙庆辉", []Author{{"孙庆辉", ""}}},
		{"本报记者 买买提·艾力 摄", []Author{{"买买提·艾力", "摄"}}},
		{"By Wang Fang; photos by Chen Gang", []Author{{"Wang Fang", "Text"}, {"Chen Gang", "Photos"}}},
		{"By Wang Fang and Li Ming; photos by Chen Gang", []Author{{"Wang Fang", "Text"}, {"Li Ming", "Text"}, {"Chen Gang", "Photos"}}},
		{"By Wang Fang", []Author{{"Wang Fang", ""}}},
		{"Text and photos by Sun Qinghui", []Author{{"Sun Qinghui", "Text and photos"}}},
		{"By Wang Fang, photos by Chen Gang.", []Author{{"Wang Fang", "Text"}, {"Chen Gang", "Photos"}}},
		// Not bylines.
		{"李明 王芳", nil},
		{"记者", nil},
		{"图", nil},
		{"记者来到了现场,看到了很多人", nil},
		{"By the time we arrived, the river had risen.", nil},
		{"Stand by me", nil},
		{"在考察学习的第二站", nil},
	}
	for _, tt := range tests {
		got, ok := parseByline(tt.in)
		if ok != (tt.want != nil) || !slices.Equal(got, tt.want) {
			t.Errorf("parseByline(%q) = %+v, %v; want %+v", tt.in, got, ok, tt.want)
		}
	}
}

func TestStopLine(t *testing.T) {
	tests := []struct {
		in    string
		n     int
		title string
	}{
		{"第一站 余杭区“市民之家”", 1, "余杭区“市民之家”"},
		{"第二站：社会治理综合服务中心", 2, "社会治理综合服务中心"},
		{"第三站——杭州城市大脑", 3, "杭州城市大脑"},
		{"第4站 - 阿里云", 4, "阿里云"},
		{"第十二站:尾声", 12, "尾声"},
		{"第五站", 5, ""},
		{"First stop: the old dike", 1, "the old dike"},
		{"Second stop — the sluice gate", 2, "the sluice gate"},
		{"Stop 3 - Pumping station", 3, "Pumping station"},
		{"Fourth Stop Riverside Park", 4, "Riverside Park"},
		// Lines that look like stops but are not.
		{"在考察学习的第二站——余杭区社会治理综合服务中心。", 0, ""},
		{"第二站是社会治理综合服务中心,大家在那里停留了一个上午。", 0, ""},
		{"第五站台上的人很多", 0, ""},
		{"第二站，我们来到了中心。", 0, ""},
		{"First stop was the museum, where we met the keeper.", 0, ""},
		{"Third stop on the list, the pumping station, had no power that day.", 0, ""},
		{"Stopover in Wuhan", 0, ""},
	}
	for _, tt := range tests {
		n, title, ok := stopLine(tt.in, false)
		if ok != (tt.n > 0) || n != tt.n || title != tt.title {
			t.Errorf("stopLine(%q) = %d, %q, %v; want %d, %q", tt.in, n, title, ok, tt.n, tt.title)
		}
	}
}

func TestBoxLine(t *testing.T) {
	tests := []struct {
		in, title string
		ok        bool
	}{
		{"■马上行动", "马上行动", true},
		{"■ 马上行动", "马上行动", true},
		{"● 链接", "链接", true},
		{"【延伸阅读】", "延伸阅读", true},
		{"■ Taking action", "Taking action", true},
		{"【记者手记】今天我们走了很远的路。", "", false},
		{"● 这是一个很长的以圆点开头的段落,它读起来是一句完整的话,所以不是框的标题。", "", false},
		{"马上行动", "", false},
	}
	for _, tt := range tests {
		title, ok := boxLine(tt.in)
		if ok != tt.ok || title != tt.title {
			t.Errorf("boxLine(%q) = %q, %v; want %q, %v", tt.in, title, ok, tt.title, tt.ok)
		}
	}
}

func TestDatelineLead(t *testing.T) {
	tests := []struct{ in, want string }{
		{"本报杭州8月26日电（记者 李明）今天……", "杭州"},
		{"本报江城11月3日电 江城大堤……", "江城"},
		{"新华社北京3月1日电 记者……", "北京"},
		{"JIANGCHENG, Nov. 3 — The last section", "Jiangcheng"},
		{"NEW YORK, June 12 -- Officials said", "New York"},
		{"HANGZHOU, China, Aug. 26 — Officials", "Hangzhou"},
		{"本报讯 今天……", ""},
		{"The river, Nov. 3 — rising", ""},
	}
	for _, tt := range tests {
		got, ok := datelineLead(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("datelineLead(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestGuessLang(t *testing.T) {
	tests := []struct{ in, want string }{
		{"郑州高新区党政考察团走进杭州余杭 with Alibaba Cloud", "zh"},
		{"Zhengzhou officials visited Hangzhou (杭州) to learn about the City Brain.", "en"},
		{"", "en"},
	}
	for _, tt := range tests {
		if got := GuessLang(tt.in); got != tt.want {
			t.Errorf("GuessLang(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestDecode(t *testing.T) {
	zh := "巧用“他山之石”\n记者 孙庆辉 文/图\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(zh)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in, want, enc string
	}{
		{zh, zh, "UTF-8"},
		{"\ufeff" + zh, zh, "UTF-8 with BOM"},
		{gb, zh, "GB18030"},
	}
	for _, tt := range tests {
		got, enc, err := Decode([]byte(tt.in))
		if err != nil || got != tt.want || enc != tt.enc {
			t.Errorf("Decode(%q) = %q, %q, %v; want %q, %q", tt.in, got, enc, err, tt.want, tt.enc)
		}
	}
	for _, bad := range []string{"ok\nline two\n\xff\xfe\x00a", "\xef\xbb\xbfok\n\xff"} {
		if _, _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%q) succeeded; want an error", bad)
		}
	}
	// A UTF-8 draft with one byte lost is not read as GB18030.
	seed, err := os.ReadFile("testdata/cases/seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(seed, []byte("第一站"))
	damaged := append(append([]byte{}, seed[:i+1]...), seed[i+2:]...)
	if _, enc, err := Decode(damaged); err == nil || !strings.HasPrefix(err.Error(), "23: not valid UTF-8") {
		t.Errorf("Decode of a damaged UTF-8 draft: %q, %v; want an error at line 23", enc, err)
	}
	if _, _, err := Decode([]byte("a\nb\n\x81\x20")); err == nil || !strings.HasPrefix(err.Error(), "3:") {
		t.Errorf("Decode of a bad third line: %v; want an error at line 3", err)
	}
}

// TestNotes holds what the command prints: each recognized form with its
// line, and the lines left for the producer to check.
func TestNotes(t *testing.T) {
	_, r := parseFile(t, "testdata/cases/stops-zh.txt")
	var got []string
	for _, n := range r.Notes {
		got = append(got, strings.Join([]string{itoa(n.Line), n.Kind}, " "))
	}
	// 5 starts with 第一站 and 13 with 第二站 (sentences, kept as
	// paragraphs); 9 holds 第二站—— inside a paragraph and is no stop.
	want := []string{"1 headline", "3 stop", "5 check", "7 stop", "11 stop", "13 check", "15 stop", "17 check", "19 stop"}
	if !slices.Equal(got, want) {
		t.Errorf("notes %q; want %q", got, want)
	}
}

func itoa(n int) string {
	return strings.TrimSpace(strings.Replace(string(rune('0'+n/10))+string(rune('0'+n%10)), "0", " ", 1))
}

// TestNothingLost: every character of each case's text is in its edition
// — the headline and dek in title and subtitle, the byline's names and
// roles in authors, everything else in the body as text (read back by
// goldmark, the library, not by a copy of the escaper), with only the
// punctuation made full-width.
func TestNothingLost(t *testing.T) {
	for _, name := range cases(t) {
		if strings.HasSuffix(name, ".md") {
			continue // Markdown is kept as written, not escaped
		}
		text, r := parseFile(t, name)
		if err := lost(text, r); err != "" {
			t.Errorf("%s: %s", name, err)
		}
	}
}

// letters returns the runes of s that are text: not spaces.
func letters(s string) []rune {
	var out []rune
	for _, r := range s {
		if !unicode.IsSpace(r) {
			out = append(out, r)
		}
	}
	return out
}

// lost compares a plain-text draft with its report and says what is
// missing, "" when nothing is.
func lost(text string, r *Report) string {
	kinds := map[int]string{}
	for _, n := range r.Notes {
		if n.Kind != "check" { // a check note comes beside what was done
			kinds[n.Line] = n.Kind
		}
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	var want []rune
	var title, sub []rune
	var bylines []string
	for i, l := range strings.Split(strings.TrimPrefix(text, "\ufeff"), "\n") {
		if r.Lang == "zh" {
			l = style.Apply(strings.TrimSpace(l))
		}
		switch kinds[i+1] {
		case "headline":
			title = letters(l)
			continue
		case "dek":
			sub = letters(l)
			continue
		case "byline":
			bylines = append(bylines, l)
			continue
		case "box":
			l = strings.Trim(strings.TrimSpace(l), "■●◆【】")
		case "list":
			// The bullet or number becomes the list's.
			l = strings.TrimSpace(l)
			if m, _, ok := listLine(l); ok {
				l = strings.TrimPrefix(l, strings.TrimSpace(m))
				for _, b := range []string{"•", "·"} {
					l = strings.TrimPrefix(l, b)
				}
			}
		}
		want = append(want, letters(l)...)
	}
	if string(title) != string(letters(r.Title)) {
		return "title " + r.Title + "; want " + string(title)
	}
	if string(sub) != string(letters(r.Subtitle)) {
		return "subtitle " + r.Subtitle + "; want " + string(sub)
	}
	// A byline holds names, their roles, titles (记者) and the words and
	// marks that join them: nothing else.
	for _, b := range bylines {
		rest := strings.ToLower(strings.ReplaceAll(b, "／", "/"))
		for _, a := range r.Authors {
			if !strings.Contains(b, a.Name) && a.Name != "" {
				continue
			}
			rest = strings.ReplaceAll(rest, strings.ToLower(a.Name), " ")
		}
		for _, a := range r.Authors {
			if a.Role != "Text" && !strings.Contains(strings.ToLower(b), strings.ToLower(a.Role)) && !strings.Contains(strings.ReplaceAll(b, "／", "/"), a.Role) {
				if strings.Contains(b, a.Name) {
					return "role " + a.Role + " of " + a.Name + " is not in the byline " + b
				}
			}
		}
		words := append([]string{}, zhTitles...)
		for role := range zhRoles {
			words = append(words, role)
		}
		slices.SortFunc(words, func(x, y string) int { return len(y) - len(x) })
		words = append(words, "text", "story", "words", "photographs", "photography", "photos", "photo", "video", "illustrations", "illustration", "graphics", "and", "by")
		for _, w := range words {
			rest = strings.ReplaceAll(rest, w, " ")
		}
		if rest := strings.Trim(rest, " /:：、，,;.&|｜\u3000"); rest != "" {
			return "byline words " + rest + " are in no field"
		}
	}
	for _, a := range r.Authors {
		found := false
		for _, b := range bylines {
			found = found || strings.Contains(b, a.Name)
		}
		if !found {
			return "author " + a.Name + " is in no byline line"
		}
	}
	got := bodyText(r.Body)
	if string(got) != string(want) {
		g, w := string(got), string(want)
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		return "body text differs at rune " + itoa(i%100) + ": got …" + string(got[max(0, i-10):min(len(got), i+20)]) + "… want …" + string(want[max(0, i-10):min(len(want), i+20)]) + "…" + "\n" + g + "\n" + w
	}
	return ""
}

// bodyText renders the body with goldmark and returns the letters of its
// text. A ::: sidebar line counts as its title.
func bodyText(body string) []rune {
	var lines []string
	for _, l := range strings.Split(body, "\n") {
		if l == ":::" {
			continue
		}
		if t, ok := strings.CutPrefix(l, "::: sidebar"); ok {
			l = t
		}
		lines = append(lines, l)
	}
	var buf bytes.Buffer
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	if err := md.Convert([]byte(strings.Join(lines, "\n")), &buf); err != nil {
		panic(err)
	}
	doc, err := html.Parse(&buf)
	if err != nil {
		panic(err)
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return letters(b.String())
}

// FuzzParse: Parse never panics, loses no text, and writes front matter
// the project's loader reads without error.
func FuzzParse(f *testing.F) {
	for _, name := range cases(f) {
		if strings.HasSuffix(name, ".txt") {
			data, _ := os.ReadFile(name)
			f.Add(string(data), "")
		}
	}
	f.Add("第一站 x\n■ y\n记者 孙庆辉 文/图", "zh")
	f.Add("First stop: a\n● b\nBy A B", "en")
	md, _ := os.ReadFile("testdata/cases/markdown.md")
	f.Add(string(md), "zh")
	f.Fuzz(func(t *testing.T, text, lang string) {
		if lang != "zh" && lang != "en" {
			lang = ""
		}
		if got, _, err := Decode([]byte(text)); err == nil && !utf8Valid(got) {
			t.Fatalf("Decode(%q) = %q: not UTF-8", text, got)
		}
		if strings.ContainsRune(text, 0) || !utf8Valid(text) {
			return
		}
		// Markdown is kept as written: it must not panic, and its front
		// matter must load.
		if r := Parse(text, Options{Lang: lang, Markdown: true}); r.Title != "" {
			loadEdition(t, r)
		}
		r := Parse(text, Options{Lang: lang})
		if r.Title == "" {
			return
		}
		if err := lost(text, r); err != "" {
			t.Fatalf("Parse(%q): %s\n%s", text, err, r.Markdown("2021-08-26"))
		}
		loadEdition(t, r)
	})
}

func utf8Valid(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, utf8.RuneError)
}
