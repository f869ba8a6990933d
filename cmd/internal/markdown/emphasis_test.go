package markdown

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/testutil"
	"github.com/yuin/goldmark/util"
)

// TestEmphasisSpec runs the "Emphasis and strong emphasis" examples of the
// CommonMark spec (copied from goldmark v1.8.7's _test/spec.json) through
// goldmark with the Emphasis extension: English must parse as before.
func TestEmphasisSpec(t *testing.T) {
	data, err := os.ReadFile("testdata/emphasis_spec.json")
	if err != nil {
		t.Fatal(err)
	}
	var examples []struct {
		Markdown string `json:"markdown"`
		HTML     string `json:"html"`
		Example  int    `json:"example"`
	}
	if err := json.Unmarshal(data, &examples); err != nil {
		t.Fatal(err)
	}
	if len(examples) < 100 {
		t.Fatalf("only %d emphasis examples", len(examples))
	}
	var cases []testutil.MarkdownTestCase
	for _, e := range examples {
		cases = append(cases, testutil.MarkdownTestCase{No: e.Example, Markdown: e.Markdown, Expected: e.HTML})
	}
	md := goldmark.New(
		goldmark.WithExtensions(emphasis),
		goldmark.WithRendererOptions(html.WithXHTML(), html.WithUnsafe()),
	)
	testutil.DoTestCases(md, cases, t)
}

func TestFlanking(t *testing.T) {
	tests := []struct {
		c                 byte
		before, after     rune
		canOpen, canClose bool
	}{
		{'*', ' ', 'a', true, false},
		{'*', 'a', ' ', false, true},
		{'*', 'a', 'b', true, true},
		{'*', 'a', '"', false, true},  // CommonMark: a**"foo"** does not open
		{'*', '"', 'a', true, false},  // nor "**a close
		{'*', '是', '「', true, true},   // CJK before, punctuation after: opens
		{'*', '」', '是', true, true},   // punctuation before, CJK after: closes
		{'*', '：', 'R', true, true},   // CJK punctuation before: closes too
		{'*', 'x', '「', true, true},   // CJK punctuation after: opens
		{'_', '文', '不', false, false}, // intraword _ stays literal
		{'_', '」', '是', true, true},   // CJK punctuation lifts the intraword rule
		{'_', 'a', 'b', false, false},
	}
	for _, tt := range tests {
		o, c := flanking(tt.c, 0, tt.before, tt.after)
		if o != tt.canOpen || c != tt.canClose {
			t.Errorf("flanking(%q, %q, %q) = %v, %v; want %v, %v", tt.c, tt.before, tt.after, o, c, tt.canOpen, tt.canClose)
		}
	}
}

// TestEmphasisEnglishUnchanged converts English text with the whole
// Converter and with goldmark's own emphasis: the HTML must be the same.
func TestEmphasisEnglishUnchanged(t *testing.T) {
	plain := goldmark.New(goldmark.WithExtensions(figures, sidebars, stops, inlines, headingIDs))
	ours := New().md
	for _, src := range []string{
		"**Bold** and *em* and ***both***, snake_case_word, __init__.",
		`a*"foo"*, *"foo"*a, **"quoted"**word, "**quoted**".`,
		"*(**foo**)* and **foo*bar*baz** and _foo_bar_ and *foo**bar**baz*",
		"Text with *emphasis\nacross lines* and __strong__ words.",
	} {
		var a, b bytes.Buffer
		if err := plain.Convert([]byte(src), &a); err != nil {
			t.Fatal(err)
		}
		if err := ours.Convert([]byte(src), &b); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Errorf("Convert(%q) = %q; goldmark's emphasis gives %q", src, b.String(), a.String())
		}
	}
}

// TestPunctSpace holds punctSpace to goldmark's functions for every rune.
func TestPunctSpace(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune+1; r++ {
		p, s := punctSpace(r)
		if p != util.IsPunctRune(r) || s != util.IsSpaceRune(r) {
			t.Fatalf("punctSpace(%U) = %v, %v; goldmark says %v, %v", r, p, s, util.IsPunctRune(r), util.IsSpaceRune(r))
		}
	}
}
