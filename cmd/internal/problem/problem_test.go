package problem

import (
	"strings"
	"sync"
	"testing"
)

func TestString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Errorf("content/a/zh.md", 7, "title must be text"), "content/a/zh.md:7: title must be text"},
		{Warnf("content/a/zh.md", 12, "figure %s has no credit", "photos/x.jpg"), "content/a/zh.md:12: warning: figure photos/x.jpg has no credit"},
		{Errorf("content/a", 0, "bad folder"), "content/a: bad folder"},
		{Problem{Text: "output folder is a file"}, "output folder is a file"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q; want %q", got, tt.want)
		}
	}
}

func TestListSortsAndDeduplicates(t *testing.T) {
	var l List
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			l.Errorf("content/b/zh.md", 3, "x")
			l.Warnf("content/a/en.md", i%5, "w")
		})
	}
	wg.Wait()
	all := l.All()
	if len(all) != 6 {
		t.Fatalf("All() = %d problems; want 6 after removing duplicates: %v", len(all), all)
	}
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if a.File > b.File || a.File == b.File && a.Line > b.Line {
			t.Errorf("not sorted: %v before %v", a, b)
		}
	}
}

func TestErrorsAndJoin(t *testing.T) {
	ps := []Problem{Warnf("f", 1, "w"), Errorf("f", 2, "e")}
	if got := Errors(ps, false); len(got) != 1 || got[0].Text != "e" {
		t.Errorf("Errors(strict=false) = %v; want the error only", got)
	}
	if got := Errors(ps, true); len(got) != 2 {
		t.Errorf("Errors(strict=true) = %v; want both", got)
	}
	if Join(nil) != nil {
		t.Error("Join(nil) != nil")
	}
	if err := Join(ps); err == nil || !strings.Contains(err.Error(), "f:1: warning: w\nf:2: e") {
		t.Errorf("Join = %v", err)
	}
}
