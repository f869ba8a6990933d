package site

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// TestPreviewBanners checks the banners a preview shows on unpublished
// reports, in the words the newsroom asked for, and that a published build
// has neither the reports nor the banners.
func TestPreviewBanners(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"content/site.toml":   "base_url = \"https://x.example/\"\ntimezone = \"Asia/Shanghai\"\n",
		"content/later/zh.md": "---\ntitle: 定时\ndate: 2025-06-12T08:00:00+08:00\n---\n\n正文。\n",
		"content/draft/zh.md": "---\ntitle: 草稿稿\ndate: 2025-01-01\ndraft: true\n---\n\n正文。\n",
	})
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, preview := range []bool{true, false} {
		out := newMem()
		if _, err := NewBuilder(Options{FS: os.DirFS(dir), Now: now, Preview: preview}).Build(context.Background(), out); err != nil {
			t.Fatal(err)
		}
		later, draft := string(out.files["zh/later/index.html"]), string(out.files["zh/draft/index.html"])
		if !preview {
			if later != "" || draft != "" {
				t.Error("a published build wrote an embargoed or draft report")
			}
			continue
		}
		if want := "定时发布 · Embargoed until 2025年6月12日 08:00"; !strings.Contains(later, want) {
			t.Errorf("embargoed report in preview lacks the banner %q", want)
		}
		if want := "草稿 · Draft"; !strings.Contains(draft, want) {
			t.Errorf("draft in preview lacks the banner %q", want)
		}
	}
}
