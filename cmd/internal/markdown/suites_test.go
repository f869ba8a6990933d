package markdown

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"golang.org/x/net/html"
)

// The public Markdown suites live outside the repository, in
// ../shared/suites beside the module root (SOURCES.txt there names their
// sources and licences). They are read at test time, never copied here.

// suitesDir returns the suites folder, or skips the test when it is
// missing (it fails under CI=true, where ../shared is always there).
func suitesDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
	suites := filepath.Join(dir, "..", "shared", "suites")
	if _, err := os.Stat(filepath.Join(suites, "SOURCES.txt")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the Markdown suites are missing: %v", err)
		}
		t.Skipf("the Markdown suites are missing (%v); they are required under CI=true", err)
	}
	return suites
}

// A specExample is one ```example block of a spec.txt.
type specExample struct {
	N              int // 1-based, in file order
	Line           int
	Section        string
	Markdown, HTML string
	Extension      string // "table", "strikethrough", … (GFM)
}

var exampleFence = strings.Repeat("`", 32) + " example"

// readSpec reads the examples of a CommonMark-style spec file: Markdown, a
// line with ".", the HTML; → stands for a tab.
func readSpec(t *testing.T, file string) []specExample {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var out []specExample
	section := ""
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.HasPrefix(l, "#") {
			section = strings.TrimSpace(strings.TrimLeft(l, "#"))
			continue
		}
		if !strings.HasPrefix(l, exampleFence) {
			continue
		}
		ex := specExample{N: len(out) + 1, Line: i + 1, Section: section,
			Extension: strings.TrimSpace(strings.TrimPrefix(l, exampleFence))}
		var md, h strings.Builder
		cur := &md
		for i++; i < len(lines) && lines[i] != strings.Repeat("`", 32); i++ {
			if lines[i] == "." && cur == &md {
				cur = &h
				continue
			}
			cur.WriteString(strings.ReplaceAll(lines[i], "→", "\t"))
			cur.WriteByte('\n')
		}
		ex.Markdown, ex.HTML = md.String(), h.String()
		out = append(out, ex)
	}
	return out
}

// stockGoldmark is goldmark configured as New configures it, with only
// goldmark's own extensions: GFM, footnotes, CJK with the escaped space
// and heading attributes.
func stockGoldmark() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.NewCJK(extension.WithEscapedSpace())),
		goldmark.WithParserOptions(parser.WithHeadingAttribute()),
	)
}

// suiteEnv is the Env the suites run with: links and images left as
// written (no report folder to resolve them in).
func suiteEnv() Env {
	env := testEnv("en")
	env.Resolve = nil
	return env
}

func convertDateline(c *Converter, src string) string {
	var b bytes.Buffer
	if err := c.Parse([]byte(src), suiteEnv()).Render(&b); err != nil {
		return "render error: " + err.Error()
	}
	return b.String()
}

func convertGoldmark(md goldmark.Markdown, src string) string {
	var b bytes.Buffer
	if err := md.Convert([]byte(src), &b); err != nil {
		return "convert error: " + err.Error()
	}
	return b.String()
}

var spaces = regexp.MustCompile(`\s+`)

// normalizeHTML makes HTML comparable as the spec's own test runner does,
// roughly: tags re-serialized (attribute quoting, "<br />" = "<br>"),
// white space collapsed outside <pre> and dropped between tags.
func normalizeHTML(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	pre := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return strings.TrimSpace(b.String())
		case html.TextToken:
			txt := string(z.Raw())
			if pre == 0 {
				txt = spaces.ReplaceAllString(txt, " ")
				if strings.TrimSpace(txt) == "" {
					continue
				}
			}
			b.WriteString(html.EscapeString(html.UnescapeString(txt)))
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if tok.Data == "pre" {
				pre++
			}
			tok.Type = html.StartTagToken
			sort.Slice(tok.Attr, func(i, j int) bool { return tok.Attr[i].Key < tok.Attr[j].Key })
			b.WriteString(tok.String())
		case html.EndTagToken:
			tok := z.Token()
			if tok.Data == "pre" && pre > 0 {
				pre--
			}
			b.WriteString(tok.String())
		default:
			b.Write(z.Raw())
		}
	}
}

