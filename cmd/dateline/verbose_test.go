package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"dateline/themes"
)

// TestBuildVerboseFallbacks: `dateline build -v` names the layout that
// falls back from the compiled path to html/template, with the file and
// line of the construct that made it, and counts the pages that fell back
// at run time; without -v it says nothing of it.
func TestBuildVerboseFallbacks(t *testing.T) {
	files := testSite(t)
	files["content/site.toml"] = append([]byte("theme = \"x\"\n"), files["content/site.toml"]...)
	err := fs.WalkDir(themes.Default(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(themes.Default(), name)
		files["themes/x/"+name] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	report := files["themes/x/layouts/report.html"]
	line := bytes.Count(report, []byte("\n")) + 1
	if !bytes.HasSuffix(report, []byte("\n")) {
		report = append(report, '\n')
		line++
	}
	files["themes/x/layouts/report.html"] = append(report, `{{printf "" -}}`+"\n"...)
	dir := t.TempDir()
	writeSite(t, dir, files)

	code, stdout, stderr := dateline(t, "build", "-v", "-s", dir, "-o", filepath.Join(dir, "public"))
	if code != 0 {
		t.Fatalf("build -v: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		fmt.Sprintf("themes/x/layouts/report.html:%d: layout falls back to html/template: printf\n", line),
		"\n0 pages fell back to html/template at run time\n",
	} {
		if !strings.Contains("\n"+stderr, want) {
			t.Errorf("build -v stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "front.html") {
		t.Errorf("build -v names front.html, which is compiled:\n%s", stderr)
	}

	code, stdout, stderr = dateline(t, "build", "-s", dir, "-o", filepath.Join(dir, "public"))
	if code != 0 || strings.Contains(stderr, "html/template") {
		t.Errorf("build without -v: exit %d, stderr:\n%s", code, stderr)
	}
}
