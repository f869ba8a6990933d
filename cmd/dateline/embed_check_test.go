package main

import (
	"strings"
	"testing"
)

// TestCheckEmbeds runs `dateline check` on a site whose embeds and
// [embeds] allow list are wrong in each way check must name: a missing
// title is an error, a missing fallback image a warning, both at the
// ::: line; an allow entry that is no host name an error at its line of
// site.toml.
func TestCheckEmbeds(t *testing.T) {
	report := "---\ntitle: 嵌入\ndate: 2025-06-01\n---\n\n" +
		"::: embed https://vimeo.com/123456789\n纪录片\n:::\n\n" + // line 6: no fallback image
		"::: embed https://datawrapper.dwcdn.net/a/1/\n:::\n" // line 10: no title
	tests := []struct {
		name     string
		siteTOML string
		want     []string
	}{
		{"embeds", "base_url = \"https://news.example.cn/\"\n", []string{
			"content/embeds/zh.md:6: warning: embed has no fallback image; readers without JavaScript see only a link",
			"content/embeds/zh.md:10: embed https://datawrapper.dwcdn.net/a/1/ has no title: write it on the line after ::: embed",
		}},
		{"allow list", "base_url = \"https://news.example.cn/\"\n[embeds]\nallow = [\n  \"ok.example.cn\",\n  \"https://graphics.example.cn/\",\n]\n", []string{
			`content/site.toml:5: [embeds] allow[1] "https://graphics.example.cn/" is a URL: write its host alone, "graphics.example.cn"`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeSite(t, dir, map[string][]byte{
				"content/site.toml":    []byte(tt.siteTOML),
				"content/embeds/zh.md": []byte(report),
			})
			t.Setenv("DATELINE_CACHE", t.TempDir())
			code, stdout, stderr := dateline(t, "check", "-s", dir)
			if code != 1 {
				t.Errorf("check: exit %d; want 1\n%s%s", code, stdout, stderr)
			}
			for _, want := range tt.want {
				if !strings.Contains(stderr, want) {
					t.Errorf("check output lacks %q:\n%s", want, stderr)
				}
			}
		})
	}
}
