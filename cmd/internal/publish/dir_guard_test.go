package publish

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckOutput(t *testing.T) {
	root := t.TempDir()
	site := filepath.Join(root, "site")
	cache := filepath.Join(root, "cache", "dateline") // DATELINE_CACHE
	mk := func(p string, files ...string) {
		t.Helper()
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if err := os.WriteFile(filepath.Join(p, f), []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	link := func(target, name string) {
		t.Helper()
		if err := os.Symlink(target, name); err != nil {
			t.Fatal(err)
		}
	}
	mk(filepath.Join(site, "content", "alpha"), "zh.md")
	mk(filepath.Join(site, "themes", "default"), "page.html")
	mk(filepath.Join(site, ".cache", "dateline", "output"), "index.html")
	mk(filepath.Join(site, "public"), Marker, "index.html")
	mk(filepath.Join(site, "gitkeep-only"), ".gitkeep")
	mk(filepath.Join(site, "empty"))
	mk(filepath.Join(site, "docs"), "notes.txt")
	mk(cache)
	mk(filepath.Join(root, "deep", "er"))
	if err := os.WriteFile(filepath.Join(root, "a-file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	link(filepath.Join(site, "content"), filepath.Join(root, "to-content"))
	link(filepath.Join(site, "content"), filepath.Join(site, "public-link"))
	link(site, filepath.Join(root, "site-link"))
	link(filepath.Join(root, "deep", "er"), filepath.Join(site, "er-link"))
	link(filepath.Join(site, "themes", "default"), filepath.Join(root, "theme-link"))

	S := func(p string) string { return filepath.Join(site, filepath.FromSlash(p)) }
	R := func(p string) string { return filepath.Join(root, filepath.FromSlash(p)) }
	tests := []struct {
		name  string
		out   string
		site  string // "" for site
		force bool
		want  string // "" for no error; else the message, $OUT for the output
	}{
		{"default public, ours", S("public"), "", false, ""},
		{"new folder in the site", S("web/out"), "", false, ""},
		{"new folder elsewhere", R("elsewhere/public"), "", false, ""},
		{"empty folder", S("empty"), "", false, ""},
		{"only a .gitkeep", S("gitkeep-only"), "", false, ""},
		{"a file (Create says so)", R("a-file"), "", false, ""},
		{"the site folder (-o .)", S("."), "", false, "output folder $OUT is the site folder"},
		{"the site folder, forced", S("."), "", true, "output folder $OUT is the site folder"},
		{"the site's parent (-o ..)", S(".."), "", false, "output folder $OUT holds the site folder " + site},
		{"a folder above that", filepath.Dir(root), "", false, "output folder $OUT holds the site folder " + site},
		{"content/", S("content"), "", false, "output folder $OUT is the site's content/ folder"},
		{"content/, forced", S("content"), "", true, "output folder $OUT is the site's content/ folder"},
		{"a report (content/<slug>)", S("content/alpha"), "", false, "output folder $OUT lies inside the site's content/ folder"},
		{"a new folder in content/", S("content/beta/x"), "", false, "output folder $OUT lies inside the site's content/ folder"},
		{"themes/", S("themes"), "", false, "output folder $OUT is the site's themes/ folder"},
		{"inside themes/", S("themes/default"), "", false, "output folder $OUT lies inside the site's themes/ folder"},
		{"SITE/.cache", S(".cache"), "", false, "output folder $OUT is the build cache"},
		{"the kept output", S(".cache/dateline/output"), "", false, "output folder $OUT lies inside the build cache"},
		{"DATELINE_CACHE", cache, "", false, "output folder $OUT is the build cache"},
		{"above DATELINE_CACHE", R("cache"), "", false, "output folder $OUT holds the build cache"},
		{"inside DATELINE_CACHE", filepath.Join(cache, "output"), "", false, "output folder $OUT lies inside the build cache"},
		{"dot-dot into content/", S("public/../content/alpha"), "", false, "output folder " + S("content/alpha") + " lies inside the site's content/ folder"},
		{"a link to content/", R("to-content"), "", false, "output folder $OUT is the site's content/ folder"},
		{"through a link into content/", R("to-content/alpha"), "", false, "output folder $OUT lies inside the site's content/ folder"},
		{"public is a link to content/", S("public-link"), "", false, "output folder $OUT is the site's content/ folder"},
		{"a link to a theme", R("theme-link"), "", false, "output folder $OUT lies inside the site's themes/ folder"},
		{"site given through a link", S("content"), R("site-link"), false, "output folder $OUT is the site's content/ folder"},
		{"the site through a link", R("site-link"), "", false, "output folder $OUT is the site folder"},
		{"a link out of the site, then ..", S("er-link/.."), "", false, "output folder $OUT is the site folder"},
		{"not Dateline's", S("docs"), "", false, "output folder $OUT holds files Dateline did not write (it has no .dateline-output file); --force replaces it"},
		{"not Dateline's, forced", S("docs"), "", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.site
			if s == "" {
				s = site
			}
			err := CheckOutput(tt.out, s, cache, tt.force)
			abs, _ := filepath.Abs(tt.out)
			want := strings.ReplaceAll(tt.want, "$OUT", abs)
			switch {
			case want == "" && err != nil:
				t.Errorf("CheckOutput(%s) = %v; want no error", tt.out, err)
			case want != "" && err == nil:
				t.Errorf("CheckOutput(%s) = nil; want %q", tt.out, want)
			case want != "" && err.Error() != want:
				t.Errorf("CheckOutput(%s) = %q; want %q", tt.out, err, want)
			}
		})
	}
	// Nothing was touched.
	if got := readTree(t, filepath.Join(site, "content")); len(got) != 1 || got["alpha/zh.md"] != "x" {
		t.Errorf("content/ = %v", got)
	}
}
