// Package scaffold is what `dateline new` writes and what `dateline check`
// recognizes as left over from it: the starting editions, whose every line
// of placeholder text is known exactly, and a placeholder photo that carries
// a JPEG comment saying so and is the same bytes every time. A report that is not a draft must hold neither.
package scaffold

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
	"text/template"
)

// editions are the starting editions `dateline new` writes, per language;
// a language without its own uses English. Each has front matter, two
// stops, a figure with a credit and a sidebar, and starts as a draft so
// that nothing half-written is published by accident.
var editions = map[string]string{
	"zh": `---
title: "报道标题"
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

// Edition returns the starting edition in language lang (English for a
// language without its own) titled title and dated date (YYYY-MM-DD).
func Edition(lang, title, date string) []byte {
	src, ok := editions[lang]
	if !ok {
		src = editions["en"]
	}
	var buf bytes.Buffer
	template.Must(template.New(lang).Parse(src)).Execute(&buf, struct{ Title, Date string }{Title: title, Date: date})
	return buf.Bytes()
}

// placeholders is every line of placeholder text of every starting edition,
// trimmed: the lines that hold the writer's words once written. Lines that
// are only structure (---, :::, tags: [], src: …) and the title and date,
// which new fills in, are not among them.
var placeholders = func() map[string]bool {
	m := map[string]bool{}
	for _, src := range editions {
		for line := range strings.Lines(src) {
			line = strings.TrimSpace(line)
			switch {
			case line == "", line == "---", strings.HasPrefix(line, ":::"), strings.Contains(line, "{{"),
				strings.HasSuffix(line, ":"), strings.HasPrefix(line, "src:"), strings.HasPrefix(line, "role:"),
				line == "tags: []", line == "draft: true":
				continue
			}
			m[line] = true
		}
	}
	return m
}()

// A Leftover is a line of placeholder text still in an edition.
type Leftover struct {
	Line int    // 1-based
	Text string // trimmed
}

// Leftovers returns the lines of src that are placeholder text of a
// starting edition, exactly as new wrote them.
func Leftovers(src []byte) []Leftover {
	var out []Leftover
	n := 0
	for line := range bytes.Lines(src) {
		n++
		// Looked up without a copy; only a leftover becomes a string.
		if line = bytes.TrimSpace(line); placeholders[string(line)] {
			out = append(out, Leftover{Line: n, Text: string(line)})
		}
	}
	return out
}

// Photo is the path, in a report folder, of the placeholder photo.
const Photo = "photos/cover.jpg"

// marker is the placeholder photo's JPEG comment.
const marker = "dateline new: placeholder photo, replace it"

// PlaceholderJPEG is a quiet grey gradient to stand in for the real photo,
// with a JPEG comment (COM segment) saying what it is to anyone who opens
// it. check knows it by its content hash: the same bytes every time.
func PlaceholderJPEG() []byte {
	const w, h = 1200, 800
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetGray(x, y, color.Gray{Y: uint8(150 + 60*(x+y)/(w+h))})
		}
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 70})
	data := buf.Bytes()
	// SOI, then a COM segment (FF FE, 2-byte length counting itself), then the rest.
	com := append([]byte{0xFF, 0xFE, 0, byte(len(marker) + 2)}, marker...)
	return append(append(append([]byte{}, data[:2]...), com...), data[2:]...)
}
