package content

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"dateline/cmd/internal/problem"
)

const zhFile = "content/x/zh.md"

func perr(line int, text string) problem.Problem  { return problem.Errorf(zhFile, line, "%s", text) }
func pwarn(line int, text string) problem.Problem { return problem.Warnf(zhFile, line, "%s", text) }

// TestParseEditionProblems checks the exact problems, in order, for kinds
// of bad input, and whether an edition still comes back.
func TestParseEditionProblems(t *testing.T) {
	const ok = "---\ntitle: t\ndate: 2025-01-01\n"
	tests := []struct {
		name string
		in   string
		want []problem.Problem
		good bool // an edition comes back
	}{
		{"invalid utf-8 in body", "---\ntitle: t\ndate: 2025-01-01\n---\n\x8c\n0\n",
			[]problem.Problem{perr(5, "invalid UTF-8")}, false},
		{"invalid utf-8 in front matter", "---\ntitle: \xff\ndate: 2025-01-01\n---\n",
			[]problem.Problem{perr(2, "invalid UTF-8")}, false},
		{"invalid utf-8 on line 1", "\xc3(", []problem.Problem{perr(1, "invalid UTF-8")}, false},
		{"empty", "", []problem.Problem{perr(1, "file is empty (a report needs front matter with title and date)")}, false},
		{"only blank lines", "\n \r\n\t\n", []problem.Problem{perr(1, "file is empty (a report needs front matter with title and date)")}, false},
		{"only a BOM", "\uFEFF", []problem.Problem{perr(1, "file is empty (a report needs front matter with title and date)")}, false},
		{"no front matter", "# Title\n\ntext\n", []problem.Problem{perr(1, "missing front matter (title and date are required)")}, false},
		{"no front matter after blank lines", "\n\ntext\n", []problem.Problem{perr(3, "missing front matter (title and date are required)")}, false},
		{"json front matter is not ours", ";;;\n{}\n;;;\n", []problem.Problem{perr(1, "missing front matter (title and date are required)")}, false},
		{"unterminated yaml", "---\ntitle: t\ndate: 2025-01-01\n",
			[]problem.Problem{perr(1, "front matter is not closed: no closing --- line")}, false},
		{"unterminated toml", "+++\ntitle = \"t\"\n---\n",
			[]problem.Problem{perr(1, "front matter is not closed: no closing +++ line")}, false},
		{"unterminated after blank lines", "\n\n---\ntitle: t\n",
			[]problem.Problem{perr(3, "front matter is not closed: no closing --- line")}, false},
		{"front matter only", ok + "---", nil, true},
		{"empty front matter", "---\n---\nbody\n",
			[]problem.Problem{perr(1, "date is required"), perr(1, "title is required")}, false},
		{"missing title", "---\ndate: 2025-01-01\n---\nbody\n", []problem.Problem{perr(1, "title is required")}, false},
		{"missing date", "---\ntitle: t\n---\nbody\n", []problem.Problem{perr(1, "date is required")}, false},
		{"missing title after blank line", "\n---\ndate: 2025-01-01\n---\n", []problem.Problem{perr(2, "title is required")}, false},
		{"empty title", "---\ntitle: \"  \"\ndate: 2025-01-01\n---\n", []problem.Problem{perr(2, "title is empty")}, false},
		{"null title", "---\ntitle:\ndate: 2025-01-01\n---\n", []problem.Problem{perr(2, "title is empty")}, false},
		{"null date", "---\ntitle: t\ndate: ~\n---\n", []problem.Problem{perr(3, "date is empty")}, false},
		{"title is a list", "---\ntitle: [a]\ndate: 2025-01-01\n---\n", []problem.Problem{perr(2, "title must be text")}, false},
		{"title is a table", "---\ntitle:\n  zh: a\ndate: 2025-01-01\n---\n", []problem.Problem{perr(2, "title must be text")}, false},
		{"title is a number", "---\ntitle: 1984\ndate: 2025-01-01\n---\n",
			[]problem.Problem{perr(2, "title must be text (put the value in quotes)")}, false},
		{"date is a number", "---\ntitle: t\ndate: 12\n---\n",
			[]problem.Problem{perr(3, `date must be a date (YYYY-MM-DD or RFC 3339), not "12"`)}, false},
		{"bad date string", "---\ntitle: t\ndate: 2025-13-45\n---\n",
			[]problem.Problem{perr(3, `date must be a date (YYYY-MM-DD or RFC 3339), not "2025-13-45"`)}, false},
		{"date in words", "---\ntitle: t\ndate: June 12, 2025\n---\n",
			[]problem.Problem{perr(3, `date must be a date (YYYY-MM-DD or RFC 3339), not "June 12, 2025"`)}, false},
		{"draft: yes is not YAML 1.2 true", ok + "draft: yes\n---\n",
			[]problem.Problem{perr(4, `draft must be true or false, not "yes"`)}, false},
		{"draft as a string", ok + "draft: \"true\"\n---\n",
			[]problem.Problem{perr(4, `draft must be true or false, not "true"`)}, false},
		{"draft as a number", ok + "draft: 1\n---\n",
			[]problem.Problem{perr(4, `draft must be true or false, not 1`)}, false},
		{"duplicate key", "---\ntitle: a\ndate: 2025-01-01\ntitle: b\n---\n",
			[]problem.Problem{perr(4, `duplicate front matter field "title" (first on line 2)`)}, false},
		{"duplicate nested key", ok + "hero:\n  src: a.jpg\n  src: b.jpg\n---\n",
			[]problem.Problem{perr(6, `duplicate front matter field "src" in hero (first on line 5)`)}, false},
		{"all problems of a file", "---\ntitle: [a]\ndate: 12\ndraft: yes\ntitel: x\ntitle: again\n---\n",
			[]problem.Problem{
				perr(2, "title must be text"),
				perr(3, `date must be a date (YYYY-MM-DD or RFC 3339), not "12"`),
				perr(4, `draft must be true or false, not "yes"`),
				pwarn(5, `unknown front matter field "titel" (did you mean "title"?)`),
				perr(6, `duplicate front matter field "title" (first on line 2)`),
			}, false},
		{"unknown field", ok + "titel: x\n---\n",
			[]problem.Problem{pwarn(4, `unknown front matter field "titel" (did you mean "title"?)`)}, true},
		{"unknown field from another generator", ok + "description: x\nweight: 3\n---\n",
			[]problem.Problem{
				pwarn(4, `unknown front matter field "description" (did you mean "summary"?)`),
				pwarn(5, `unknown front matter field "weight"`),
			}, true},
		{"yaml syntax error", ok + "authors: [a\n---\n",
			[]problem.Problem{perr(4, "malformed YAML front matter: sequence end token ']' not found")}, false},
		{"yaml syntax error after blank lines", "\n\n" + ok + "x: y: z\n---\n",
			[]problem.Problem{perr(6, "malformed YAML front matter: mapping value is not allowed in this context")}, false},
		{"front matter is a list", "---\n- a\n- b\n---\n",
			[]problem.Problem{perr(2, "front matter must be fields written as name: value")}, false},
		{"yaml alias", ok + "credit: &c Li\nsummary: *c\n---\n",
			[]problem.Problem{perr(5, "YAML aliases (*c) are not supported in front matter")}, false},
		{"yaml merge key", ok + "<<: {subtitle: s}\n---\n",
			[]problem.Problem{perr(4, "YAML merge keys (<<) are not supported in front matter")}, false},
		{"updated before date", "---\ntitle: t\ndate: 2025-06-01\nupdated: 2025-05-31\n---\n",
			[]problem.Problem{pwarn(4, "updated (2025-05-31) is before date (2025-06-01)")}, true},
		{"bad updated", ok + "updated: soon\n---\n",
			[]problem.Problem{perr(4, `updated must be a date (YYYY-MM-DD or RFC 3339), not "soon"`)}, false},
		{"hero table without src", ok + "hero:\n  alt: a\n  size: big\n---\n",
			[]problem.Problem{
				perr(4, "hero has no src: give the photo path as src"),
				pwarn(6, `unknown field "size" in hero (use src, alt, caption, credit)`),
			}, false},
		{"hero is a number", ok + "hero: 3\n---\n",
			[]problem.Problem{perr(4, "hero must be a photo path or {src, alt, caption, credit}")}, false},
		{"hero alt is a list", ok + "hero:\n  src: a.jpg\n  alt: [x]\n---\n",
			[]problem.Problem{perr(6, "hero: alt must be text")}, false},
		{"authors not a list", ok + "authors: Li Ming\n---\n",
			[]problem.Problem{perr(4, "authors must be a list of {name, role}")}, false},
		{"author problems", ok + "authors:\n  - name: A\n    rol: x\n  - role: photos\n  - [x]\n  - \"\"\n---\n",
			[]problem.Problem{
				pwarn(6, `unknown field "rol" in authors item 1 (use name, role)`),
				perr(7, "authors item 2 has no name"),
				perr(8, "authors item 3 must be {name, role} or a name"),
				perr(9, "authors item 4 has an empty name"),
			}, false},
		{"tags", ok + "tags: [a, 3, \"\"]\n---\n",
			[]problem.Problem{perr(4, "tags item 2 must be text"), pwarn(4, "tags item 3 is empty")}, false},
		{"tags not a list", ok + "tags: a, b\n---\n",
			[]problem.Problem{perr(4, "tags must be a list of text")}, false},
		{"corrections", ok + "corrections:\n  - text: fixed\n  - date: 2025-13-01\n    text: x\n  - date: 2025-01-02\n  - fixed\n---\n",
			[]problem.Problem{
				perr(5, "corrections item 1 has no date"),
				perr(6, `corrections item 2: date must be a date (YYYY-MM-DD or RFC 3339), not "2025-13-01"`),
				perr(8, "corrections item 3 has no text"),
				perr(9, "corrections item 4 must be {date, text}"),
			}, false},
		{"toml syntax error", "+++\ntitle = \ndate = 2025-01-01\n+++\n",
			[]problem.Problem{perr(2, `malformed TOML front matter: expected value but found '\n' instead`)}, false},
		{"toml duplicate key", "+++\ntitle = \"a\"\ndate = 2025-01-01\ntitle = \"b\"\n+++\n",
			[]problem.Problem{perr(4, `malformed TOML front matter: key 'title' has already been defined`)}, false},
		{"toml wrong types", "+++\ntitle = [\"a\"]\ndate = 12\ndraft = \"yes\"\ntitel = 1\n+++\n",
			[]problem.Problem{
				perr(2, "title must be text"),
				perr(3, `date must be a date (YYYY-MM-DD or RFC 3339), not "12"`),
				perr(4, `draft must be true or false, not "yes"`),
				pwarn(5, `unknown front matter field "titel" (did you mean "title"?)`),
			}, false},
		{"toml time of day", "+++\ntitle = \"t\"\ndate = 10:00:00\n+++\n",
			[]problem.Problem{perr(3, `date must be a date (YYYY-MM-DD or RFC 3339), not "10:00:00"`)}, false},
		{"toml nested problems", "+++\ntitle = \"t\"\ndate = 2025-01-01\n[hero]\nalt = \"a\"\n[[authors]]\nrole = \"r\"\n+++\n",
			[]problem.Problem{
				perr(4, "hero has no src: give the photo path as src"),
				perr(6, "authors item 1 has no name"),
			}, false},
		{"toml missing title", "+++\ndate = 2025-01-01\n+++\n", []problem.Problem{perr(1, "title is required")}, false},
		{"front matter too large", "---\ntitle: t\ndate: 2025-01-01\nsummary: " + strings.Repeat("x", 20<<10) + "\n---\n",
			[]problem.Problem{perr(1, "front matter is too large (21 KiB; the limit is 16 KiB)")}, false},
		{"nested too deeply", ok + "tags: " + strings.Repeat("[", 5000) + "\n---\n",
			[]problem.Problem{perr(4, "front matter is nested too deeply (more than 32 levels)")}, false},
		{"block lists nested too deeply", ok + "tags:\n" + strings.Repeat("- ", 40) + "a\n---\n",
			[]problem.Problem{perr(5, "front matter is nested too deeply (more than 32 levels)")}, false},
		{"toml nested too deeply", "+++\ntitle = \"t\"\ndate = 2025-01-01\nhero = " + strings.Repeat("{a=", 3000) + "1" + strings.Repeat("}", 3000) + "\n+++\n",
			[]problem.Problem{perr(4, "front matter is nested too deeply (more than 32 levels)")}, false},
		{"toml headers nested too deeply", "+++\ntitle = \"t\"\ndate = 2025-01-01\n[[" + strings.Repeat("a.", 40) + "a]]\n+++\n",
			[]problem.Problem{perr(4, "front matter is nested too deeply (more than 32 levels)")}, false},
		{"toml dotted keys nested too deeply", "+++\ntitle = \"t\"\ndate = 2025-01-01\n" + strings.Repeat("a.", 40) + "a = 1\n+++\n",
			[]problem.Problem{perr(4, "front matter is nested too deeply (more than 32 levels)")}, false},
		{"brackets in quotes and comments are text", ok + "summary: \"" + strings.Repeat("[", 40) + "\" # " + strings.Repeat("{", 40) + "\n---\n", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, got := ParseEdition(zhFile, []byte(tt.in), nil)
			in := tt.in
			if len(in) > 200 {
				in = in[:200] + "…"
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseEdition(%q) problems:\n%s\nwant:\n%s", in, list(got), list(tt.want))
			}
			if (e != nil) != tt.good {
				t.Errorf("ParseEdition(%q) edition = %v; want one: %v", in, e != nil, tt.good)
			}
		})
	}
}

