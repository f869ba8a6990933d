package markdown

import (
	"slices"
	"strings"
	"testing"

	"dateline/cmd/internal/problem"
)

// TestProblems checks the exact problems a document gives, at lines of
// the file: the Markdown starts on line 8 of content/test/zh.md.
func TestProblems(t *testing.T) {
	const file = "content/test/zh.md"
	W := func(line int, text string) problem.Problem { return problem.Warnf(file, line, "%s", text) }
	E := func(line int, text string) problem.Problem { return problem.Errorf(file, line, "%s", text) }
	tests := []struct {
		name string
		md   string
		env  func(*Env)
		want []problem.Problem
	}{
		{"clean", "## 第一站 甲\n\n![图](photos/a.jpg \"说明（张三 摄）\")\n", nil, nil},
		{"stop number disagrees", "## 第一站 甲\n\n## 第三站 乙\n\n## Third stop: 丙\n", nil, []problem.Problem{
			W(10, `stop heading "第三站" is numbered 3 but it is stop 2`),
		}},
		{"stop numbers from Chinese numerals", "## 第十一站 甲\n", nil, []problem.Problem{
			W(8, `stop heading "第十一站" is numbered 11 but it is stop 1`),
		}},
		{"English stop number", "## Stop 2: A\n", nil, []problem.Problem{
			W(8, `stop heading "Stop 2" is numbered 2 but it is stop 1`),
		}},
		{"class stop on a level-3 heading", "### 尾声 {.stop}\n", nil, []problem.Problem{
			W(8, `class "stop" on a level-3 heading has no effect; stops are level-2 headings at the top level`),
		}},
		{"figure without alt and credit", "text\n\n![](photos/x.jpg)\n", nil, []problem.Problem{
			W(10, "figure photos/x.jpg has no alt text"),
			W(10, "figure photos/x.jpg has no credit"),
		}},
		{"edition credit counts as a credit", "![图](photos/x.jpg)\n", func(e *Env) { e.Credit = "新华社" }, nil},
		{"missing photo", "![图](photos/missing.jpg \"（张三 摄）\")\n", nil, []problem.Problem{
			E(8, "photo photos/missing.jpg not found"),
		}},
		{"photo leaving the report folder", "para\n![a](../x.jpg) and ![b](/x.jpg) and ![c](photos/../../y.jpg)\n", nil, []problem.Problem{
			E(9, "photo ../x.jpg leaves the report folder"),
			E(9, "photo /x.jpg leaves the report folder"),
			E(9, "photo photos/../../y.jpg leaves the report folder"),
		}},
		{"missing file link", "see [pdf](files/x.pdf) and [this](nothing.pdf)\n", nil, []problem.Problem{
			E(8, "file nothing.pdf not found"),
		}},
		{"unknown container kind", "a\n\n::: box 盒子\n内容\n:::\n", nil, []problem.Problem{
			E(10, `unknown container kind "box"; use sidebar, quote, note or embed`),
		}},
		{"unclosed container", "::: sidebar 甲\n\n内容\n\n更多\n", nil, []problem.Problem{
			W(8, "::: sidebar opened on line 8 is never closed"),
		}},
		{"unclosed inner container", "::: sidebar 甲\n::: quote\n引语\n:::\n", nil, []problem.Problem{
			W(8, "::: sidebar opened on line 8 is never closed"),
		}},
		{"stray closing fence", "文字\n\n:::\n", nil, []problem.Problem{
			W(10, "::: closes no container"),
		}},
		{"unsafe links", "[x](javascript:alert(1))\n\n![y](data:text/html,hi)\n", nil, []problem.Problem{
			W(8, "link javascript:alert(1) removed: javascript: URLs are not allowed"),
			W(10, "figure data:text/html,hi has no credit"),
			W(10, "photo data:text/html,hi removed: data: URLs are not allowed"),
		}},
		{"duplicate explicit id", "## 甲 {#same}\n\n## 乙 {#same}\n", nil, []problem.Problem{
			W(10, `duplicate id "same"`),
		}},
		{"explicit id taking a stop id", "## 第一站 甲\n\n### 乙 {#stop-1}\n", nil, []problem.Problem{
			W(10, `duplicate id "stop-1"`),
		}},
		{"pasted embed code", "文字\n\n<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n\n正文 <script>alert(1)</script> 和 <span class=\"x\">甲</span><br>\n", nil, []problem.Problem{
			W(10, "raw HTML `<iframe …>` is not published; use `::: embed`"),
			W(12, "raw HTML `<br>` is not published"),
			W(12, "raw HTML `<script>` is not published; use `::: embed`"),
			W(12, "raw HTML `<span …>` is not published"),
		}},
		{"raw HTML: comments and closing tags alone are silent", "<!-- 编辑备注 -->\n\n甲 <!-- 注 --> 乙 </b>\n\n</div>\n", nil, nil},
		{"raw HTML: declarations and instructions", "<!DOCTYPE html>\n\n<?php echo 1; ?>\n", nil, []problem.Problem{
			W(8, "raw HTML `<!DOCTYPE ht…` is not published"),
			W(10, "raw HTML `<?php echo 1…` is not published"),
		}},
		{"raw HTML in a table cell and a heading", "## 标题 <em>强调</em>\n\n| a |\n| - |\n| <u>b</u> |\n", nil, []problem.Problem{
			W(8, "raw HTML `<em>` is not published"),
			W(12, "raw HTML `<u>` is not published"),
		}},
		{"an image only in another image's alt text is not resolved", "![甲 ![乙](photos/missing.jpg) [丙](nothing.pdf)](photos/x.jpg \"（张三 摄）\")\n\n段落 ![丁 ![戊](photos/missing.jpg)](photos/missing.jpg)\n", nil, []problem.Problem{
			E(10, "photo photos/missing.jpg not found"),
		}},
		{"embed: http, unknown host, no URL, no title", "::: embed http://datawrapper.dwcdn.net/a/1/\n标题\n:::\n\n::: embed https://evil.example/x\n标题\n:::\n\n::: embed\n标题\n:::\n\n::: embed https://www.youtube.com/watch?v=dQw4w9WgXcQ\n:::\n\n::: embed https://www.youtube.com/about\n标题\n:::\n", nil, []problem.Problem{
			E(8, "embed URL http://datawrapper.dwcdn.net/a/1/ is not https"),
			E(12, "embed host evil.example is not allowed; use Datawrapper, Flourish, YouTube, Vimeo, DocumentCloud, OpenStreetMap or uMap, or add it to [embeds] allow in content/site.toml"),
			E(16, "::: embed needs a URL: ::: embed https://…"),
			E(20, "embed https://www.youtube.com/watch?v=dQw4w9Wg… has no title: write it on the line after ::: embed"),
			E(23, "embed URL https://www.youtube.com/about is not a YouTube video"),
		}},
		{"embed: a fallback image from another site", "::: embed https://datawrapper.dwcdn.net/a/1/\n标题\n\n![图](https://cdn.example.com/x.png)\n:::\n\n::: embed https://datawrapper.dwcdn.net/a/1/\n标题\n\n![图](photos/x.jpg)\n:::\n", nil, []problem.Problem{
			E(8, "embed fallback image https://cdn.example.com/x.png must be a photo in the report folder"),
		}},
		{"embed: a host the site allows", "::: embed https://graphics.example.cn/a\n标题\n\n![图](photos/x.jpg)\n:::\n", func(e *Env) { e.EmbedHosts = []string{"Graphics.Example.cn"} }, nil},
		{"embed: no fallback image", "::: embed https://graphics.example.cn/a\n标题\n\n说明\n:::\n\n::: embed https://vimeo.com/123456\n标题\n\n![图](photos/x.jpg)\n:::\n", func(e *Env) { e.EmbedHosts = []string{"graphics.example.cn"} }, []problem.Problem{
			W(8, "embed has no fallback image; readers without JavaScript see only a link"),
		}},
		{"embed: the fallback image before the title", "::: embed https://datawrapper.dwcdn.net/a/1/\n![图](photos/x.jpg)\n\n标题\n:::\n", nil, nil},
		{"embed: two fallback images", "::: embed https://datawrapper.dwcdn.net/a/1/\n标题\n\n![甲](photos/x.jpg)\n\n![乙](photos/x.jpg \"（张三 摄）\")\n:::\n", nil, []problem.Problem{
			W(13, "embed has a second fallback image; it shows in the caption, and only the first stands in for the frame"),
		}},
		{"embed: spaces in the URL", "::: embed https://datawrapper.dwcdn.net/a/1/?t=上海 房价\n标题\n\n![图](photos/x.jpg)\n:::\n", nil, nil},
		{"embed: a fallback image without alt text", "::: embed https://datawrapper.dwcdn.net/a/1/\n标题\n\n![](photos/x.jpg)\n:::\n", nil, []problem.Problem{
			W(11, "embed fallback image has no alt text: it stands for the frame for readers without JavaScript"),
		}},
		{"embed: left open", "::: embed https://vimeo.com/123456\n纪录片\n\n![图](photos/x.jpg)\n", nil, []problem.Problem{
			W(8, "::: embed opened on line 8 is never closed"),
		}},
		{"embed: a javascript URL", "::: embed javascript:alert(1)\n标题\n:::\n", nil, []problem.Problem{
			E(8, "embed URL javascript:alert(1) is not a URL"),
		}},
		{"CRLF lines", "a\r\n\r\n![](photos/x.jpg \"（张三 摄）\")\r\n", nil, []problem.Problem{
			W(10, "figure photos/x.jpg has no alt text"),
		}},
	}
	c := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := testEnv("zh")
			env.BodyLine = 8
			if tt.env != nil {
				tt.env(&env)
			}
			got := c.Parse([]byte(tt.md), env).Problems
			if !slices.Equal(got, tt.want) {
				t.Errorf("Parse(%q).Problems =\n%s\nwant\n%s", tt.md, list(got), list(tt.want))
			}
		})
	}
}

func list(ps []problem.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("\t" + p.String() + "\n")
	}
	return b.String()
}
