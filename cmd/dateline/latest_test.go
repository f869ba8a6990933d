package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestLatestReport(t *testing.T) {
	dir := t.TempDir()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	files := []struct {
		name string
		age  time.Duration
	}{
		{"content/site.toml", 0}, // not a report
		{"content/old/zh.md", 3 * time.Hour},
		{"content/old/en.md", 2 * time.Hour},
		{"content/new/zh.md", time.Hour},
		{"content/new/en.md", 90 * time.Minute},
		{"content/tie/zh.md", 10*time.Minute + time.Second}, // saved with en.md (a clone):
		{"content/tie/en.md", 10 * time.Minute},             // the default language wins
		{"content/edited/zh.md", 2 * time.Hour},
		{"content/edited/en.md", 5 * time.Minute}, // edited last: its language

		{"content/new/notes.md", 0},    // not a language of the site
		{"content/new/photos/a.md", 0}, // not an edition: in a subfolder
		{"content/.hidden/zh.md", 0},   // not a report folder
		{"content/Bad Name/zh.md", 0},  // nor this
	}
	if got := latestReport(dir); got != "" {
		t.Errorf("latestReport(no content) = %q; want \"\"", got)
	}
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		data := []byte("x")
		if f.name == "content/site.toml" {
			data = testSite(t)["content/site.toml"]
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		when := base.Add(-f.age)
		if err := os.Chtimes(p, when, when); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := latestReport(dir), "en/edited/"; got != want {
		t.Errorf("latestReport = %q; want %q", got, want)
	}
	os.RemoveAll(filepath.Join(dir, "content", "edited"))
	if got, want := latestReport(dir), "zh/tie/"; got != want {
		t.Errorf("latestReport with zh.md and en.md saved together = %q; want %q", got, want)
	}
	os.RemoveAll(filepath.Join(dir, "content", "tie"))
	if got, want := latestReport(dir), "zh/new/"; got != want {
		t.Errorf("latestReport = %q; want %q", got, want)
	}
}
