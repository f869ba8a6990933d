package site

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestReadingMinutes(t *testing.T) {
	tests := []struct {
		han, words, want int
	}{
		{0, 0, 1},
		{400, 0, 1},
		{401, 0, 2},
		{2000, 0, 5},
		{0, 230, 1},
		{0, 1150, 5},
		// A Chinese report with English names in it counts both (hugo #10031).
		{1600, 460, 6},
	}
	for _, tt := range tests {
		if got := readingMinutes(tt.han, tt.words); got != tt.want {
			t.Errorf("readingMinutes(%d, %d) = %d; want %d", tt.han, tt.words, got, tt.want)
		}
	}
}

func TestCutSummary(t *testing.T) {
	long := strings.Repeat("考察团一行实地考察了市民之家", 20) // 280 characters, no full stop
	sentences := strings.Repeat("余杭区是杭州的都市新区。", 15)
	words := strings.Repeat("The delegation visited the hall and asked questions ", 12)
	tests := []struct {
		name, text, lang string
		check            func(string) bool
		want             string
	}{
		{"short zh unchanged", "短短一句话。", "zh", nil, "短短一句话。"},
		{"short en unchanged", "A short summary.", "en", nil, "A short summary."},
		{"zh cut by characters", long, "zh", func(s string) bool {
			return utf8.RuneCountInString(s) == summaryChars+1 && strings.HasSuffix(s, "…")
		}, ""},
		{"zh ends at a full stop", sentences, "zh-CN", func(s string) bool {
			return strings.HasSuffix(s, "。") && utf8.RuneCountInString(s) <= summaryChars
		}, ""},
		{"en cut by words", words, "en", func(s string) bool {
			return len(strings.Fields(s)) == summaryWords && strings.HasSuffix(s, "…")
		}, ""},
		{"whitespace folded", "a\n  b\tc", "en", nil, "a b c"},
	}
	for _, tt := range tests {
		got := cutSummary(tt.text, tt.lang)
		if tt.check != nil {
			if !tt.check(got) {
				t.Errorf("%s: cutSummary(%q) = %q", tt.name, tt.text, got)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("%s: cutSummary(%q) = %q; want %q", tt.name, tt.text, got, tt.want)
		}
	}
}

func TestReportPath(t *testing.T) {
	tests := []struct {
		dest, want, err string
	}{
		{"photos/a.jpg", "content/r/photos/a.jpg", ""},
		{"./photos/a.jpg", "content/r/photos/a.jpg", ""},
		{"photos/a%20b.jpg", "content/r/photos/a b.jpg", ""},
		{"photos/a.jpg?x=1#y", "content/r/photos/a.jpg", ""},
		{"../other/a.jpg", "", "leaves the report folder"},
		{"photos/../../a.jpg", "", "leaves the report folder"},
		{"/a.jpg", "", "must be a path inside the report folder"},
		{"photos\\a.jpg", "", "must be a path inside the report folder"},
		{".", "", "leaves the report folder"},
	}
	for _, tt := range tests {
		got, err := reportPath("content/r", tt.dest)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("reportPath(%q) = %q, %v; want error %q", tt.dest, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("reportPath(%q) = %q, %v; want %q", tt.dest, got, err, tt.want)
		}
	}
}

func TestAffected(t *testing.T) {
	tests := []struct {
		changed []string
		slugs   []string
		full    bool
	}{
		{[]string{"content/a/zh.md"}, []string{"a"}, false},
		{[]string{"content/b/photos/x.jpg", "content/a/en.md", "content/a/zh.md"}, []string{"a", "b"}, false},
		{[]string{"content/new-report"}, []string{"new-report"}, false},
		{[]string{"content/site.toml"}, nil, true},
		{[]string{"content/a/zh.md", "themes/default/layouts/report.html"}, nil, true},
		{[]string{"content/readme.txt"}, nil, true},
	}
	for _, tt := range tests {
		slugs, full := affected(tt.changed)
		if full != tt.full || strings.Join(slugs, ",") != strings.Join(tt.slugs, ",") {
			t.Errorf("affected(%q) = %q, %v; want %q, %v", tt.changed, slugs, full, tt.slugs, tt.full)
		}
	}
}