// Why Dateline's HTML differs from goldmark's on purpose.
const (
	// Every heading gets an id (ids.go); goldmark's are off.
	whyHeadingID = "heading ids"
	// An image alone in its paragraph, or a link around one, is a
	// <figure>; its title is the caption (figure.go).
	whyFigure = "figure"
	// Raw HTML leaves nothing, not goldmark's "<!-- raw HTML omitted -->"
	// (rawhtml.go).
	whyRawHTML = "raw HTML dropped without a trace"
	// A bare URL's path takes letters of every script (inline.go).
	whyUnicodeURL = "URL past ASCII"
	// An aligned table column's cells carry a class (align-right), not a
	// style attribute (alignClasses): the minifier then has no CSS to minify
	// in every cell, and the theme styles them.
	whyAlignClass = "table alignment as a class"
)

// suiteRun is one suite against Dateline and goldmark.
type suiteRun struct {
	name     string
	examples []specExample
	// intended lists the examples where Dateline's HTML differs from
	// goldmark's, and why.
	intended map[int]string
}

func (r suiteRun) run(t *testing.T) {
	c, gm := New(), stockGoldmark()
	passD, passG := 0, 0
	seen := map[int]bool{}
	for _, ex := range r.examples {
		want := normalizeHTML(ex.HTML)
		d, g := convertDateline(c, ex.Markdown), convertGoldmark(gm, ex.Markdown)
		nd, ng := normalizeHTML(d), normalizeHTML(g)
		if nd == want {
			passD++
		}
		if ng == want {
			passG++
		}
		why, listed := r.intended[ex.N]
		seen[ex.N] = true
		switch {
		case nd != ng && !listed:
			t.Errorf("%s example %d (line %d, %s) differs from goldmark:\n%q\ndateline:\n%s\ngoldmark:\n%s",
				r.name, ex.N, ex.Line, ex.Section, ex.Markdown, d, g)
		case nd == ng && listed:
			t.Errorf("%s example %d (line %d) is listed as differing (%s) but does not", r.name, ex.N, ex.Line, why)
		}
	}
	for n := range r.intended {
		if !seen[n] {
			t.Errorf("%s has no example %d", r.name, n)
		}
	}
	t.Logf("%s: %d examples; spec output matched by goldmark %d, by Dateline %d", r.name, len(r.examples), passG, passD)
	suiteCounts = append(suiteCounts, fmt.Sprintf("%s: %d examples, goldmark %d, Dateline %d", r.name, len(r.examples), passG, passD))
}

var suiteCounts []string

func TestCommonMarkSpec(t *testing.T) {
	dir := suitesDir(t)
	suiteRun{"CommonMark 0.31.2", readSpec(t, filepath.Join(dir, "commonmark-0.31.2-spec.txt")), commonMarkIntended}.run(t)
}

func TestGFMSpec(t *testing.T) {
	dir := suitesDir(t)
	suiteRun{"GFM 0.29", readSpec(t, filepath.Join(dir, "gfm-spec.txt")), gfmIntended}.run(t)
}

func TestGFMExtensions(t *testing.T) {
	dir := suitesDir(t)
	suiteRun{"cmark-gfm extensions", readSpec(t, filepath.Join(dir, "gfm-extensions.txt")), gfmExtensionsIntended}.run(t)
}

