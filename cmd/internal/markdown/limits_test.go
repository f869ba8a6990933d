package markdown

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

func nested(n int, line func(i int) string) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(line(i))
	}
	return b.String()
}

func footnotes(n int) string {
	return nested(n, func(i int) string { return fmt.Sprintf("[^%d]\n\n[^%d]: x\n\n", i, i) })
}

// TestLimits: each limit holds just under it and gives one error on the
// offending line just over it. testEnv's body starts on line 1.
func TestLimits(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // the error, "" for none
	}{
		{"32 quotes", strings.Repeat(">", 32) + " x\n", ""},
		{"33 quotes", "a\n\n" + strings.Repeat("> ", 33) + "x\n", "3: a line nests more than 32 quotes or lists: the document is refused"},
		{"33 list markers on a line", strings.Repeat("- ", 33) + "x\n", "1: a line nests more than 32 quotes or lists: the document is refused"},
		{"33 ordered markers", strings.Repeat("1. ", 33) + "x\n", "1: a line nests more than 32 quotes or lists: the document is refused"},
		{"a thematic break of dashes", strings.Repeat("-", 300) + "\n", ""},
		{"a long line of asterisks", strings.Repeat("*", 3000) + "\n", ""},
		{"a blank line of spaces", strings.Repeat(" ", 3000) + "\n\nx\n", ""},
		{"256 columns", strings.Repeat(" ", 256) + "x\n", ""},
		{"257 columns", strings.Repeat(" ", 257) + "x\n", "1: a line is indented more than 256 columns: the document is refused"},
		{"tabs count to 4", strings.Repeat("\t", 65) + "x\n", "1: a line is indented more than 256 columns: the document is refused"},
		{"deep list", nested(200, func(i int) string { return strings.Repeat("  ", i) + "- x\n" }), "129: a line is indented more than 256 columns: the document is refused"},
		{"1000 footnotes", footnotes(1000), ""},
		{"1001 footnotes", footnotes(1001), "4003: more than 1000 footnotes: the document is refused"},
		{"1000 definitions", nested(1000, func(i int) string { return fmt.Sprintf("[r%d]: /u\n", i) }), ""},
		{"1001 definitions", nested(1001, func(i int) string { return fmt.Sprintf("[r%d]: /u\n", i) }), "1001: more than 1000 link definitions without a blank line: the document is refused"},
		{"2000 definitions in paragraphs", nested(2000, func(i int) string { return fmt.Sprintf("[r%d]: /u\n\n", i) }), ""},
		{"8 containers", nested(8, func(int) string { return "::: sidebar t\n" }) + "x\n" + strings.Repeat(":::\n", 8), ""},
		{"9 containers", nested(9, func(int) string { return "::: note t\n" }) + "x\n", "9: more than 8 ::: containers open at once"},
		{"30000 lines", strings.Repeat("x\n", 30000), ""},
		{"30001 lines", strings.Repeat("x\n", 30001), "30001: more than 30000 lines: the document is refused"},
		{"50000 marks", strings.Repeat("&&&&&&&&&&\n\n", 5000), ""},
		{"50001 marks", strings.Repeat("&&&&&&&&&&\n\n", 5000) + "&\n", "10001: more than 50000 of the marks * _ ~ ` [ ] < ( @ & \\ |: the document is refused"},
		{"a run of backticks is one mark", strings.Repeat("`", 100000) + "\n", ""},
		{"a paragraph just under the inline work", "a\n\n" + strings.Repeat("*a_ ", 4095), ""},
		{"a paragraph over the inline work", "a\n\n" + strings.Repeat("*a_ ", 4096), "3: a paragraph of 16385 bytes holds 8192 of the marks * _ ~ ` [ ] < ( @ & \\, too many to convert in time: the document is refused"},
		{"paragraphs over the inline work together", strings.Repeat(strings.Repeat("[a](b", 100)+strings.Repeat("x", 4500)+"\n\n", 100), "179: a paragraph of 5001 bytes holds 300 of the marks * _ ~ ` [ ] < ( @ & \\, too many to convert in time: the document is refused"},
		{"table cells count as marks, not as inline work", "| a | b |\n| - | - |\n" + strings.Repeat("| [x](https://e.org/) | z |\n", 1000), ""},
		{"50001 marks with table cells", "| a | b |\n| - | - |\n" + strings.Repeat("| x | y | z | w |\n", 10000) + "&\n", "10001: more than 50000 of the marks * _ ~ ` [ ] < ( @ & \\ |: the document is refused"},
		{"the inline work of a paragraph split by blank lines", strings.Repeat(strings.Repeat("*a_ ", 100)+"\n\n", 40), ""},
	}
	c := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := c.Parse([]byte(tt.src), testEnv("zh"))
			var errs []string
			for _, p := range d.Problems {
				if p.Severity == 0 {
					errs = append(errs, strings.TrimPrefix(p.String(), p.File+":"))
				}
			}
			switch {
			case tt.want == "" && len(errs) > 0:
				t.Errorf("Parse: errors %q; want none", errs)
			case tt.want != "" && (len(errs) != 1 || errs[0] != tt.want):
				t.Errorf("Parse: errors %q; want [%q]", errs, tt.want)
			}
			if tt.want == "" {
				if err := d.Render(&bytes.Buffer{}); err != nil {
					t.Errorf("Render: %v", err)
				}
			}
		})
	}
}

