package markdown

import (
	"bytes"
	"testing"
)

func TestLangSpans(t *testing.T) {
	tests := []struct{ in, want string }{
		{"考察团参观了[Alibaba Cloud]{lang=en}的园区。", `<p>考察团参观了<span lang="en">Alibaba Cloud</span>的园区。</p>`},
		{`The term [数智治理]{lang="zh-CN"} means digital governance.`, `<p>The term <span lang="zh-CN">数智治理</span> means digital governance.</p>`},
		{"[a link](https://example.org/) stays a link", `<p><a href="https://example.org/">a link</a> stays a link</p>`},
		{"[x]{lang=not a tag} is left alone", `<p>[x]{lang=not a tag} is left alone</p>`},
		{`[x]{lang="en} needs paired quotes`, `<p>[x]{lang=&quot;en} needs paired quotes</p>`},
		{"[<b>x</b>]{lang=en}", `<p><span lang="en">&lt;b&gt;x&lt;/b&gt;</span></p>`},
	}
	c := New()
	for _, tt := range tests {
		var b bytes.Buffer
		if err := c.Parse([]byte(tt.in), Env{File: "x.md", BodyLine: 1}).Render(&b); err != nil {
			t.Fatal(err)
		}
		if got := string(bytes.TrimSpace(b.Bytes())); got != tt.want {
			t.Errorf("Convert(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
