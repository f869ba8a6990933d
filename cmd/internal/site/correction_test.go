package site

import (
	"encoding/json"
	"testing"
)

// TestCorrectionsPlainText: a correction is plain text. Markup-like
// characters in it show as typed in the corrections box, and the JSON-LD
// CorrectionComment carries the text the reporter wrote, not its HTML.
func TestCorrectionsPlainText(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"markup", `"The <b>bold</b> claim & the 'quote' were wrong."`, `The <b>bold</b> claim & the 'quote' were wrong.`},
		{"entity", `"AT&amp;T, not AT&T; 1 < 2 > 0 \"ok\""`, `AT&amp;T, not AT&T; 1 < 2 > 0 "ok"`},
		{"chinese", `"更正：“第三标段”应为“第二标段”。"`, `更正：“第三标段”应为“第二标段”。`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _ := buildSeriesSite(t, map[string]string{
				"content/site.toml": "base_url = \"https://x.example/\"\n",
				"content/r/en.md":   "---\ntitle: R\ndate: 2025-03-01\ncorrections:\n  - date: 2025-03-02\n    text: " + tt.yaml + "\n---\n\nBody.\n",
			})
			doc := parseDoc(t, out, "en/r/index.html")
			box := one(t, "en/r", doc, "corrections")
			li := findAll(box, "li")
			if len(li) != 1 {
				t.Fatalf("%d corrections shown; want 1", len(li))
			}
			shown := textOf(li[0])
			if want := "March 2, 2025 " + tt.want; shown != want {
				t.Errorf("the page shows %q; want %q", shown, want)
			}
			var ld struct {
				Correction []struct{ Text string } `json:"correction"`
			}
			for _, s := range findAll(doc, "script") {
				if attrOf(s, "type") == "application/ld+json" {
					if err := json.Unmarshal([]byte(s.FirstChild.Data), &ld); err != nil {
						t.Fatal(err)
					}
				}
			}
			if len(ld.Correction) != 1 || ld.Correction[0].Text != tt.want {
				t.Errorf("JSON-LD correction %+v; want text %q", ld.Correction, tt.want)
			}
		})
	}
}
