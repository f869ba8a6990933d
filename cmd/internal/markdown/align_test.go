package markdown

import (
	"bytes"
	"strings"
	"testing"
)

// TestAlignClasses checks that a GFM table column's alignment becomes a
// class of its cells, in a table at any depth, and that no cell gets a
// style attribute (the minifier would run its CSS minifier on each).
func TestAlignClasses(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"all", "| a | b | c | d |\n| :- | -: | :-: | - |\n| 1 | 2 | 3 | 4 |\n",
			"<th class=\"align-left\">a</th>\n<th class=\"align-right\">b</th>\n<th class=\"align-center\">c</th>\n<th>d</th>\n" +
				"</tr>\n</thead>\n<tbody>\n<tr>\n<td class=\"align-left\">1</td>\n<td class=\"align-right\">2</td>\n<td class=\"align-center\">3</td>\n<td>4</td>"},
		{"quote", "> | x |\n> | -: |\n> | 9 |\n", "<td class=\"align-right\">9</td>"},
		{"list", "- item\n\n  | x |\n  | :-: |\n  | 9 |\n", "<td class=\"align-center\">9</td>"},
		{"short row", "| x | y |\n| -: | -: |\n| 9 |\n", "<td class=\"align-right\">9</td>\n<td></td>"}, // goldmark gives an added cell no alignment
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			doc := New().Parse([]byte(tc.src), Env{File: "t.md", BodyLine: 1, Lang: "en"})
			if err := doc.Render(&out); err != nil {
				t.Fatal(err)
			}
			got := out.String()
			if !strings.Contains(got, tc.want) {
				t.Errorf("%q renders\n%s\nwant it to contain\n%s", tc.src, got, tc.want)
			}
			if strings.Contains(got, "style=") {
				t.Errorf("%q renders a style attribute:\n%s", tc.src, got)
			}
		})
	}
}