// TestLimitsKeepParsingCheap: inputs that took minutes or all the memory
// before the limits finish fast with little allocation.
func TestLimitsKeepParsingCheap(t *testing.T) {
	tests := []struct {
		name string
		src  string
	}{
		{"50000 nested containers", strings.Repeat("::: sidebar 甲\n", 50000) + "x\n"},
		{"200000 nested quotes", strings.Repeat("> ", 200000) + "x\n"},
		{"a list 1500 deep", nested(1500, func(i int) string { return strings.Repeat("  ", i) + "- x\n" })},
		{"30000 footnotes", footnotes(30000)},
		{"30000 link definitions", nested(30000, func(i int) string { return fmt.Sprintf("[r%d]: /u\n", i) })},
	}
	c := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			start := time.Now()
			d := c.Parse([]byte(tt.src), testEnv("zh"))
			d.Render(&bytes.Buffer{})
			elapsed := time.Since(start)
			runtime.ReadMemStats(&m1)
			if elapsed > 2*time.Second {
				t.Errorf("Parse and Render took %s", elapsed)
			}
			if alloc := (m1.TotalAlloc - m0.TotalAlloc) >> 20; alloc > 200 {
				t.Errorf("Parse and Render allocated %d MiB", alloc)
			}
			if len(problemErrors(d)) == 0 {
				t.Error("no error")
			}
		})
	}
}

func problemErrors(d *Doc) []string {
	var out []string
	for _, p := range d.Problems {
		if p.Severity == 0 {
			out = append(out, p.String())
		}
	}
	return out
}

// TestManySameHeadings: 10,000 headings of the same text get their ids in
// linear time (the search for a free suffix used to start at 1 each time).
func TestManySameHeadings(t *testing.T) {
	start := time.Now()
	d := New().Parse([]byte(strings.Repeat("### a\n", 10000)+"### a-1\n### a\n"), testEnv("en"))
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("Parse took %s", elapsed)
	}
	ids := d.IDs
	if len(ids) != 10002 {
		t.Fatalf("%d ids; want 10002", len(ids))
	}
	for i, want := range map[int]string{0: "a", 1: "a-1", 2: "a-2", 9999: "a-9999", 10000: "a-1-1", 10001: "a-10000"} {
		if ids[i] != want {
			t.Errorf("ids[%d] = %q; want %q", i, ids[i], want)
		}
	}
}
