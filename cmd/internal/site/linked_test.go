package site

import (
	"context"
	"os"
	"strings"
	"testing"

	"dateline/cmd/internal/publish"
)

// Pretty-printed files a report links to: they are published minified.
const (
	prettyJSON = "{\n  \"stations\": [\n    {\"name\": \"Yuhang\", \"km\": 12.5},\n    {\"name\": \"Liangzhu\", \"km\": 30}\n  ]\n}\n"
	prettySVG  = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\n  <!-- the route -->\n  <path d=\"M 0 0 L 10 10\" />\n</svg>\n"
)

// TestLinkedFilesMinified: a .json and an .svg a report links to are
// published as minify(file) by the publish minifier, under names carrying
// the hash of those minified bytes, which the page links to; also when a
// second build takes their facts from the photo index. A JSON file the
// minifier cannot parse fails the build with its path and line.
func TestLinkedFilesMinified(t *testing.T) {
	dir := t.TempDir()
	body := "See [the data](data/route.json) and [the map](data/route.svg)."
	writeFiles(t, dir, map[string]string{
		"content/site.toml":         "base_url = \"https://x.example/\"\n",
		"content/a/en.md":           editionFile("en", "A", "2025-01-01", body),
		"content/a/data/route.json": prettyJSON,
		"content/a/data/route.svg":  prettySVG,
	})
	m := publish.NewMinifier()
	want := map[string]string{}
	for name, src := range map[string]string{"route.json": prettyJSON, "route.svg": prettySVG} {
		min, err := m.File(name, []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		ext := name[strings.LastIndex(name, "."):]
		want[publish.WithHash("assets/"+photoDir(ext)+"/"+name, publish.Hash(min))] = string(min)
	}
	// Fixed expectations too, so that a minifier doing nothing fails.
	for name, data := range want {
		if strings.HasSuffix(name, ".svg") && (strings.Contains(data, "<!--") || strings.Contains(data, "\n") || len(data) >= len(prettySVG)) {
			t.Fatalf("minified SVG keeps its comment or line breaks: %q", data)
		}
	}
	if got := want[publish.HashedName("assets/files/route.json", []byte(`{"stations":[{"name":"Yuhang","km":12.5},{"name":"Liangzhu","km":30}]}`))]; got == "" {
		t.Fatalf("minified JSON is not the expected one: %q", want)
	}
	cacheDir := t.TempDir()
	for _, build := range []string{"first", "from the photo index"} {
		out := newMem()
		res, err := NewBuilder(Options{FS: os.DirFS(dir), Now: clock, NoDerivatives: true, Cache: cacheDir}).Build(context.Background(), out)
		if err != nil {
			t.Fatalf("%s build: %v (%v)", build, err, res.Problems)
		}
		page := string(out.files["en/a/index.html"])
		for name, data := range want {
			if got, ok := out.files[name]; !ok {
				t.Errorf("%s build: %s not published; files: %v", build, name, keys(out.files, "assets/"))
			} else if string(got) != data {
				t.Errorf("%s build: %s = %q, want %q", build, name, got, data)
			}
			if !strings.Contains(page, name[strings.LastIndex(name, "/")+1:]) {
				t.Errorf("%s build: the page does not link to %s", build, name)
			}
		}
	}

	// Invalid JSON: an error at the data file's line, nothing published.
	writeFiles(t, dir, map[string]string{"content/a/data/route.json": "{\n  \"stations\": [1, 2,\n  oops\n}\n"})
	out := newMem()
	res, err := NewBuilder(Options{FS: os.DirFS(dir), Now: clock, NoDerivatives: true}).Build(context.Background(), out)
	if err == nil {
		t.Fatalf("invalid JSON built without an error")
	}
	var text []string
	for _, p := range res.Problems {
		text = append(text, p.String())
	}
	if all := strings.Join(text, "\n"); !strings.Contains(all, "content/a/en.md:") || !strings.Contains(all, "content/a/data/route.json:3: ") {
		t.Errorf("problems %q; want the link's line in en.md and route.json:3", all)
	}
	for name := range out.files {
		if strings.Contains(name, "route.") && strings.HasSuffix(name, ".json") {
			t.Errorf("invalid JSON published as %s", name)
		}
	}
}

func keys(m map[string][]byte, prefix string) []string {
	var ks []string
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			ks = append(ks, k)
		}
	}
	return ks
}
