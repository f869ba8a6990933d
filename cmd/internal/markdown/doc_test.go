package markdown

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

const report = `导语段落，**重点**在这里，
第二行 with English words。

![市民之家](photos/a.jpg "考察团在市民之家（孙庆辉 摄）")

::: sidebar ■马上行动
见[链接](https://example.org/a)。
:::

## 第一站 余杭区“市民之家”

正文[^1]。

## Second stop: City Brain

::: quote 陈夏林
只进一扇门。
:::

[^1]: 注释 note。
`

func TestDocFields(t *testing.T) {
	env := testEnv("zh")
	env.BodyLine = 5
	d := New().Parse([]byte(report), env)
	if len(d.Problems) != 0 {
		t.Errorf("Problems = %v", d.Problems)
	}
	wantStops := []Stop{
		{N: 1, ID: "stop-1", Label: "第一站", Title: "余杭区“市民之家”", Line: 14},
		{N: 2, ID: "stop-2", Label: "第二站", Title: "City Brain", Line: 18},
	}
	if !reflect.DeepEqual(d.Stops, wantStops) {
		t.Errorf("Stops = %+v; want %+v", d.Stops, wantStops)
	}
	wantFigures := []Figure{{Src: "photos/a.jpg", Alt: "市民之家", Caption: "考察团在市民之家", Credit: "孙庆辉 摄", Line: 8}}
	if !reflect.DeepEqual(d.Figures, wantFigures) {
		t.Errorf("Figures = %+v; want %+v", d.Figures, wantFigures)
	}
	wantSidebars := []Sidebar{{Kind: "sidebar", Title: "■马上行动", Line: 10}, {Kind: "quote", Title: "陈夏林", Line: 20}}
	if !reflect.DeepEqual(d.Sidebars, wantSidebars) {
		t.Errorf("Sidebars = %+v; want %+v", d.Sidebars, wantSidebars)
	}
	// The soft break between "，" and "第" (both CJK) vanishes.
	if want := "导语段落，重点在这里，第二行 with English words。"; d.Summary != want {
		t.Errorf("Summary = %q; want %q", d.Summary, want)
	}
	wantIDs := []string{"sidebar-1", "stop-1", "fnref:1", "stop-2", "fn:1"}
	if !reflect.DeepEqual(d.IDs, wantIDs) {
		t.Errorf("IDs = %q; want %q", d.IDs, wantIDs)
	}
	wantLinks := []Link{{Dest: "photos/a.jpg", Line: 8}, {Dest: "https://example.org/a", Line: 11}}
	if !reflect.DeepEqual(d.Links, wantLinks) {
		t.Errorf("Links = %+v; want %+v", d.Links, wantLinks)
	}
	// Han: 导语段落重点在这里第二行 (12) + 考察团在市民之家 (8) + 孙庆辉摄 (4) + 马上行动 (4)
	// + 见链接 (3) + 余杭区市民之家 (7) + 正文 (2) + 陈夏林 (3) + 只进一扇门 (5) + 注释 (2) = 50;
	// words: with English words (3) City Brain (2) note (1) = 6.
	if d.Han != 50 || d.Words != 6 {
		t.Errorf("Han, Words = %d, %d; want 50, 6", d.Han, d.Words)
	}
}

func TestCount(t *testing.T) {
	tests := []struct {
		src        string
		han, words int
	}{
		{"中文和English混排，共3个词。", 8, 2},
		{"high-quality growth, don't stop", 0, 4},
		{"**im**portant", 0, 1},
		{"[链接文字](https://example.org/very/long/url) 和 https://example.org", 5, 0},
		{"2025年6月12日", 3, 3},
		{"日本語のテキスト", 8, 0},
		{"one\ntwo", 0, 2},
	}
	c := New()
	for _, tt := range tests {
		d := c.Parse([]byte(tt.src), Env{})
		if d.Han != tt.han || d.Words != tt.words {
			t.Errorf("Parse(%q): Han, Words = %d, %d; want %d, %d", tt.src, d.Han, d.Words, tt.han, tt.words)
		}
	}
}

func TestSummary(t *testing.T) {
	tests := []struct{ src, want string }{
		{"![a](photos/a.jpg \"（张三 摄）\")\n\n第一段。\n", "第一段。"},
		{"::: sidebar 甲\n侧栏文字。\n:::\n\n正文。\n", "正文。"},
		{"## 第一站 甲\n\n站内第一段，\n续行。\n", "站内第一段，续行。"},
		{"First *line*\nsecond `code` [link](x).\n", "First line second code link."},
		{"- 列表\n\n> 引文\n", ""},
		{"a\\*b &amp; c", "a*b & c"},
	}
	c := New()
	for _, tt := range tests {
		if got := c.Parse([]byte(tt.src), Env{}).Summary; got != tt.want {
			t.Errorf("Parse(%q).Summary = %q; want %q", tt.src, got, tt.want)
		}
	}
}

