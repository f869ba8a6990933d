package markdown

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// benchReport writes a report shaped like gencorpus.py's: an intro, a
// sidebar, four stops with paragraphs, three figures with credits in their
// titles, a list, a table, bold text, links and footnotes. About 9 KB.
func benchReport(seed uint64, lang string) string {
	rng := rand.New(rand.NewPCG(seed, 7))
	zh := lang == "zh"
	zhWords := []string{"高质量发展", "数字化", "智慧城市", "社会治理", "考察团", "实地调研", "基层干部", "服务中心", "群众", "企业", "改革", "创新", "一站式", "便捷服务", "最多跑一次", "城市大脑", "营商环境", "政务服务", "工作人员", "指挥中心"}
	enWords := []string{"the district", "officials", "the delegation", "residents", "local businesses", "digital governance", "the city brain", "data", "reform", "innovation", "the pilot program", "traffic", "permits", "the service center", "volunteers", "said", "explained", "visited", "efficiency", "first-hand"}
	places := [][2]string{{"余杭区“市民之家”", "the Yuhang Citizens' Hall"}, {"社会治理综合服务中心", "the Social Governance Service Center"}, {"城市大脑运营指挥中心", "the City Brain Operations Center"}, {"云计算博物馆", "the Cloud Computing Museum"}}
	fn := 1
	sentence := func() string {
		var b strings.Builder
		n := 5 + rng.IntN(8)
		for k := range n {
			var w string
			if zh {
				w = zhWords[rng.IntN(len(zhWords))]
			} else {
				w = enWords[rng.IntN(len(enWords))]
			}
			switch r := rng.Float64(); {
			case r < 0.08:
				w = "“" + w + "”"
			case r < 0.12:
				w = "**" + w + "**"
			case r < 0.14:
				w = fmt.Sprintf("[%s](https://example.org/topic/%d)", w, rng.IntN(999))
			case r < 0.17:
				w = fmt.Sprintf("%d%s", 2+rng.IntN(500), map[bool]string{true: "万", false: " "}[zh]) + w
			}
			b.WriteString(w)
			if k < n-1 {
				if zh {
					if rng.Float64() < 0.3 {
						b.WriteString("，")
					}
				} else {
					b.WriteString(" ")
				}
			}
		}
		if fn <= 3 && rng.Float64() < 0.1 {
			fmt.Fprintf(&b, "[^%d]", fn)
			fn++
		}
		if zh {
			b.WriteString("。")
		} else {
			b.WriteString(". ")
		}
		return b.String()
	}
	para := func() string {
		var b strings.Builder
		for range 2 + rng.IntN(4) {
			b.WriteString(sentence())
		}
		return strings.TrimSpace(b.String())
	}
	var b strings.Builder
	add := func(s string) { b.WriteString(s + "\n\n") }
	add(para())
	add(para())
	if zh {
		add("::: sidebar ■马上行动\n" + para() + "\n:::")
	} else {
		add("::: sidebar ■ Taking action\n" + para() + "\n:::")
	}
	for s, p := range places {
		if zh {
			add(fmt.Sprintf("## 第%s站 %s", zhOrdinals[s+1], p[0]))
		} else {
			add(fmt.Sprintf("## %s stop: %s", enOrdinalLabels[s+1], p[1]))
		}
		for j := range 3 {
			add(para())
			if j == 0 && s < 3 {
				if zh {
					add(fmt.Sprintf("![%s现场，工作人员向考察团介绍情况](photos/p%02d.jpg \"考察团在%s了解情况（孙庆辉 摄）\")", p[0], s+1, p[0]))
				} else {
					add(fmt.Sprintf("![Staff brief the delegation at %s](photos/p%02d.jpg \"The delegation at %s (Photo: Sun Qinghui)\")", p[1], s+1, p[1]))
				}
			}
		}
		if s == 1 {
			add("- " + sentence() + "\n- " + sentence() + "\n- " + sentence())
			add("| 指标 | 改革前 | 改革后 |\n| --- | ---: | ---: |\n| 办件量 | 1200 | 3400 |\n| 平均用时 | 45 | 12 |")
		}
		if s == 2 {
			add("::: quote 陈夏林\n" + sentence() + "\n:::")
		}
	}
	for i := 1; i < fn; i++ {
		fmt.Fprintf(&b, "[^%d]: 《报告》，2023年，[全文](https://example.org/ref/%d)\n", i, i)
	}
	return b.String()
}

func BenchmarkConvert(b *testing.B) {
	c := New()
	for _, lang := range []string{"zh", "en"} {
		src := []byte(benchReport(42, lang))
		env := testEnv(lang)
		b.Run(lang, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			var w strings.Builder
			for b.Loop() {
				w.Reset()
				d := c.Parse(src, env)
				if err := d.Render(&w); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}

func TestBenchReport(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		src := benchReport(42, lang)
		if n := len(src); n < 6000 || n > 14000 {
			t.Errorf("benchReport(%s) is %d bytes; want about 9 KB", lang, n)
		}
		d := New().Parse([]byte(src), testEnv(lang))
		if len(d.Stops) != 4 || len(d.Figures) != 3 || len(d.Sidebars) != 2 {
			t.Errorf("benchReport(%s): %d stops, %d figures, %d sidebars; want 4, 3, 2", lang, len(d.Stops), len(d.Figures), len(d.Sidebars))
		}
		for _, p := range d.Problems {
			t.Errorf("benchReport(%s): %v", lang, p)
		}
	}
}

// BenchmarkBaseline converts the same reports with goldmark and the
// extensions it ships (GFM, footnotes, CJK), for comparison.
func BenchmarkBaseline(b *testing.B) {
	for _, lang := range []string{"zh", "en"} {
		md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.CJK))
		src := []byte(benchReport(42, lang))
		b.Run(lang, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			var w bytes.Buffer
			for b.Loop() {
				w.Reset()
				_ = md.Convert(src, &w)
			}
		})
	}
}
