package markdown

import (
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
)

// fakeResolve gives 1200×800 for any photos/*.jpg, an error for
// photos/missing.jpg, and files/* as themselves under /assets/.
func fakeResolve(dest string, image bool) (Asset, error) {
	switch {
	case dest == "photos/missing.jpg":
		return Asset{}, errors.New("photo photos/missing.jpg not found")
	case strings.HasPrefix(dest, "photos/") && strings.HasSuffix(dest, ".jpg"):
		return Asset{URL: "/p/" + strings.TrimPrefix(dest, "photos/"), Width: 1200, Height: 800}, nil
	case strings.HasPrefix(dest, "files/"):
		return Asset{URL: "/assets/" + strings.TrimPrefix(dest, "files/")}, nil
	}
	what := "file"
	if image {
		what = "photo"
	}
	return Asset{}, errors.New(what + " " + dest + " not found")
}

var zhOrdinals = []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

func zhStopLabel(n int) string {
	if n < len(zhOrdinals) {
		return "第" + zhOrdinals[n] + "站"
	}
	return "第" + strconv.Itoa(n) + "站"
}

var enOrdinalLabels = []string{"", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth"}

func enStopLabel(n int) string {
	if n < len(enOrdinalLabels) {
		return enOrdinalLabels[n] + " stop"
	}
	return "Stop " + strconv.Itoa(n)
}

func testEnv(lang string) Env {
	env := Env{File: "content/test/" + lang + ".md", BodyLine: 1, Lang: lang, Resolve: fakeResolve}
	if lang == "en" {
		env.StopLabel = enStopLabel
	} else {
		env.StopLabel = zhStopLabel
	}
	return env
}

// testMarkdown is a goldmark.Markdown whose Convert runs a Converter with a
// fixed Env, so that goldmark's testutil can run our case files.
type testMarkdown struct {
	c   *Converter
	env Env
}

func (m testMarkdown) Convert(src []byte, w io.Writer, _ ...parser.ParseOption) error {
	return m.c.Parse(src, m.env).Render(w)
}

func (m testMarkdown) Parser() parser.Parser         { return m.c.md.Parser() }
func (m testMarkdown) SetParser(parser.Parser)       { panic("testMarkdown: SetParser") }
func (m testMarkdown) Renderer() renderer.Renderer   { return m.c.md.Renderer() }
func (m testMarkdown) SetRenderer(renderer.Renderer) { panic("testMarkdown: SetRenderer") }

var _ goldmark.Markdown = testMarkdown{}
