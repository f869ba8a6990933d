package markdown

import (
	"bytes"
	"flag"
	"strconv"
	"strings"
	"testing"
	"time"
)

// n is content.MaxFileSize, the largest edition a site reads
// (this package does not import content); -pathological.size makes the
// inputs smaller, to time goldmark without the limits.
var sizeLimit = 8 << 20

func init() {
	flag.IntVar(&sizeLimit, "pathological.size", sizeLimit, "the size of TestPathological's inputs")
}

// fill repeats unit until the text would pass n bytes.
func fill(unit string, n int) string { return strings.Repeat(unit, n/len(unit)) }

// pathological are cmark's pathological inputs (test/pathological_tests.py)
// and their kin, each at the size limit.
var pathological = []struct {
	name string
	src  func(n int) string
}{
	{"nested strong emphasis", func(n int) string {
		k := n / 14
		return strings.Repeat("*a **a ", k) + "b" + strings.Repeat(" a** a*", k)
	}},
	{"many emphasis closers with no openers", func(n int) string { return fill("a_ ", n) }},
	{"many emphasis openers with no closers", func(n int) string { return fill("_a ", n) }},
	{"many asterisk openers with no closers", func(n int) string { return fill("*a ", n) }},
	{"many link closers with no openers", func(n int) string { return fill("a]", n) }},
	{"many link openers with no closers", func(n int) string { return fill("[a", n) }},
	{"mismatched openers and closers", func(n int) string { return fill("*a_ ", n) }},
	{"openers and closers multiple of 3", func(n int) string { return "a**b" + fill("c* ", n-4) }},
	{"link openers and emphasis closers", func(n int) string { return fill("[ a_", n) }},
	{"pattern [ (]( repeated", func(n int) string { return fill("[ (](", n) }},
	{"pattern ![[]() repeated", func(n int) string { return fill("![[]()", n) }},
	{"nested brackets", func(n int) string {
		return strings.Repeat("[", n/2-1) + "a" + strings.Repeat("]", n/2-1)
	}},
	{"nested block quotes", func(n int) string { return fill("> ", n-1) + "a" }},
	{"deeply nested lists", func(n int) string {
		var b strings.Builder
		for i := 0; b.Len() < n-2*i-4; i++ {
			b.WriteString(strings.Repeat("  ", i) + "* a\n")
		}
		return b.String()
	}},
	{"U+0000 in input", func(n int) string { return fill("abc\x00de\x00", n) }},
	{"backticks", func(n int) string {
		var b strings.Builder
		for i := 1; b.Len()+i+1 < n; i++ {
			b.WriteString("e" + strings.Repeat("`", i))
		}
		return b.String()
	}},
	{"all backticks", func(n int) string { return fill("`", n) }},
	{"unclosed links A", func(n int) string { return fill("[a](<b", n) }},
	{"unclosed links B", func(n int) string { return fill("[a](b", n) }},
	{"unclosed links C", func(n int) string { return fill("[a](b \"t", n) }},
	{"unclosed <!--", func(n int) string { return "</" + fill("<!--", n-2) }},
	{"many < HTML openers", func(n int) string { return fill("<a ", n) }},
	{"many <", func(n int) string { return fill("<", n) }},
	{"many & entities", func(n int) string { return fill("&", n) }},
	{"many entity-like runs", func(n int) string { return fill("&#1a &amp ", n) }},
	{"many link reference definitions", func(n int) string {
		var b strings.Builder
		for i := 0; b.Len() < n-20; i++ {
			b.WriteString("[" + strconv.Itoa(i) + "]: u\n")
		}
		return b.String()
	}},
	{"many references", func(n int) string { return fill("[a] ", n-10) + "\n\n[a]: /u\n" }},
	{"nested inlines", func(n int) string {
		return strings.Repeat("*", n/2-1) + "a" + strings.Repeat("*", n/2-1)
	}},
	{"many autolink-like things", func(n int) string { return fill("<a@b ", n) }},
	{"many strikethrough openers", func(n int) string { return fill("~a ", n) }},
	{"many footnote references", func(n int) string { return fill("[^a]", n) }},
	{"many language span openers", func(n int) string { return fill("[a]{lang=", n) }},
	{"table with many columns", func(n int) string {
		row := fill("|a", n/3-1)
		return row + "\n" + fill("|-", n/3-1) + "\n" + row + "\n"
	}},
	{"many table rows", func(n int) string { return "|a|b|\n|-|-|\n" + fill("|x|y|\n", n-12) }},
	{"long paragraph of CJK emphasis", func(n int) string { return fill("**「重点」**是", n) }},
	{"long line of plain text", func(n int) string { return fill("plain text, nothing else ", n) }},
	{"many lines of plain text", func(n int) string { return fill("plain text, nothing else\n", n) }},
	{"many paragraphs of Chinese", func(n int) string { return fill("考察团在市民之家了解情况，工作人员介绍。\n\n", n) }},
	{"many short paragraphs of emphasis", func(n int) string { return fill("*a_ *a_ *a_ *a_\n\n", n) }},
	{"many sidebars", func(n int) string { return fill("::: sidebar 标题\n内容\n:::\n", n) }},
	{"many headings", func(n int) string { return fill("## 第一站 甲\n", n) }},
	{"only line breaks", func(n int) string { return fill("\n", n) }},
	{"many e-mail-like words", func(n int) string { return fill("a@b.cn ", n) }},
	{"many URL-like words", func(n int) string { return fill("www.a.cn ", n) }},
	{"many hard line breaks", func(n int) string { return fill("a  \n", n) }},
	{"many list items", func(n int) string { return fill("- a\n", n) }},
	{"many thematic breaks", func(n int) string { return fill("***\n", n) }},
	{"many fenced code blocks", func(n int) string { return fill("```\na\n```\n", n) }},
	{"one long fenced code block", func(n int) string { return "```\n" + fill("x = [a](b) * c_d < e\n", n-8) + "```\n" }},
	{"many images", func(n int) string { return fill("![a](photos/a.jpg \"t（甲 摄）\")\n\n", n) }},
}

