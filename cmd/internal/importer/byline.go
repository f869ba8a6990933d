package importer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// parseByline reads a byline line: Chinese (记者 孙庆辉 文/图, 本报记者 李明 文 /
// 周晓雨 图, 文/李明 图/周晓雨, 记者：孙庆辉) or English (By Wang Fang; photos by
// Chen Gang, Text and photos by Sun Qinghui). Every word of the line must
// be a title (记者, 通讯员), a role, a separator or a name; otherwise the
// line is not a byline.
func parseByline(s string) ([]Author, bool) {
	if a, ok := zhByline(s); ok {
		return a, true
	}
	return enByline(s)
}

// zhTitles are the words before a name that say who the person is, not
// what they did for this report.
var zhTitles = []string{"本报特约记者", "本报见习记者", "本报记者", "本报通讯员", "特约记者", "见习记者", "实习记者", "记者", "通讯员", "实习生"}

var zhRoles = map[string]bool{
	"文": true, "图": true, "文/图": true, "图/文": true, "摄": true, "摄影": true, "文字": true, "图片": true,
	"视频": true, "摄像": true, "制图": true, "插图": true, "设计": true,
}

func isZhTitle(s string) bool {
	for _, t := range zhTitles {
		if s == t {
			return true
		}
	}
	return false
}

// isZhName reports whether s can be a Chinese name: two to four Han
// characters, or up to ten with a middle dot (买买提·艾力).
func isZhName(s string) bool {
	n := 0
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) && r != '·' && r != '•' {
			return false
		}
		n++
	}
	if strings.ContainsAny(s, "·•") {
		return n >= 3 && n <= 10 && !strings.HasPrefix(s, "·") && !strings.HasSuffix(s, "·")
	}
	return n >= 2 && n <= 4 && !zhRoles[s] && !isZhTitle(s)
}

func zhByline(s string) ([]Author, bool) {
	if utf8.RuneCountInString(s) > 60 || !strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		return nil, false
	}
	s = strings.NewReplacer("／", "/", "：", " : ", ":", " : ", "、", " 、 ", "，", " 、 ", ",", " 、 ", "|", " 、 ", "｜", " 、 ").Replace(s)
	var toks []string
	for _, f := range strings.Fields(s) {
		if zhRoles[f] || !strings.Contains(f, "/") {
			toks = append(toks, splitTitle(f)...)
			continue
		}
		for i, part := range strings.Split(f, "/") {
			if i > 0 {
				toks = append(toks, "/")
			}
			if part != "" {
				toks = append(toks, splitTitle(part)...)
			}
		}
	}
	var (
		authors   []Author
		pending   []string // names waiting for their role (name first)
		role      string   // the role names take (role first)
		roleFirst = -1     // unknown until the first name or role
		named     bool
		marked    bool // a title or role was seen: "李明 王芳" alone is not a byline
	)
	for _, t := range toks {
		switch {
		case t == "/" || t == ":" || t == "、":
		case isZhTitle(t):
			marked = true
		case zhRoles[t]:
			marked = true
			if roleFirst == -1 {
				roleFirst = 1
			}
			if roleFirst == 1 {
				role = t
				continue
			}
			if len(pending) == 0 {
				return nil, false
			}
			for _, n := range pending {
				authors = append(authors, Author{Name: n, Role: t})
			}
			pending = nil
		case isZhName(t):
			named = true
			if roleFirst == -1 {
				roleFirst = 0
			}
			if roleFirst == 1 {
				authors = append(authors, Author{Name: t, Role: role})
			} else {
				pending = append(pending, t)
			}
		default:
			return nil, false
		}
	}
	for _, n := range pending {
		authors = append(authors, Author{Name: n})
	}
	return authors, named && marked
}

// splitTitle splits a title written against the name (记者孙庆辉) into the
// title and the name.
func splitTitle(s string) []string {
	for _, t := range zhTitles {
		if rest, ok := strings.CutPrefix(s, t); ok && rest != "" && isZhName(rest) {
			return []string{t, rest}
		}
	}
	return []string{s}
}

var (
	enRoleBy  = regexp.MustCompile(`(?i)(?:^|\s*[;,.|]\s*|\s+and\s+|\s+)((?:text|story|words|photos?|photographs?|photography|video|illustrations?|graphics)(?:\s+and\s+(?:photos?|photographs?|photography|video))?\s+)?by\s+`)
	enNameSep = regexp.MustCompile(`\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*`)
	enName    = regexp.MustCompile(`^(?:\p{Lu}[\p{L}'’.\-]*|\p{Han}{2,4})(?: (?:\p{Lu}[\p{L}'’.\-]*|de|van|von|der|da|bin|al))*$`)
)

func enByline(s string) ([]Author, bool) {
	if len(s) > 200 || !strings.HasPrefix(strings.ToLower(s), "by ") && !enRoleBy.MatchString(s) {
		return nil, false
	}
	locs := enRoleBy.FindAllStringSubmatchIndex(s, -1)
	if len(locs) == 0 || locs[0][0] != 0 {
		return nil, false
	}
	var authors []Author
	for i, loc := range locs {
		end := len(s)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		role := ""
		if loc[2] >= 0 {
			role = strings.Join(strings.Fields(s[loc[2]:loc[3]]), " ")
			role = strings.ToUpper(role[:1]) + strings.ToLower(role[1:])
		} else if len(locs) > 1 {
			role = "Text"
		}
		names := strings.TrimRight(s[loc[1]:end], " .;,")
		if names == "" {
			return nil, false
		}
		for _, n := range enNameSep.Split(names, -1) {
			if !enName.MatchString(n) || len(strings.Fields(n)) > 4 {
				return nil, false
			}
			authors = append(authors, Author{Name: n, Role: role})
		}
	}
	return authors, true
}
