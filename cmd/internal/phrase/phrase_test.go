package phrase

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestSplitMatchesBudouX compares Split with the phrases the budoux npm
// package (0.9.2) gives for the same lines: testdata/budoux.txt holds its
// output, one line a sentence, phrases separated by " | ".
func TestSplitMatchesBudouX(t *testing.T) {
	f, err := os.Open("testdata/budoux.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		want := strings.Split(line, " | ")
		in := strings.Join(want, "")
		if got := Split(in); !slices.Equal(got, want) {
			t.Errorf("Split(%q)\n got %q\nwant %q", in, got, want)
		}
		n++
	}
	if n < 10 {
		t.Fatalf("only %d cases in testdata/budoux.txt", n)
	}
}

func TestHTML(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"今天是晴天。", "今天<wbr>是<wbr>晴天。"},
		{"清溪河大堤：汛期前的三处“软肋”", "清溪<wbr>河<wbr>大堤：<wbr>汛期<wbr>前<wbr>的<wbr>三处<wbr>“软肋”"},
		{"<b>&", "&lt;b&gt;&amp;"},
	} {
		if got := string(HTML(c.in)); got != c.want {
			t.Errorf("HTML(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzSplit: the phrases of any text join back to it, none is empty.
func FuzzSplit(f *testing.F) {
	f.Add("清溪河大堤：汛期前的三处“软肋”")
	f.Add("Dateline 把报道分站发布")
	f.Add("\xff\xfe")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
		ps := Split(s)
		if strings.Join(ps, "") != s {
			t.Fatalf("Split(%q) = %q: does not join back", s, ps)
		}
		if slices.Contains(ps, "") {
			t.Fatalf("Split(%q) = %q: an empty phrase", s, ps)
		}
	})
}
