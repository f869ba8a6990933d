//go:build !race

// The race detector makes a 2,000-report build several times slower: the
// ceiling is weighed by the plain test run.

package site

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"dateline/cmd/internal/corpus"
)

// ceilingTOML declares every tag and byline of the generated corpus as a
// topic and an author, so that each has its pages.
func ceilingTOML() string {
	var b strings.Builder
	topics := [][2]string{
		{"数智治理", "digital governance"}, {"智慧城市", "smart city"}, {"政务服务", "public services"},
		{"营商环境", "business climate"}, {"生态保护", "ecology"}, {"城市交通", "urban transport"},
		{"基层治理", "grassroots governance"}, {"科技创新", "technology"}, {"人才", "talent"},
		{"安全生产", "workplace safety"}, {"医疗", "health care"}, {"教育", "education"},
		{"郑州", "Zhengzhou"}, {"杭州", "Hangzhou"}, {"考察", "field visit"}, {"深度报道", "long read"},
	}
	for i, t := range topics {
		fmt.Fprintf(&b, "\n[topics.t%d]\nzh = %q\nen = %q\n", i, t[0], t[1])
	}
	people := [][2]string{
		{"孙庆辉", "Sun Qinghui"}, {"李明", "Li Ming"}, {"周晓雨", "Zhou Xiaoyu"}, {"王芳", "Wang Fang"},
		{"陈立", "Chen Li"}, {"赵宁", "Zhao Ning"}, {"刘洋", "Liu Yang"}, {"黄蕾", "Huang Lei"},
	}
	for i, p := range people {
		fmt.Fprintf(&b, "\n[authors.p%d]\nzh = %q\nen = %q\nzh_bio = \"记者。\"\nen_bio = \"Reporter.\"\n", i, p[0], p[1])
	}
	return b.String()
}

// TestListingCeiling builds 2,000 generated reports, every tag a topic and
// every byline an author, and weighs every listing page of every kind
// (fronts and their pages N, topic index, topics, authors, a series of
// 40 parts, search, root):
// none is over 100 KB of HTML (SPEC §10), and every kind is there.
func TestListingCeiling(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 2,000 reports")
	}
	const n = 2000
	files := corpus.Generate(n, 1)
	files["content/site.toml"] = append(files["content/site.toml"], ceilingTOML()...)
	withSeries(files, 40) // a long series
	out := newMem()
	res, err := NewBuilder(Options{FS: benchMapFS(files), Now: benchNow, NoDerivatives: true, Search: true}).Build(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Problems {
		if strings.Contains(p.Text, "names no topic") {
			t.Fatalf("a corpus tag is not declared: %v", p)
		}
	}
	biggest := map[string]int{}
	where := map[string]string{}
	for name, data := range out.files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		kind := pageKind(name)
		if kind == "report" {
			continue
		}
		if len(data) > biggest[kind] {
			biggest[kind], where[kind] = len(data), name
		}
		if len(data) > 100<<10 {
			t.Errorf("%s (%s): %d bytes, over 100 KB", name, kind, len(data))
		}
	}
	for _, k := range []string{"root", "404", "front", "page N", "topics", "topic", "author", "series", "search"} {
		if biggest[k] == 0 {
			t.Errorf("no %s page in the output", k)
		}
		t.Logf("largest %-7s page: %6d bytes (%s)", k, biggest[k], where[k])
	}
}