// TestPathological converts each input at the size limit, and the largest
// of its kind that passes the limits (limits.go), each within the budget:
// goldmark's emphasis, bracket, code span and link parsing is quadratic on
// some of them, and all of them make many nodes. Run with -v for the times.
func TestPathological(t *testing.T) {
	if !timed {
		t.Skip("the race detector makes conversion many times slower; TestLimits holds the limits")
	}
	c := New()
	for _, tt := range pathological {
		t.Run(tt.name, func(t *testing.T) {
			full := []byte(tt.src(sizeLimit))
			if len(full) > sizeLimit {
				t.Fatalf("input is %d bytes, over the limit", len(full))
			}
			d := convertTimed(t, c, full)
			errs := problemErrors(d)
			if len(errs) == 0 {
				return // accepted at the size limit
			}
			// The largest n for which the input passes the limits: a
			// power of two refused, then a binary search below it.
			hi := 1024
			for hi < sizeLimit {
				if line, _ := checkLimits([]byte(tt.src(hi))); line > 0 {
					break
				}
				hi *= 2
			}
			lo := hi / 2
			if hi == 1024 {
				lo = 0
			}
			hi = min(hi, sizeLimit)
			for lo < hi {
				m := (lo + hi + 1) / 2
				if line, _ := checkLimits([]byte(tt.src(m))); line == 0 {
					lo = m
				} else {
					hi = m - 1
				}
			}
			convertTimed(t, c, []byte(tt.src(lo)))
		})
	}
}

// convertTimed parses and renders src, logs the time and the errors, and
// fails t when the conversion takes more than the budget, in time on the
// clock and in processor time (which a loaded machine does not inflate;
// goldmark works on one goroutine).
func convertTimed(t *testing.T, c *Converter, src []byte) *Doc {
	start, cpu := time.Now(), cpuTime()
	d := c.Parse(src, testEnv("en"))
	err := d.Render(&bytes.Buffer{})
	elapsed, cpu := time.Since(start), cpuTime()-cpu
	errs := problemErrors(d)
	if err != nil && len(errs) == 0 {
		t.Fatalf("Render: %v", err)
	}
	t.Logf("%d bytes: %v (processor %v), %.100q", len(src), elapsed, cpu, errs)
	if min(elapsed, cpu) > pathologicalBudget {
		t.Errorf("Parse and Render of %d bytes took %v (processor %v); the budget is %v", len(src), elapsed, cpu, pathologicalBudget)
	}
	return d
}

// pathologicalBudget is the longest an input may take to convert.
const pathologicalBudget = time.Second