// commonMarkIntended: the examples of the CommonMark spec where Dateline
// differs from goldmark, and why (the why* constants above).
var commonMarkIntended = map[int]string{
	10: whyHeadingID, 21: whyRawHTML, 31: whyRawHTML, 59: whyHeadingID, 62: whyHeadingID,
	66: whyHeadingID, 67: whyHeadingID, 68: whyHeadingID, 71: whyHeadingID, 72: whyHeadingID,
	73: whyHeadingID, 74: whyHeadingID, 75: whyHeadingID, 76: whyHeadingID, 77: whyHeadingID,
	78: whyHeadingID, 79: whyHeadingID, 80: whyHeadingID, 81: whyHeadingID, 82: whyHeadingID,
	83: whyHeadingID, 84: whyHeadingID, 86: whyHeadingID, 89: whyHeadingID, 90: whyHeadingID,
	91: whyHeadingID, 95: whyHeadingID, 96: whyHeadingID, 102: whyHeadingID, 103: whyHeadingID,
	115: whyHeadingID, 141: whyHeadingID, 148: whyRawHTML, 149: whyRawHTML, 150: whyRawHTML,
	151: whyRawHTML, 152: whyRawHTML, 153: whyRawHTML, 154: whyRawHTML, 155: whyRawHTML,
	156: whyRawHTML, 157: whyRawHTML, 158: whyRawHTML, 159: whyRawHTML, 160: whyRawHTML,
	161: whyRawHTML, 162: whyRawHTML, 163: whyRawHTML, 164: whyRawHTML, 165: whyRawHTML,
	166: whyRawHTML, 167: whyRawHTML, 168: whyRawHTML, 169: whyRawHTML, 170: whyRawHTML,
	171: whyRawHTML, 172: whyRawHTML, 173: whyRawHTML, 174: whyRawHTML, 175: whyRawHTML,
	176: whyRawHTML, 177: whyRawHTML, 178: whyRawHTML, 179: whyRawHTML, 180: whyRawHTML,
	181: whyRawHTML, 182: whyRawHTML, 183: whyRawHTML, 184: whyRawHTML, 185: whyRawHTML,
	186: whyRawHTML, 187: whyRawHTML, 188: whyRawHTML, 189: whyRawHTML, 190: whyRawHTML,
	191: whyRawHTML, 201: whyRawHTML, 214: whyHeadingID, 215: whyHeadingID, 227: whyHeadingID,
	228: whyHeadingID, 229: whyHeadingID, 230: whyHeadingID, 232: whyHeadingID, 300: whyHeadingID,
	308: whyRawHTML, 309: whyRawHTML, 344: whyRawHTML, 475: whyRawHTML, 476: whyRawHTML,
	477: whyRawHTML, 491: whyRawHTML, 494: whyRawHTML, 517: whyFigure, 520: whyFigure,
	524: whyRawHTML, 531: whyFigure, 536: whyRawHTML, 572: whyFigure, 573: whyFigure, 574: whyFigure,
	575: whyFigure, 576: whyFigure, 577: whyFigure, 578: whyFigure, 580: whyFigure, 581: whyFigure,
	582: whyFigure, 583: whyFigure, 584: whyFigure, 585: whyFigure, 586: whyFigure, 588: whyFigure,
	589: whyFigure, 591: whyFigure, 613: whyRawHTML, 614: whyRawHTML, 615: whyRawHTML,
	616: whyRawHTML, 617: whyRawHTML, 623: whyRawHTML, 625: whyRawHTML, 626: whyRawHTML,
	627: whyRawHTML, 628: whyRawHTML, 629: whyRawHTML, 630: whyRawHTML, 631: whyRawHTML,
	642: whyRawHTML, 643: whyRawHTML, 646: whyHeadingID, 647: whyHeadingID,
}