func render(t testing.TB, c *Converter, src string, env Env) string {
	t.Helper()
	var b bytes.Buffer
	if err := c.Parse([]byte(src), env).Render(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestEnvOptions(t *testing.T) {
	c := New()
	tests := []struct {
		name string
		env  Env
		src  string
		want string
	}{
		{"edition credit", Env{Credit: "新华社", Resolve: fakeResolve}, "![a](photos/a.jpg \"说明\")",
			`<figure><img src="/p/a.jpg" alt="a" width="1200" height="800"><figcaption><span class="caption">说明</span> <span class="credit">新华社</span></figcaption></figure>` + "\n"},
		{"title credit wins over the edition credit", Env{Credit: "新华社"}, "![a](photos/a.jpg \"说明（张三 摄）\")",
			`<figure><img src="photos/a.jpg" alt="a"><figcaption><span class="caption">说明</span> <span class="credit">张三 摄</span></figcaption></figure>` + "\n"},
		{"LazyAll", Env{LazyAll: true}, "![a](photos/a.jpg)",
			`<figure><img src="photos/a.jpg" alt="a" loading="lazy" decoding="async"></figure>` + "\n"},
		{"no StopLabel", Env{}, "## 第一站 甲",
			`<section class="stop" id="stop-1" data-stop="1">` + "\n" + `<h2 class="stop-heading"><span class="stop-label">Stop 1</span> <span class="stop-title">甲</span></h2>` + "\n</section>\n"},
		{"srcset and sizes", Env{Resolve: func(string, bool) (Asset, error) {
			return Asset{URL: "/x.jpg", Width: 3, Height: 2, Srcset: "/x.480.jpg 480w", Sizes: "100vw"}, nil
		}}, "![a](x.jpg)",
			`<figure><img src="/x.jpg" alt="a" width="3" height="2" srcset="/x.480.jpg 480w" sizes="100vw"></figure>` + "\n"},
		{"escaped path is unescaped for the resolver", Env{Resolve: func(dest string, _ bool) (Asset, error) {
			return Asset{URL: "/" + strings.ReplaceAll(dest, " ", "_")}, nil
		}}, "[a](my%20file.pdf)", `<p><a href="/my_file.pdf">a</a></p>` + "\n"},
	}
	for _, tt := range tests {
		if got := render(t, c, tt.src, tt.env); got != tt.want {
			t.Errorf("%s: Convert(%q) = %q; want %q", tt.name, tt.src, got, tt.want)
		}
	}
}

// TestConcurrent converts many documents on many goroutines with one
// Converter: each must come out as it does alone.
func TestConcurrent(t *testing.T) {
	c := New()
	var docs []string
	for i := range 16 {
		docs = append(docs, fmt.Sprintf("## 第%s站 地点%d\n\n%s\n\n![图%d](photos/p%d.jpg \"说明（记者 摄）\")\n", zhOrdinals[1+i%9], i, report, i, i))
	}
	want := make([]string, len(docs))
	for i, d := range docs {
		want[i] = render(t, c, d, testEnv("zh"))
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 20 {
				i := (g + k) % len(docs)
				var b bytes.Buffer
				if err := c.Parse([]byte(docs[i]), testEnv("zh")).Render(&b); err != nil {
					t.Error(err)
					return
				}
				if b.String() != want[i] {
					t.Errorf("doc %d differs when converted concurrently", i)
					return
				}
			}
		}()
	}
	wg.Wait()
}

type panicky struct{}

func (panicky) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(transformer(
		func(doc *ast.Document, _ text.Reader, _ parser.Context) {
			if doc.FirstChild() != nil && doc.FirstChild().Kind() == ast.KindThematicBreak {
				panic("boom")
			}
		}), 5)))
}

func TestParseRecovers(t *testing.T) {
	c := New(WithExtenders(panicky{}))
	env := Env{File: "content/x/zh.md", BodyLine: 6}
	d := c.Parse([]byte("---\n"), env)
	if len(d.Problems) != 1 || d.Problems[0].String() != "content/x/zh.md:6: markdown: internal error: boom" {
		t.Errorf("Problems = %v; want one internal error at line 6", d.Problems)
	}
	if err := d.Render(&bytes.Buffer{}); err == nil {
		t.Error("Render of a failed document returned no error")
	}
	if got := render(t, c, "ok", env); got != "<p>ok</p>\n" {
		t.Errorf("after a panic, Convert(%q) = %q", "ok", got)
	}
}

func TestRenderTwice(t *testing.T) {
	d := New().Parse([]byte(report), testEnv("zh"))
	var a, b bytes.Buffer
	if err := d.Render(&a); err != nil {
		t.Fatal(err)
	}
	if err := d.Render(&b); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error("rendering a Doc twice gives different HTML")
	}
}

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"背景 资料", "背景-资料"},
		{"Mixed 中文 Title!", "mixed-中文-title"},
		{"第一站 余杭区“市民之家”", "第一站-余杭区市民之家"},
		{"  a -- b__c  ", "a-b-c"},
		{"★★★", "heading"},
		{"ÉCOLE", "école"},
	}
	for _, tt := range tests {
		if got := slug(tt.in); got != tt.want {
			t.Errorf("slug(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestInvalidUTF8 feeds input the site would reject (goldmark v1.8.7's CJK
// renderer panics on "\x8c\n0"): Parse and Render must not panic.
func TestInvalidUTF8(t *testing.T) {
	c := New()
	for _, src := range []string{"\x8c\n0", "中\xe4\n文", "**\xff**\n\xfe", "## 第\xe4站\n"} {
		d := c.Parse([]byte(src), testEnv("zh"))
		_ = d.Render(&bytes.Buffer{})
	}
}
