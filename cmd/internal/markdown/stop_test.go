package markdown

import "testing"

func TestZhNumber(t *testing.T) {
	ones := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	for n := 1; n <= 99; n++ {
		var s string
		switch {
		case n < 10:
			s = ones[n]
		case n < 20:
			s = "十" + ones[n%10]
		default:
			s = ones[n/10] + "十" + ones[n%10]
		}
		if got, ok := zhNumber(s); !ok || got != n {
			t.Errorf("zhNumber(%q) = %d, %v; want %d", s, got, ok, n)
		}
	}
	for _, s := range []string{"", "零", "一十", "十十", "一百", "两", "二二", "0", "1000", "十一一"} {
		if n, ok := zhNumber(s); ok {
			t.Errorf("zhNumber(%q) = %d, true; want false", s, n)
		}
	}
	for s, want := range map[string]int{"3": 3, "１２": 12, "999": 999} {
		if got, ok := zhNumber(s); !ok || got != want {
			t.Errorf("zhNumber(%q) = %d, %v; want %d", s, got, ok, want)
		}
	}
}

func TestParseStopLabel(t *testing.T) {
	tests := []struct {
		in           string
		n            int
		label, title string
		ok           bool
	}{
		{"第一站 余杭区", 1, "第一站", "余杭区", true},
		{"第十二站：甲", 12, "第十二站", "甲", true},
		{"第九十九站——乙", 99, "第九十九站", "乙", true},
		{"第3站", 3, "第3站", "", true},
		{"第一站台", 1, "第一站", "台", true},
		{"First stop: The hall", 1, "First stop", "The hall", true},
		{"TWENTIETH STOP", 20, "TWENTIETH STOP", "", true},
		{"fourteenth stop - x", 14, "fourteenth stop", "x", true},
		{"Stop 7 — Harbour", 7, "Stop 7", "Harbour", true},
		{"Stopover", 0, "", "", false},
		{"First stopgap", 0, "", "", false},
		{"Stop 12a", 0, "", "", false},
		{"Stop 0", 0, "", "", false},
		{"Twenty-first stop", 0, "", "", false},
		{"第站", 0, "", "", false},
		{"第一十站", 0, "", "", false},
	}
	for _, tt := range tests {
		n, label, title, ok := parseStopLabel(tt.in)
		if n != tt.n || label != tt.label || title != tt.title || ok != tt.ok {
			t.Errorf("parseStopLabel(%q) = %d, %q, %q, %v; want %d, %q, %q, %v", tt.in, n, label, title, ok, tt.n, tt.label, tt.title, tt.ok)
		}
	}
}