// TestParseEditionSplit checks where front matter ends and the body
// begins: delimiters with spaces around them, blank lines first, a
// delimiter line in the body, no newline at the end.
func TestParseEditionSplit(t *testing.T) {
	const fm = "title: t\ndate: 2025-01-01\n"
	const toml = "title = 't'\ndate = 2025-01-01\n"
	tests := []struct {
		in       string
		body     string
		bodyLine int
	}{
		{"---\n" + fm + "---\nbody\n", "body\n", 5},
		{"\n\n  ---  \n" + fm + " --- \nbody\n", "body\n", 7},
		{"\t---\n" + fm + "---\t\nx", "x", 5},
		{"\u00a0---\n" + fm + "---\n", "", 5},
		{"---\n" + fm + "---", "", 4},
		{"---\n" + fm + "---\n\nbody\n---\n", "\nbody\n---\n", 5},
		{"+++\n" + toml + "+++\n+++\n", "+++\n", 5},
		{"+++\n" + toml + "+++\n---\n", "---\n", 5},
		{"\uFEFF---\r\n" + strings.ReplaceAll(fm, "\n", "\r\n") + "---\r\nbody\r\n", "body\n", 5},
	}
	for _, tt := range tests {
		e, ps := ParseEdition(zhFile, []byte(tt.in), nil)
		if e == nil {
			t.Errorf("ParseEdition(%q): %v", tt.in, ps)
			continue
		}
		if string(e.Body) != tt.body || e.BodyLine != tt.bodyLine {
			t.Errorf("ParseEdition(%q) body = %q on line %d; want %q on line %d", tt.in, e.Body, e.BodyLine, tt.body, tt.bodyLine)
		}
	}
}

