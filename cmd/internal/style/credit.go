package style

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultCreditForm is the house form of a photo credit in a language
// without [style.<lang>] credit in site.toml: "{name} 摄" in Chinese,
// "Photo: {name}" in English, and as written ("") in any other.
func DefaultCreditForm(lang string) string {
	switch base(lang) {
	case "zh":
		return "{name} 摄"
	case "en":
		return "Photo: {name}"
	}
	return ""
}

// creditForms are the ways reporters write a photographer's credit, as a
// prefix or a suffix around the name.
var (
	creditPrefixes = []string{"摄影：", "摄影:", "摄影 ", "图：", "图:", "图/", "摄：", "摄:",
		"Photo by ", "Photos by ", "Photograph by ", "Photo: ", "Photos: ", "Photograph: "}
	creditSuffixes = []string{" 摄", "摄", "/摄", " / Photo", "/Photo"}
)

// notNames are words that make a credit an organisation, not a person:
// it then prints as written.
var notNames = []string{"社", "报", "网", "台", "局", "部", "委", "院", "馆", "公司", "集团", "中心", "供图", "资料", "来源", "视觉中国", "东方IC",
	"agency", "press", "news", "xinhua", "reuters", "afp", "getty", "images", "courtesy", "via", "archive",
	"museum", "studio", "bureau", "ministry", "department", "government", "office", "handout", "file", "associated"}

// Credit returns a photo credit in the house form (form holds {name}) when
// it names one person, however the reporter wrote it ("摄影：孙庆辉",
// "孙庆辉 摄", "Photo by Li Ming"); a credit that is not a plain name (an
// agency, "Courtesy of …", a source with a link) and any credit with an
// empty form stay as written.
func Credit(credit, form string) string {
	credit = strings.TrimSpace(credit)
	if form == "" || credit == "" {
		return credit
	}
	name := credit
	for _, p := range creditPrefixes {
		if n, ok := cutPrefixFold(name, p); ok {
			name = strings.TrimSpace(n)
			break
		}
	}
	if name == credit {
		for _, s := range creditSuffixes {
			if n, ok := strings.CutSuffix(name, s); ok {
				name = strings.TrimSpace(n)
				break
			}
		}
	}
	if !plainName(name) {
		return credit
	}
	return strings.ReplaceAll(form, "{name}", name)
}

// plainName reports whether s is one person's name: two to five Chinese
// characters (a middle dot allowed: 阿依·买买提), or one to four
// capitalized Latin words.
func plainName(s string) bool {
	if s == "" {
		return false
	}
	lower := strings.ToLower(s)
	for _, w := range notNames {
		if strings.Contains(lower, w) && (!isASCII(w) || hasWord(lower, w)) {
			return false
		}
	}
	if IsChinese(firstRune(s)) {
		n := 0
		for _, r := range s {
			switch {
			case r == '·' || r == '•':
			case unicode.Is(unicode.Han, r):
				n++
			default:
				return false
			}
		}
		return n >= 2 && n <= 5
	}
	words := strings.Fields(s)
	if len(words) > 4 {
		return false
	}
	for _, w := range words {
		if !unicode.IsUpper(firstRune(w)) {
			return false
		}
		for _, r := range w {
			if !unicode.IsLetter(r) && r != '-' && r != '\'' && r != '.' && r != '’' {
				return false
			}
		}
	}
	return true
}

// Capital returns an English stop title with a capital first letter
// ("the old dike" → "The old dike"); other languages' titles, and a first
// word that has a capital already (iPhone, eBay), as written.
func Capital(title, lang string) string {
	if base(lang) != "en" {
		return title
	}
	r, n := utf8.DecodeRuneInString(title)
	first, _, _ := strings.Cut(title, " ")
	if !unicode.IsLower(r) || strings.IndexFunc(first, unicode.IsUpper) >= 0 {
		return title
	}
	return string(unicode.ToUpper(r)) + title[n:]
}

func base(lang string) string {
	b, _, _ := strings.Cut(strings.ToLower(lang), "-")
	return b
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// hasWord reports whether w stands in s as a whole word.
func hasWord(s, w string) bool {
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if f == w {
			return true
		}
	}
	return false
}

func cutPrefixFold(s, p string) (string, bool) {
	if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
		return s[len(p):], true
	}
	return s, false
}
