package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"
	"time"

	"dateline/cmd/internal/content"
)

// scaffolds are the starting editions `dateline new` writes, per language;
// a language without its own uses English. Each has front matter, two
// stops, a figure with a credit and a sidebar, and starts as a draft so
// that nothing half-written is published by accident.
var scaffolds = map[string]string{
	"zh": `---
title: "{{.Title}}"
subtitle: "一句话说明这篇报道"
date: {{.Date}}
draft: true
dateline: "城市"
authors:
  - name: "记者姓名"
    role: "文/图"
credit: "记者姓名 摄"
tags: []
hero:
  src: photos/cover.jpg
  alt: "描述这张照片画面的文字"
  caption: "图片说明"
---

导语：用一两段话交代这次采访的来龙去脉。

::: sidebar 马上行动
边栏里可以写任何 Markdown：段落、列表、表格。
:::

## 第一站 地点名称

第一站的正文。

![描述照片画面的文字](photos/cover.jpg "图片说明（记者姓名 摄）")

## 第二站 地点名称

第二站的正文。
`,
	"en": `---
title: "{{.Title}}"
subtitle: "One sentence on what this report is about"
date: {{.Date}}
draft: true
dateline: "City"
authors:
  - name: "Reporter Name"
    role: "Text and photos"
credit: "Photo: Reporter Name"
tags: []
hero:
  src: photos/cover.jpg
  alt: "What the photo shows"
  caption: "Caption"
---

Lede: one or two paragraphs on what happened and why it matters.

::: sidebar Taking action
A sidebar holds any Markdown: paragraphs, lists, tables.
:::

## First stop: Place name

The first stop's text.

![What the photo shows](photos/cover.jpg "Caption (Photo: Reporter Name)")

## Second stop: Place name

The second stop's text.
`,
}

func runNew(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := newFlagSet("new", stderr)
	dir := fset.String("s", ".", "the site folder (holds content/)")
	if err := fset.Parse(args); err != nil {
		return &exitError{code: 2, err: err}
	}
	if fset.NArg() != 1 {
		return usageError("usage: dateline new SLUG")
	}
	slug := fset.Arg(0)
	if !content.ValidSlug(slug) {
		return usageError("new: %q is not a valid report slug: use lowercase letters, digits and hyphens (river-dikes)", slug)
	}
	cfg, ps := content.LoadConfig(os.DirFS(*dir))
	if cfg == nil {
		for _, p := range ps {
			fmt.Fprintln(stderr, p)
		}
		return errContent
	}
	folder := filepath.Join(*dir, "content", slug)
	if _, err := os.Stat(folder); err == nil {
		return &exitError{code: 1, err: fmt.Errorf("new: content/%s already exists; nothing written", slug)}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	files := map[string][]byte{"photos/cover.jpg": placeholderJPEG()}
	title := strings.ReplaceAll(slug, "-", " ")
	for _, l := range cfg.Languages {
		src, ok := scaffolds[l.Key]
		if !ok {
			src = scaffolds["en"]
		}
		var buf bytes.Buffer
		err := template.Must(template.New(l.Key).Parse(src)).Execute(&buf, struct{ Title, Date string }{
			Title: title, Date: time.Now().In(cfg.Location).Format("2006-01-02"),
		})
		if err != nil {
			return err
		}
		files[l.Key+".md"] = buf.Bytes()
	}
	if err := os.MkdirAll(filepath.Join(folder, "photos"), 0o755); err != nil {
		return err
	}
	for name, data := range files {
		// O_EXCL: never overwrite, even if the folder appeared meanwhile.
		f, err := os.OpenFile(filepath.Join(folder, filepath.FromSlash(name)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	for _, l := range cfg.Languages {
		fmt.Fprintf(stdout, "created content/%s/%s.md\n", slug, l.Key)
	}
	fmt.Fprintf(stdout, "created content/%s/photos/cover.jpg (a placeholder: replace it)\n", slug)
	return nil
}

// placeholderJPEG is a quiet grey gradient to stand in for the real photo.
func placeholderJPEG() []byte {
	const w, h = 1200, 800
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetGray(x, y, color.Gray{Y: uint8(150 + 60*(x+y)/(w+h))})
		}
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 70})
	return buf.Bytes()
}
