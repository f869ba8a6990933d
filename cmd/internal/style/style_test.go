package style

import (
	"testing"
	"unicode/utf8"
)

func TestApply(t *testing.T) {
	tests := []struct{ in, want string }{
		// From the seed: ASCII commas between Chinese characters.
		{"一路听、一路问、一路议,在实地体验", "一路听、一路问、一路议，在实地体验"},
		{"“数智治理”,前往", "“数智治理”，前往"},
		{"他说:“走吧!”", "他说：“走吧！”"},
		{"是吗?是的;好", "是吗？是的；好"},
		{"8月24日~25日,由", "8月24日~25日，由"},
		{"智慧城市2.0,建设", "智慧城市2.0，建设"},
		{"中心(社会矛盾纠纷调处化解中心)。", "中心（社会矛盾纠纷调处化解中心）。"},
		{"阿里云(Alibaba Cloud)是", "阿里云（Alibaba Cloud）是"},
		{"(一)总体要求", "（一）总体要求"},
		// English passages stay as written.
		{"Hangzhou, Zhejiang: a city (big).", "Hangzhou, Zhejiang: a city (big)."},
		{"Hangzhou (杭州) is a city", "Hangzhou (杭州) is a city"},
		{"他说 “Yes, we can; really?” 然后", "他说 “Yes, we can; really?” 然后"},
		{"3,000 人在10:30到达", "3,000 人在10:30到达"},
		// URLs, code and link targets stay as written.
		{"见https://example.com/a?b=1,c:d 网站", "见https://example.com/a?b=1,c:d 网站"},
		{"网址:https://example.com/中文,好", "网址：https://example.com/中文，好"},
		{"见[报道](https://x.org/a,b(c)),好", "见[报道](https://x.org/a,b(c))，好"},
		{"运行`a,b`命令,好", "运行`a,b`命令，好"},
		{"见<https://x.org/?q=1>,好", "见<https://x.org/?q=1>，好"},
		{"www.example.com/x,y中文", "www.example.com/x,y中文"},
		{"访问网站(www.example.com/x,y),谢谢", "访问网站（www.example.com/x,y），谢谢"},
		{"见(https://en.wikipedia.org/wiki/Dike_(construction)),好", "见（https://en.wikipedia.org/wiki/Dike_(construction)），好"},
		{"((中文))和(English (nested))", "（（中文））和（English (nested)）"},
		{"未配对(的括号", "未配对（的括号"},
		{"a) 第一项", "a) 第一项"},
		{"最后(一行)!", "最后（一行）！"},
		{"他问(真的吗)?好", "他问（真的吗）？好"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Apply(tt.in); got != tt.want {
			t.Errorf("Apply(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestFindOffsets(t *testing.T) {
	line := "记者:孙庆辉,文(图)"
	fixes := Find(line)
	want := []Fix{{6, ':', '：'}, {16, ',', '，'}, {20, '(', '（'}, {24, ')', '）'}}
	if len(fixes) != len(want) {
		t.Fatalf("Find(%q) = %v; want %v", line, fixes, want)
	}
	for i := range want {
		if fixes[i] != want[i] {
			t.Errorf("Find(%q)[%d] = %v; want %v", line, i, fixes[i], want[i])
		}
		if line[want[i].Offset] != byte(want[i].Old) {
			t.Errorf("offset %d is %q, not %q", want[i].Offset, line[want[i].Offset], want[i].Old)
		}
	}
}

func FuzzApply(f *testing.F) {
	for _, s := range []string{"一路议,在实地", "阿里云(Alibaba Cloud)是", "见[报道](https://x.org/a,b(c)),好", "`a,b`命令,好", "((中))", "<a:b>,中"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		got := Apply(s)
		// Only the seven marks change, one for one.
		if utf8.RuneCountInString(got) != utf8.RuneCountInString(s) {
			t.Fatalf("Apply(%q) = %q: rune count changed", s, got)
		}
		g, o := []rune(got), []rune(s)
		for i := range o {
			if g[i] != o[i] && fullWidth(o[i]) != g[i] {
				t.Fatalf("Apply(%q) = %q: %q became %q", s, got, o[i], g[i])
			}
		}
	})
}
