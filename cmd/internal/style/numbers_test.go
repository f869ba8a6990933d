package style

import (
	"fmt"
	"strings"
	"testing"
)

func TestNumbers(t *testing.T) {
	tests := []struct{ in, want string }{
		{"堤长1.2公里,高8米。", "1.2=1.2公里 8=8米"},
		{"The dike is 1.5 km long and 8 m high.", "1.5=1.5 km 8=8 m"},
		{"投资１２亿元", "1.2e+09=12亿元"},
		{"惠及1.2万人", "12000=1.2万人"},
		{"12,000 people and 3,000,000 yuan", "12000=12,000 3e+06=3,000,000"},
		{"a $2.5 billion plan", "2.5e+09=2.5 billion"},
		{"8月24日上午", "24=24日"},
		{"59万智能", "590000=59万"},
		{"增长35%", "35=35%"},
		{"见[报道](https://x.org/2021/08/1)和<https://y.org/9>", ""},
		{"H5 page, version v2", ""},
	}
	for _, tt := range tests {
		var got []string
		for _, n := range Numbers(tt.in) {
			got = append(got, fmt.Sprintf("%g=%s", n.Value, n.Text))
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("Numbers(%q) = %s; want %s", tt.in, g, tt.want)
		}
	}
}

func TestMentions(t *testing.T) {
	tests := []struct {
		in   string
		want []float64
	}{
		{"按五十年一遇洪水的标准", []float64{50, 1}},
		{"概率约为百分之二", []float64{100, 2}},
		{"一百二十米，三千五百万元，两座", []float64{120, 35000000, 2}},
		{"Four kilometers, twenty-five people, the 1970s", []float64{1970, 70, 4, 25}},
	}
	for _, tt := range tests {
		got := Mentions(tt.in)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("Mentions(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
	// A figure in digits is found in the other edition's words.
	if m := MissingFrom(Numbers("a 50-year flood, 2 percent, Section 3, the 1970s"), Mentions("五十年一遇，百分之二，第三标段，七十年代")); len(m) != 0 {
		t.Errorf("MissingFrom = %v; want none", m)
	}
}
