package style

import (
	"fmt"
	"strings"
	"testing"
)

func TestFindBody(t *testing.T) {
	body := strings.Join([]string{
		"第一段,有逗号。",                  // 1: a mark at column 4
		"",                          // 2
		"```",                       // 3
		"代码,不改",                     // 4: code
		"```",                       // 5
		"",                          // 6
		"    缩进代码,不改",               // 7: indented code
		"",                          // 8
		"English, as written: yes?", // 9
		"~~~~ go",                   // 10
		"x := f(a,b) // 中文,",        // 11: code
		"~~~",                       // 12: not the fence's end (shorter)
		"~~~~",                      // 13: the end
		"最后(一行)!",                   // 14: three marks
	}, "\r\n") + "\n"
	var got []string
	for _, m := range FindBody(body) {
		got = append(got, fmt.Sprintf("%c→%c@%d:%d", m.Old, m.New, m.Line, m.Col))
	}
	if g, want := strings.Join(got, " "), ",→，@1:4 (→（@14:3 )→）@14:6 !→！@14:7"; g != want {
		t.Errorf("FindBody = %s; want %s", g, want)
	}
	fixed, n := FixBody(body)
	if n != 4 {
		t.Errorf("FixBody changed %d marks; want 4", n)
	}
	if !strings.Contains(fixed, "第一段，有逗号。\r\n") || !strings.Contains(fixed, "最后（一行）！\n") ||
		!strings.Contains(fixed, "代码,不改\r\n") || !strings.Contains(fixed, "缩进代码,不改") || !strings.Contains(fixed, "中文,\r\n") {
		t.Errorf("FixBody:\n%s", fixed)
	}
	if again, n := FixBody(fixed); n != 0 || again != fixed {
		t.Errorf("FixBody of fixed text changed %d marks", n)
	}
}

// TestFindBodyReadsOnly: finding the marks of a body only reads it. A body
// with nothing to change costs no allocation (FindBody once built a copy
// of every body it was given, as FixBody does, and dropped it).
func TestFindBodyReadsOnly(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	body := strings.Repeat("第一段，有逗号。English, as written: yes?\n\n```\n代码,不改\n```\n", 50)
	if n := testing.AllocsPerRun(20, func() {
		if marks := FindBody(body); len(marks) != 0 {
			t.Fatalf("FindBody found %d marks; want none", len(marks))
		}
	}); n != 0 {
		t.Errorf("FindBody allocated %v times; want 0", n)
	}
}
