package site

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// fuzzNow is the clock of every fuzzed build.
var fuzzNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// fuzzDefaultConfig is site.toml when the fuzzer gives none.
const fuzzDefaultConfig = `base_url = "https://news.example.org/"
timezone = "Asia/Shanghai"
[languages.zh]
tag = "zh-CN"
[languages.en]
tag = "en"
`

// fuzzFrontMatter turns a Markdown body into an edition.
const fuzzFrontMatter = "---\ntitle: 测试\ndate: 2025-06-01\ncredit: 李明 摄\n---\n\n"

// discardOutput counts nothing and keeps nothing.
type discardOutput struct{}

func (discardOutput) WriteFile(string, []byte) error { return nil }

// fuzzSeeds returns editions (and site.toml files) to start from: the
// sample site, the markdown case files and the dateline catalogue.
func fuzzSeeds(t testing.TB) (editions, configs [][]byte) {
	reports, _ := filepath.Glob("../../../content/*/*.md")
	for _, f := range reports {
		if b, err := os.ReadFile(f); err == nil {
			editions = append(editions, b)
		}
	}
	if b, err := os.ReadFile("../../../content/site.toml"); err == nil {
		configs = append(configs, b)
	}
	cases, _ := filepath.Glob("../markdown/testdata/*.txt")
	for _, f := range cases {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		// goldmark case files: the Markdown is between the first two
		// "//- - -" separators of each case.
		for _, c := range strings.Split(string(b), "//= = = = = = = = = = = = = = = = = = = = = = = =//") {
			parts := strings.Split(c, "//- - - - - - - - -//")
			if len(parts) >= 3 {
				editions = append(editions, []byte(fuzzFrontMatter+strings.TrimPrefix(parts[1], "\n")))
			}
		}
	}
	catalogue, _ := filepath.Glob("../../dateline/testdata/catalogue/*.txt")
	for _, f := range catalogue {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for name, data := range catalogueFiles(string(b)) {
			switch {
			case strings.HasSuffix(name, ".md"):
				editions = append(editions, data)
			case strings.HasSuffix(name, "site.toml"):
				configs = append(configs, data)
			}
		}
	}
	if len(editions) < 20 {
		t.Fatalf("only %d seed editions; are the seed folders gone?", len(editions))
	}
	return editions, configs
}

// catalogueFiles reads the "-- path --" sections of a catalogue case file
// (see cmd/dateline/catalogue_test.go); "(go)" sections are Go literals.
func catalogueFiles(s string) map[string][]byte {
	files := map[string][]byte{}
	var name string
	var quoted bool
	var body strings.Builder
	flush := func() {
		if name == "" {
			return
		}
		data := []byte(body.String())
		if quoted {
			u, err := strconv.Unquote(strings.TrimSpace(body.String()))
			if err != nil {
				return
			}
			data = []byte(u)
		}
		files[name] = data
	}
	for _, line := range strings.SplitAfter(s, "\n") {
		if h := strings.TrimSpace(line); strings.HasPrefix(h, "-- ") && strings.HasSuffix(h, " --") {
			flush()
			name = strings.TrimSuffix(strings.TrimPrefix(h, "-- "), " --")
			name, quoted = strings.CutSuffix(name, " (go)")
			body.Reset()
			continue
		}
		if name != "" {
			body.WriteString(line)
		}
	}
	flush()
	return files
}

func fuzzPNG(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 24, 16))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	img.Set(0, 0, color.Black)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// fuzzSite returns a small site holding edition as content/fuzz/zh.md and
// config as content/site.toml (the default one when config is empty).
func fuzzSite(photo, edition, config []byte) fstest.MapFS {
	if len(config) == 0 {
		config = []byte(fuzzDefaultConfig)
	}
	return fstest.MapFS{
		"content/site.toml":            {Data: config},
		"content/fuzz/zh.md":           {Data: edition},
		"content/fuzz/photos/p.png":    {Data: photo},
		"content/fuzz/photos/a.png":    {Data: photo},
		"content/fuzz/photos/x.jpg":    {Data: photo[:len(photo)/2]},
		"content/other/en.md":          {Data: []byte("---\ntitle: Other\ndate: 2025-05-01\n---\n\nThe other report.\n\n## First stop: here\n\n![a](photos/p.png \"c (Photo: X)\")\n")},
		"content/other/photos/p.png":   {Data: photo},
		"content/other/zh.md":          {Data: []byte("---\ntitle: 另一篇\ndate: 2025-05-01\n---\n\n另一篇。\n")},
		"content/_notes/readme.md":     {Data: []byte("not a report")},
		"content/fuzz/photos/notes.md": {Data: []byte("notes")},
	}
}

// FuzzBuild builds a whole site in memory with a fuzzed edition and a
// fuzzed site.toml. A build never panics, and a failed build is a list of
// problems, each naming a file, never a crash in disguise.
func FuzzBuild(f *testing.F) {
	editions, configs := fuzzSeeds(f)
	for _, e := range editions {
		f.Add(e, []byte(nil))
	}
	for _, c := range configs {
		f.Add([]byte(fuzzFrontMatter+"正文。\n"), c)
	}
	f.Add([]byte(fuzzFrontMatter+"\x8c\n0\n"), []byte(nil))
	photo := fuzzPNG(f)
	f.Fuzz(func(t *testing.T, edition, config []byte) {
		fsys := fuzzSite(photo, edition, config)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		res, err := NewBuilder(Options{FS: fsys, Now: fuzzNow}).Build(ctx, discardOutput{})
		if res == nil {
			t.Fatalf("Build returned no result (err %v)", err)
		}
		if err != nil && ctx.Err() == nil && len(res.Errors(false)) == 0 {
			t.Fatalf("Build failed without a problem: %v", err)
		}
		for _, p := range res.Problems {
			if p.Text == "" {
				t.Errorf("a problem without text: %+v", p)
			}
			for _, crash := range []string{"internal error", "panic", "runtime error", "rendering Markdown"} {
				if strings.Contains(p.Text, crash) {
					t.Errorf("a crash reported as a problem: %s", p)
				}
			}
		}
		if err == nil && len(res.Errors(false)) > 0 {
			t.Errorf("Build succeeded with errors: %v", res.Errors(false))
		}
	})
}