// gfmIntended: the same for the GFM spec (the CommonMark examples again,
// numbered differently; GFM's own extensions render alike).
var gfmIntended = map[int]string{
	10: whyHeadingID, 29: whyHeadingID, 32: whyHeadingID, 36: whyHeadingID, 37: whyHeadingID,
	38: whyHeadingID, 41: whyHeadingID, 42: whyHeadingID, 43: whyHeadingID, 44: whyHeadingID,
	45: whyHeadingID, 46: whyHeadingID, 47: whyHeadingID, 48: whyHeadingID, 49: whyHeadingID,
	50: whyHeadingID, 51: whyHeadingID, 52: whyHeadingID, 53: whyHeadingID, 54: whyHeadingID,
	56: whyHeadingID, 59: whyHeadingID, 60: whyHeadingID, 61: whyHeadingID, 65: whyHeadingID,
	66: whyHeadingID, 72: whyHeadingID, 73: whyHeadingID, 85: whyHeadingID, 111: whyHeadingID,
	118: whyRawHTML, 119: whyRawHTML, 120: whyRawHTML, 121: whyRawHTML, 122: whyRawHTML,
	123: whyRawHTML, 124: whyRawHTML, 125: whyRawHTML, 126: whyRawHTML, 127: whyRawHTML,
	128: whyRawHTML, 129: whyRawHTML, 130: whyRawHTML, 131: whyRawHTML, 132: whyRawHTML,
	133: whyRawHTML, 134: whyRawHTML, 135: whyRawHTML, 136: whyRawHTML, 137: whyRawHTML,
	138: whyRawHTML, 139: whyRawHTML, 140: whyRawHTML, 141: whyRawHTML, 142: whyRawHTML,
	143: whyRawHTML, 144: whyRawHTML, 145: whyRawHTML, 146: whyRawHTML, 147: whyRawHTML,
	148: whyRawHTML, 149: whyRawHTML, 150: whyRawHTML, 151: whyRawHTML, 152: whyRawHTML,
	153: whyRawHTML, 154: whyRawHTML, 155: whyRawHTML, 156: whyRawHTML, 157: whyRawHTML,
	158: whyRawHTML, 159: whyRawHTML, 160: whyRawHTML, 170: whyRawHTML, 183: whyHeadingID,
	184: whyHeadingID, 197: whyHeadingID, 206: whyHeadingID, 207: whyHeadingID, 208: whyHeadingID,
	210: whyHeadingID, 278: whyHeadingID, 288: whyRawHTML, 289: whyRawHTML, 317: whyRawHTML,
	327: whyRawHTML, 354: whyRawHTML, 484: whyRawHTML, 485: whyRawHTML, 486: whyRawHTML,
	500: whyRawHTML, 503: whyRawHTML, 525: whyFigure, 528: whyFigure, 532: whyRawHTML, 539: whyFigure,
	544: whyRawHTML, 580: whyFigure, 581: whyFigure, 582: whyFigure, 583: whyFigure, 584: whyFigure,
	585: whyFigure, 586: whyFigure, 588: whyFigure, 589: whyFigure, 590: whyFigure, 591: whyFigure,
	592: whyFigure, 593: whyFigure, 594: whyFigure, 596: whyFigure, 597: whyFigure, 599: whyFigure,
	632: whyRawHTML, 633: whyRawHTML, 634: whyRawHTML, 635: whyRawHTML, 636: whyRawHTML,
	642: whyRawHTML, 644: whyRawHTML, 645: whyRawHTML, 646: whyRawHTML, 647: whyRawHTML,
	648: whyRawHTML, 649: whyRawHTML, 650: whyRawHTML, 651: whyRawHTML, 653: whyRawHTML,
	663: whyRawHTML, 664: whyRawHTML, 667: whyHeadingID, 668: whyHeadingID,
	199: whyAlignClass,
}

// gfmExtensionsIntended: the same for cmark-gfm's extension tests. In 19 a
// bare URL goes on past ASCII (http://google.com/å): Dateline links it
// whole (as cmark-gfm does), goldmark stops before the å.
var gfmExtensionsIntended = map[int]string{
	6: whyAlignClass, 12: whyRawHTML, 19: whyFigure + "; " + whyUnicodeURL, 22: whyRawHTML,
}