func list(ps []problem.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		sev := "error"
		if p.Severity == problem.Warning {
			sev = "warning"
		}
		b.WriteString("\t" + sev + " " + p.String() + "\n")
	}
	if b.Len() == 0 {
		return "\t(none)\n"
	}
	return b.String()
}

func TestParseEditionTooLarge(t *testing.T) {
	data := make([]byte, 20_000_000)
	start := time.Now()
	e, ps := ParseEdition(zhFile, data, nil)
	want := []problem.Problem{problem.Errorf(zhFile, 0, "file is too large (19.1 MiB; the limit is 8 MiB)")}
	if e != nil || !reflect.DeepEqual(ps, want) {
		t.Errorf("ParseEdition(20 MB) = %v, %v; want nil, %v", e, ps, want)
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Errorf("refusing a 20 MB file took %v", d)
	}
}

// TestParseEditionTOMLDeepFast checks that 16 KB of TOML nested as deep as
// it can go is refused at once: BurntSushi/toml would take seconds and
// hundreds of MB on it (quadratic in depth).
func TestParseEditionTOMLDeepFast(t *testing.T) {
	for name, fm := range map[string]string{
		"inline tables": "a = " + strings.Repeat("{a=", 4000) + "1" + strings.Repeat("}", 4000),
		"dotted key":    strings.Repeat("a.", 7000) + "a = 1",
		"inline dotted": "x = {" + strings.Repeat("a.", 7000) + "a = 1}",
		"header":        "[[" + strings.Repeat("a.", 7000) + "a]]",
	} {
		in := []byte("+++\ntitle = \"t\"\ndate = 2025-01-01\n" + fm + "\n+++\n")
		start := time.Now()
		e, ps := ParseEdition(zhFile, in, nil)
		d := time.Since(start)
		want := []problem.Problem{perr(4, "front matter is nested too deeply (more than 32 levels)")}
		if e != nil || !reflect.DeepEqual(ps, want) {
			t.Errorf("%s: ParseEdition = %v, %v; want nil, %v", name, e != nil, ps, want)
		}
		if d > 100*time.Millisecond {
			t.Errorf("%s: refusing %d bytes of nested TOML took %v; want < 100ms", name, len(in), d)
		}
	}
}

