package site

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"

	"dateline/cmd/internal/corpus"
	"dateline/cmd/internal/publish"
)

// rawReport is a report whose Markdown holds raw HTML, which goldmark
// replaces with "<!-- raw HTML omitted -->", and whitespace that only the
// minifier's rules say what to do with: soft line breaks, inline elements
// on lines of their own, a code block.
var rawReport = map[string]string{
	"content/raw-html/en.md": `---
title: "Raw <b>HTML</b> & comments"
date: 2022-03-04
authors:
  - name: Li Ming
    role: Text
---

A paragraph with <span class="x">inline HTML</span>, an <!-- inline comment -->
and a soft line break, *emphasis*
**strong** and ` + "`code`" + `.

<div class="raw">
<script>alert(1)</script>
</div>

<!-- a block comment -->

    <!-- in a code block: text -->
      indented   line

## First stop: the dike

Text after the stop.
`,
	"content/raw-html/zh.md": `---
title: 原始 HTML
date: 2022-03-04
authors:
  - name: 李明
    role: 文
---

第一句<span>行内</span>，
第二句<!-- 注释 -->。

<section>
块级 HTML
</section>

## 第一站：堤坝

正文。
`,
}

// TestEveryFileMinified: every HTML, CSS, JS, SVG, XML and JSON file a build
// writes is the minifier's own output, so minifying it again changes
// nothing, byte for byte; and no page holds an HTML comment, not even
// goldmark's "<!-- raw HTML omitted -->". On the sample site, on a
// generated corpus with a report of raw HTML, and on that corpus's preview
// (whose pages carry banners and inline CSS).
func TestEveryFileMinified(t *testing.T) {
	gen := benchMapFS(corpus.Generate(4, 7))
	for name, text := range rawReport {
		gen[name] = &fstest.MapFile{Data: []byte(text), Mode: 0o644}
	}
	sites := []struct {
		name string
		opts Options
	}{
		{"sample", Options{FS: os.DirFS(filepath.Join("..", "..", ".."))}},
		{"generated", Options{FS: gen}},
		{"preview", Options{FS: gen, Preview: true}},
	}
	m := publish.NewMinifier()
	for _, site := range sites {
		t.Run(site.name, func(t *testing.T) {
			opts := site.opts
			opts.Now, opts.Cache = benchNow, t.TempDir()
			out := &benchKeep{}
			if res, err := NewBuilder(opts).Build(context.Background(), out); err != nil {
				t.Fatalf("build: %v (%v)", err, res.Problems)
			}
			checked := map[string]int{}
			for _, name := range slices.Sorted(maps.Keys(out.files)) {
				data := out.files[name]
				mediatype := publish.MediaType(name)
				if mediatype == "" {
					continue
				}
				checked[path.Ext(name)]++
				again, err := m.Bytes(mediatype, data)
				if err != nil {
					t.Errorf("minify %s: %v", name, err)
					continue
				}
				if i := firstDiff(again, data); i >= 0 {
					t.Errorf("%s is not minified: minifying it changes byte %d:\nwritten:  %q\nminified: %q",
						name, i, around(data, i), around(again, i))
				}
				if mediatype == "text/html" {
					if i := bytes.Index(data, []byte("<!--")); i >= 0 {
						t.Errorf("%s: an HTML comment: %q", name, around(data, i))
					}
				}
			}
			for _, ext := range []string{".html", ".css", ".js", ".xml"} {
				if checked[ext] == 0 {
					t.Errorf("no %s file written; checked %v", ext, checked)
				}
			}
			if site.name != "sample" {
				page := string(out.files["en/raw-html/index.html"])
				if page == "" || bytes.Contains([]byte(page), []byte("alert(1)")) {
					t.Errorf("en/raw-html/index.html: missing, or the raw script passed through:\n%s", page)
				}
			}
		})
	}
}

// firstDiff returns the index of the first byte where a and b differ, or
// -1 when they are equal.
func firstDiff(a, b []byte) int {
	if bytes.Equal(a, b) {
		return -1
	}
	i := 0
	for i < min(len(a), len(b)) && a[i] == b[i] {
		i++
	}
	return i
}

// around returns up to 60 bytes either side of b[i].
func around(b []byte, i int) []byte {
	return b[max(0, i-60):min(len(b), i+60)]
}