// cjkSuite names the markdown-cjk-friendly test inputs and the snapshot
// holding their expected HTML. The snapshots "Compatible with GFM
// extension (1)" and "(2)" have their input inside the project's test
// code, not in a file, and are not run.
var cjkSuite = []struct{ input, snap, test string }{
	{"strong.md", "micromark.spec.ts.snap", "** around Kana/Han is converted to <strong>"},
	{"korean.md", "micromark.spec.ts.snap", "** around Korean is converted to <strong>"},
	{"pseudo-emoji.md", "micromark.spec.ts.snap", "** around pseudo-emoji (CJK symbols that are also unqualified-emoji) is converted to <strong>"},
	{"underscore-cjk-punct.md", "micromark.spec.ts.snap", "process underscores around CJK punctuation"},
	{"non-bmp.md", "micromark.spec.ts.snap", "recognizes non-BMP punctuation and symbols"},
	{"README-micromark.md", "micromark.spec.ts.snap", "Example Markdown in README"},
	{"gfm-strikethrough.md", "micromarkStrikethrough.spec.ts.snap", "Compatible with CJK"},
}

// cjkNeedsNewerUnicode lists the markdown-cjk-friendly cases (file and
// 1-based paragraph) that need Unicode tables newer than Go's
// (unicode.Version, 15.0.0 in Go 1.26); none: CJK extension I (Unicode
// 15.1, strong.md:82) passes because planes 2 and 3 count as wide whole.
var cjkNeedsNewerUnicode = map[string]bool{}

// readSnapshot returns the HTML a vitest snapshot file holds for test.
func readSnapshot(t *testing.T, file, test string) string {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	head := "> " + test + " 1`] = `\n\""
	i := strings.Index(string(data), head)
	if i < 0 {
		t.Fatalf("%s: no snapshot %q", file, test)
	}
	rest := string(data)[i+len(head):]
	j := strings.Index(rest, "\"\n`;")
	if j < 0 {
		t.Fatalf("%s: snapshot %q does not end", file, test)
	}
	return strings.NewReplacer("\\`", "`", "\\\\", "\\", "\\${", "${").Replace(rest[:j])
}

// cjkInput reads a test input: the file, or for the README its first
// ```md block.
func cjkInput(t *testing.T, file string) string {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	if strings.HasSuffix(file, "README-micromark.md") {
		i := strings.Index(s, "```md\n")
		j := strings.Index(s[i+6:], "```")
		s = s[i+6 : i+6+j]
	}
	return s
}

var paragraphHTML = regexp.MustCompile(`(?s)<p>.*?</p>`)

// TestCJKFriendly runs the markdown-cjk-friendly cases, one paragraph
// each, through Dateline and goldmark against the project's expected HTML.
func TestCJKFriendly(t *testing.T) {
	dir := filepath.Join(suitesDir(t), "cjk-friendly")
	c, gm := New(), stockGoldmark()
	total, passD, passG := 0, 0, 0
	for _, s := range cjkSuite {
		input := cjkInput(t, filepath.Join(dir, s.input))
		want := paragraphHTML.FindAllString(readSnapshot(t, filepath.Join(dir, s.snap), s.test), -1)
		paras := strings.Split(strings.TrimSpace(input), "\n\n")
		if len(paras) != len(want) {
			t.Fatalf("%s: %d paragraphs, the snapshot has %d", s.input, len(paras), len(want))
		}
		for i, para := range paras {
			total++
			w := normalizeHTML(want[i])
			if normalizeHTML(convertGoldmark(gm, para)) == w {
				passG++
			}
			got := convertDateline(c, para)
			if normalizeHTML(got) == w {
				passD++
				continue
			}
			key := fmt.Sprintf("%s:%d", s.input, i+1)
			if cjkNeedsNewerUnicode[key] {
				continue
			}
			t.Errorf("%s paragraph %d: %q\ngot  %s\nwant %s", s.input, i+1, para, strings.TrimSpace(got), want[i])
		}
	}
	t.Logf("markdown-cjk-friendly: %d cases; goldmark %d, Dateline %d", total, passG, passD)

	// gfm-non-cjk.md has no snapshot: text without CJK renders as GFM,
	// that is as goldmark renders it.
	input := cjkInput(t, filepath.Join(dir, "gfm-non-cjk.md"))
	if d, g := convertDateline(c, input), convertGoldmark(gm, input); normalizeHTML(d) != normalizeHTML(g) {
		t.Errorf("gfm-non-cjk.md differs from goldmark:\n%s\ngoldmark:\n%s", d, g)
	}
}