func mustTime(t *testing.T, s string, loc *time.Location) time.Time {
	t.Helper()
	tm, err := time.ParseInLocation(time.RFC3339, s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// TestParseEditionFields checks what good front matter becomes.
func TestParseEditionFields(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Location = shanghai
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("testdata", "editions", name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	tests := []struct {
		file string
		data []byte
		want Edition
	}{
		{"content/yuhang/zh.md", read("zh.md"), Edition{
			Slug: "yuhang", Lang: "zh", File: "content/yuhang/zh.md",
			Title:    "巧用“他山之石”攻“西美高新”之玉",
			Subtitle: "郑州高新区党政考察团走进杭州余杭探寻“数智治理”之路",
			Date:     time.Date(2025, 8, 26, 0, 0, 0, 0, shanghai),
			Updated:  mustTime(t, "2025-08-27T09:30:00+08:00", time.UTC),
			Dateline: "杭州",
			Authors:  []Author{{Name: "李明", Role: "文/图"}},
			Credit:   "李明 摄",
			Summary:  "一天半的时间里，高新区党政干部走进余杭，学习智慧城市建设经验。",
			Tags:     []string{"数智治理", "智慧城市"},
			Hero:     &Hero{Src: "photos/hall.jpg", Alt: "余杭区市民之家大厅", Caption: "考察团在市民之家了解“一窗通办”", Line: 13},
			Corrections: []Correction{
				{Date: time.Date(2025, 8, 28, 0, 0, 0, 0, shanghai), Text: "更正了一位负责人的职务。"},
			},
			BodyLine: 21,
			Lines: map[string]int{
				"title": 2, "subtitle": 3, "date": 4, "updated": 5, "dateline": 6,
				"authors": 7, "authors.0": 8, "authors.0.name": 8, "authors.0.role": 9,
				"credit": 10, "summary": 11, "tags": 12, "tags.0": 12, "tags.1": 12,
				"hero": 13, "hero.src": 14, "hero.alt": 15, "hero.caption": 16,
				"corrections": 17, "corrections.0": 18, "corrections.0.date": 18, "corrections.0.text": 19,
			},
		}},
		{"content/yuhang/en.md", read("en.md"), Edition{
			Slug: "yuhang", Lang: "en", File: "content/yuhang/en.md",
			Title:    "Borrowing Stones from Other Hills",
			Subtitle: "Zhengzhou officials study Hangzhou's digital governance",
			Date:     mustTime(t, "2025-08-26T08:00:00+08:00", time.UTC),
			Dateline: "Hangzhou",
			Authors:  []Author{{Name: "Li Ming", Role: "Text and photos"}, {Name: "Zhou Xiaoyu"}},
			Tags:     []string{"digital governance", "smart city"},
			Hero:     &Hero{Src: "photos/hall.jpg", Line: 13},
			BodyLine: 16,
			Lines: map[string]int{
				"title": 2, "subtitle": 3, "date": 4, "dateline": 5,
				"authors": 6, "authors.0": 7, "authors.0.name": 7, "authors.0.role": 8, "authors.1": 9,
				"tags": 10, "tags.0": 11, "tags.1": 12, "hero": 13, "draft": 14,
			},
		}},
		{"content/river/zh.md", read("toml.md"), Edition{
			Slug: "river", Lang: "zh", File: "content/river/zh.md",
			Title:    "河堤上的夏天",
			Date:     time.Date(2025, 6, 12, 0, 0, 0, 0, shanghai),
			Dateline: "清溪",
			Tags:     []string{"环境", "水利"},
			Hero:     &Hero{Src: "photos/dike.jpg", Alt: "清溪河堤", Line: 7},
			Authors:  []Author{{Name: "周晓雨", Role: "图"}},
			Corrections: []Correction{
				{Date: mustTime(t, "2025-06-13T10:00:00+08:00", time.UTC), Text: "Fixed the river's length."},
			},
			BodyLine: 19,
			Lines: map[string]int{
				"title": 2, "date": 3, "dateline": 4, "tags": 5,
				"hero": 7, "hero.src": 8, "hero.alt": 9,
				"authors": 11, "authors.0": 11, "authors.0.name": 12, "authors.0.role": 13,
				"corrections": 15, "corrections.0": 15, "corrections.0.date": 16, "corrections.0.text": 17,
			},
		}},
		{"content/crlf/en.md", read("crlf.md"), Edition{
			Slug: "crlf", Lang: "en", File: "content/crlf/en.md",
			Title:    "CRLF and BOM",
			Date:     time.Date(2025, 1, 2, 0, 0, 0, 0, shanghai),
			BodyLine: 5,
			Lines:    map[string]int{"title": 2, "date": 3},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			e, ps := ParseEdition(tt.file, tt.data, cfg)
			if len(ps) > 0 || e == nil {
				t.Fatalf("ParseEdition(%s): %v", tt.file, ps)
			}
			body := e.Body
			if bytes.Contains(body, []byte("\r")) || !utf8.Valid(body) || bytes.HasPrefix(body, []byte("\uFEFF")) {
				t.Errorf("Body = %q; want valid UTF-8 without CR or BOM", body)
			}
			// The first line of the body is BodyLine of the normalized file.
			lines := strings.Split(strings.ReplaceAll(strings.TrimPrefix(string(tt.data), "\uFEFF"), "\r\n", "\n"), "\n")
			if got := strings.Join(lines[e.BodyLine-1:], "\n"); got != string(body) {
				t.Errorf("line %d on = %q; Body = %q", e.BodyLine, got, body)
			}
			// Source is the normalized file, Body its tail.
			if norm := strings.Join(lines, "\n"); string(e.Source) != norm || !bytes.HasSuffix(e.Source, body) {
				t.Errorf("Source = %q; want the normalized file %q", e.Source, norm)
			}
			e.Body, e.Source = nil, nil
			inUTC(e)
			inUTC(&tt.want)
			if !reflect.DeepEqual(*e, tt.want) {
				t.Errorf("ParseEdition(%s) =\n%+v\nwant\n%+v", tt.file, *e, tt.want)
			}
		})
	}
}

// inUTC moves the times of e to UTC, so that reflect.DeepEqual compares
// instants, not time zone values.
func inUTC(e *Edition) {
	e.Date = e.Date.UTC()
	e.Updated = e.Updated.UTC()
	for i := range e.Corrections {
		e.Corrections[i].Date = e.Corrections[i].Date.UTC()
	}
}

func TestDropCR(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\nb", "a\nb"},
		{"a\r\nb\r\n", "a\nb\n"},
		{"a\r\r\nb", "a\nb"},
		{"a\rb\r\n", "a\rb\n"},
		{"\r", "\r"},
		{"a\r", "a\r"},
		{"\r\n\r\n", "\n\n"},
	}
	for _, tt := range tests {
		if got := string(dropCR([]byte(tt.in))); got != tt.want {
			t.Errorf("dropCR(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestParseEditionDates checks that every date field is read as text by
// the one date parser, whatever type a YAML tag or TOML gives it: in the
// site's time zone when the text has none, never the zero time.
func TestParseEditionDates(t *testing.T) {
	west := time.FixedZone("UTC-10", -10*3600)
	cfg := DefaultConfig()
	cfg.Location = west
	const yaml, toml = "---\ntitle: t\n%s\n---\n", "+++\ntitle = 't'\n%s\n+++\n"
	midnight := time.Date(2030, 1, 1, 0, 0, 0, 0, west)
	tests := []struct {
		format, fields string
		want           time.Time // the edition's Date, or its Updated when set
		problem        string    // the error on line 3
	}{
		{yaml, "date: 2030-01-01", midnight, ""},
		{yaml, "date: !!timestamp 2030-01-01", midnight, ""},
		{yaml, "date: !!str 2030-01-01", midnight, ""},
		{yaml, "date: !custom 2030-01-01", midnight, ""},
		{yaml, "date: \"2030-01-01\"", midnight, ""},
		{yaml, "date: !!timestamp 2030-01-01T00:00:00Z", time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{yaml, "date: !!timestamp 2030-01-01 08:00", time.Date(2030, 1, 1, 8, 0, 0, 0, west), ""},
		{yaml, "date: !!timestamp 2099-02-30", time.Time{}, `date must be a date (YYYY-MM-DD or RFC 3339), not "2099-02-30"`},
		{yaml, "date: !!timestamp \"\"", time.Time{}, `date must be a date (YYYY-MM-DD or RFC 3339), not ""`},
		{yaml, "date: !!timestamp 20990101", time.Time{}, `date must be a date (YYYY-MM-DD or RFC 3339), not "20990101"`},
		{yaml, "date: !!timestamp \"next year\"", time.Time{}, `date must be a date (YYYY-MM-DD or RFC 3339), not "next year"`},
		{yaml, "date: 20990101", time.Time{}, `date must be a date (YYYY-MM-DD or RFC 3339), not "20990101"`},
		{yaml, "date: 0x10", time.Time{}, `date must be a date (YYYY-MM-DD or RFC 3339), not "0x10"`},
		{yaml, "date: !!float 2030.01", time.Time{}, `date must be a date (YYYY-MM-DD or RFC 3339), not "2030.01"`},
		{yaml, "date: true", time.Time{}, `date must be a date (YYYY-MM-DD or RFC 3339), not "true"`},
		{yaml, "date: 0001-01-01T00:00:00Z", time.Time{}, `date must be a date (YYYY-MM-DD or RFC 3339), not "0001-01-01T00:00:00Z"`},
		{yaml, "date: !!timestamp 0001-01-01", time.Time{}, ""}, // 10:00 UTC in the site's zone: not zero
		{yaml, "date: [2030-01-01]", time.Time{}, "date must be a date (YYYY-MM-DD or RFC 3339)"},
		{yaml, "updated: !!timestamp 2099-02-30\ndate: 2025-01-01", time.Time{}, `updated must be a date (YYYY-MM-DD or RFC 3339), not "2099-02-30"`},
		{yaml, "updated: !!timestamp 2030-01-01\ndate: 2025-01-01", midnight, ""},
		{yaml, "corrections: [{date: !!timestamp 2099-02-30, text: x}]\ndate: 2025-01-01", time.Time{},
			`corrections item 1: date must be a date (YYYY-MM-DD or RFC 3339), not "2099-02-30"`},
		{toml, "date = 2030-01-01", midnight, ""},
		{toml, "date = 2030-01-01T00:00:00", midnight, ""},
		{toml, "date = 2030-01-01 00:00:00.5", midnight.Add(time.Second / 2), ""},
		{toml, "date = 2030-01-01T00:00:00Z", time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{toml, "date = 2030-01-01T08:00:00+08:00", time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{toml, "date = '2030-01-01'", midnight, ""},
		{toml, "date = 20990101", time.Time{}, `date must be a date (YYYY-MM-DD or RFC 3339), not "20990101"`},
		{toml, "date = 10:00:00", time.Time{}, `date must be a date (YYYY-MM-DD or RFC 3339), not "10:00:00"`},
		{toml, "date = 0001-01-01T00:00:00Z", time.Time{}, `date must be a date (YYYY-MM-DD or RFC 3339), not "0001-01-01T00:00:00Z"`},
		{toml, "updated = 2030-01-01\ndate = 2025-01-01", midnight, ""},
	}
	for _, tt := range tests {
		in := fmt.Sprintf(tt.format, tt.fields)
		e, ps := ParseEdition(zhFile, []byte(in), cfg)
		if tt.problem != "" {
			want := []problem.Problem{perr(3, tt.problem)}
			if !reflect.DeepEqual(ps, want) {
				t.Errorf("ParseEdition(%q) problems:\n%s\nwant:\n%s", in, list(ps), list(want))
			}
			continue
		}
		if e == nil {
			t.Errorf("ParseEdition(%q): %v", in, ps)
			continue
		}
		got := e.Date
		if !e.Updated.IsZero() {
			got = e.Updated
		}
		if tt.want.IsZero() {
			tt.want = time.Date(1, 1, 1, 0, 0, 0, 0, west)
		}
		if !got.Equal(tt.want) {
			t.Errorf("ParseEdition(%q) date = %v; want %v", in, got, tt.want)
		}
	}
}

// TestParseDate checks the date forms front matter accepts.
func TestParseDate(t *testing.T) {
	loc := time.FixedZone("UTC+8", 8*3600)
	tests := []struct {
		in   string
		want time.Time // zero: refused
	}{
		{"2025-06-12", time.Date(2025, 6, 12, 0, 0, 0, 0, loc)},
		{"2025-06-12T08:30:00Z", time.Date(2025, 6, 12, 8, 30, 0, 0, time.UTC)},
		{"2025-06-12t08:30:00z", time.Date(2025, 6, 12, 8, 30, 0, 0, time.UTC)},
		{"2025-06-12T08:30:00+02:00", time.Date(2025, 6, 12, 6, 30, 0, 0, time.UTC)},
		{"2025-06-12 08:30:00+02:00", time.Date(2025, 6, 12, 6, 30, 0, 0, time.UTC)},
		{"2025-06-12T08:30:00.5Z", time.Date(2025, 6, 12, 8, 30, 0, 5e8, time.UTC)},
		{"2025-06-12T08:30:00", time.Date(2025, 6, 12, 8, 30, 0, 0, loc)},
		{"2025-06-12T08:30", time.Date(2025, 6, 12, 8, 30, 0, 0, loc)},
		{"2025-06-12T08:30+08:00", time.Date(2025, 6, 12, 0, 30, 0, 0, time.UTC)},
		{"2025-6-12", time.Time{}},
		{"2025-02-30", time.Time{}},
		{"12/06/2025", time.Time{}},
		{"", time.Time{}},
		{"2025-06-12T25:00:00Z", time.Time{}},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in, loc)
		if ok != !tt.want.IsZero() || !got.Equal(tt.want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
		}
	}
}

// FuzzParseEdition checks that no input makes ParseEdition panic, and that
// what it returns keeps its promises.
func FuzzParseEdition(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "editions", "*.md"))
	for _, name := range seeds {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"", "---", "---\n---", "+++\n+++", "\x8c\n0", "---\ntitle: t\ndate: 2025-01-01\n---\n\x8c\n0",
		"---\ntitle: [a\n---\n", "+++\ntitle = \n+++\n", "---\na: &x [*x]\n---\n", "---\n? [a]\n: 1\n---\n",
		"---\ntitle: !!binary aGk=\ndate: !!timestamp 2020-01-01\n---\n", "\uFEFF+++\r\ntitle = 't'\r\n+++\r\n",
	} {
		f.Add([]byte(s))
	}
	// A site west of UTC. How each date is read, in which zone, is fixed by
	// TestParseEditionDates and TestParseDate; here a date is only never the
	// zero time.
	cfg := DefaultConfig()
	cfg.Location = time.FixedZone("UTC-10", -10*3600)
	f.Fuzz(func(t *testing.T, data []byte) {
		e, ps := ParseEdition(zhFile, data, cfg)
		lines := 1 + bytes.Count(data, []byte("\n"))
		hasError := false
		for _, p := range ps {
			if p.File != zhFile || p.Line < 0 || p.Line > lines || p.Text == "" {
				t.Errorf("bad problem %+v for %q", p, data)
			}
			hasError = hasError || p.Severity == problem.Error
		}
		if hasError != (e == nil) {
			t.Fatalf("edition %v with problems %v", e != nil, ps)
		}
		if e == nil {
			return
		}
		if e.Title == "" || !e.Date.After(time.Time{}) {
			t.Errorf("edition without title or with the zero date: %+v", e)
		}
		if !utf8.Valid(e.Body) || bytes.Contains(e.Body, []byte("\r\n")) {
			t.Errorf("Body %q is not normalized", e.Body)
		}
		if e.BodyLine < 1 || e.BodyLine > lines+1 {
			t.Errorf("BodyLine = %d of %d lines", e.BodyLine, lines)
		}
	})
}

func BenchmarkParseEdition(b *testing.B) {
	var files [][]byte
	for _, name := range []string{"zh.md", "en.md", "toml.md"} {
		data, err := os.ReadFile(filepath.Join("testdata", "editions", name))
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, data)
	}
	cfg := DefaultConfig()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if e, ps := ParseEdition(zhFile, files[n%len(files)], cfg); e == nil {
			b.Fatal(ps)
		}
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "files/s")
}

// TestParseEditionHostile checks that input built to be slow stays fast:
// the front matter bounds keep the YAML parser's quadratic corners small.
func TestParseEditionHostile(t *testing.T) {
	fm := func(s string) []byte { return []byte("---\n" + s + "\n---\nbody\n") }
	nest := ""
	for i := range 120 {
		nest += strings.Repeat(" ", i) + "a:\n"
	}
	tests := map[string][]byte{
		"flow lists":      fm("a: " + strings.Repeat("[", 16000)),
		"flow tables":     fm("a: " + strings.Repeat("{", 16000)),
		"block lists":     fm(strings.Repeat("- ", 8000)),
		"block tables":    fm(nest),
		"many keys":       fm(strings.Repeat("k: v\n", 3270)),
		"many duplicates": fm(strings.Repeat("title: v\n", 1800)),
		"many list items": fm("tags: [" + strings.Repeat("a,", 8000) + "]"),
		"many anchors":    fm(strings.Repeat("a: &x 1\n", 2000)),
		"escapes":         fm("title: \"" + strings.Repeat(`\"`, 8000) + "\""),
		"toml arrays":     []byte("+++\na = " + strings.Repeat("[", 16000) + "\n+++\n"),
		"toml tables":     []byte("+++\n" + strings.Repeat("[[a]]\n", 2700) + "+++\n"),
		"many delimiters": []byte(strings.Repeat("---\n", 1_000_000)),
		"unclosed":        []byte("---\n" + strings.Repeat("a: b\n", 1_000_000)),
		"long CRLF body":  append(fm("title: t\ndate: 2025-01-01"), strings.Repeat("正文\r\n", 1_000_000)...),
	}
	for name, in := range tests {
		start := time.Now()
		ParseEdition(zhFile, in, nil)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: ParseEdition took %v", name, d)
		}
	}
}
