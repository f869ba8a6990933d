package theme

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "update golden files")

// TestGolden renders the default theme's pages with the fixtures and
// compares them with testdata/*.golden.html; -update rewrites them.
func TestGolden(t *testing.T) {
	s := loadDefault(t)
	tests := []struct {
		name string
		page func() *Page
	}{
		{"report_zh", func() *Page { return reportPage(t, s, "zh") }},
		{"report_en", func() *Page { return reportPage(t, s, "en") }},
		{"front_zh", func() *Page { return frontPage(t, s, "zh") }},
		{"front_en", func() *Page { return frontPage(t, s, "en") }},
		{"report_en_preview", func() *Page {
			p := reportPage(t, s, "en")
			p.Report.Draft = true
			p.Preview = &Preview{
				Banner:   s.Strings("en").Get("draft_banner"),
				Errors:   []string{`content/yuhang/en.md:14: unknown container kind "box"; use sidebar, quote or note`, "content/yuhang/en.md:31: photo photos/hall.jpg not found"},
				Warnings: []string{"content/yuhang/en.md:40: warning: figure has no credit"},
				Script:   `<script src="/_dateline/livereload.js" defer></script>`,
			}
			return p
		}},
		{"root", func() *Page { return rootPage(t, s) }},
		{"404_en", func() *Page { return notFoundPage(s, "en") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := s.Execute(&buf, tt.page()); err != nil {
				t.Fatalf("Execute: %v", err)
			}
			file := filepath.Join("testdata", tt.name+".golden.html")
			if *update {
				if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("%s differs from the rendered page; run go test -update and review the diff", file)
			}
		})
	}
}
