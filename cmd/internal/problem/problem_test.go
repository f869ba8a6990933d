package problem

import (
	"fmt"
	"slices"
	"strings"
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

func TestSort(t *testing.T) {
	ps := []Problem{
		Errorf("content/b/zh.md", 3, "x"),
		Warnf("content/a/en.md", 2, "w"),
		Errorf("content/a/en.md", 2, "w"),
		Errorf("content/a/en.md", 2, "v"),
		{File: "content/a/en.md", Line: 2, Column: 1, Text: "c"},
		Warnf("content/a/en.md", 0, "whole file"),
	}
	Sort(ps)
	var got []string
	for _, p := range ps {
		got = append(got, fmt.Sprintf("%s col %d", p, p.Column))
	}
	want := []string{
		"content/a/en.md: warning: whole file col 0",
		"content/a/en.md:2: v col 0",
		"content/a/en.md:2: w col 0",
		"content/a/en.md:2: warning: w col 0",
		"content/a/en.md:2:1: c col 1",
		"content/b/zh.md:3: x col 0",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Sort = %q; want %q", got, want)
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
