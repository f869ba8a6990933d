package scaffold

import (
	"bytes"
	"image/jpeg"
	"strings"
	"testing"
)

// TestLeftovers checks that every line of placeholder text is found in a
// fresh edition, at its line, and that the writer's own lines are not.
func TestLeftovers(t *testing.T) {
	for _, lang := range []string{"zh", "en", "fr"} {
		src := Edition(lang, "My story", "2026-01-02")
		got := Leftovers(src)
		if len(got) < 10 {
			t.Errorf("%s: %d leftovers in a fresh edition, want every placeholder line", lang, len(got))
		}
		lines := strings.Split(string(src), "\n")
		for _, l := range got {
			if strings.TrimSpace(lines[l.Line-1]) != l.Text {
				t.Errorf("%s: leftover %q is not line %d (%q)", lang, l.Text, l.Line, lines[l.Line-1])
			}
		}
	}
	written := []byte("---\ntitle: 青溪堤防\ndraft: false\nauthors:\n  - name: 孙庆辉\n    role: \"文/图\"\ntags: []\n---\n\n::: sidebar 马上行动\n真的文字。\n:::\n\n## 第一站 老堤\n")
	if got := Leftovers(written); len(got) != 0 {
		t.Errorf("a written edition has leftovers: %v", got)
	}
	if got := Leftovers([]byte("x\n  导语：用一两段话交代这次采访的来龙去脉。  \n")); len(got) != 1 || got[0].Line != 2 {
		t.Errorf("indented placeholder: got %v, want line 2", got)
	}
	if got := Leftovers([]byte("x\r\n导语：用一两段话交代这次采访的来龙去脉。\r\n")); len(got) != 1 || got[0].Line != 2 {
		t.Errorf("CRLF placeholder: got %v, want line 2", got)
	}
	// A build checks every edition: one with none costs no allocation.
	if n := testing.AllocsPerRun(20, func() { Leftovers(written) }); n != 0 {
		t.Errorf("Leftovers of a written edition allocated %v times; want 0", n)
	}
}

// TestPlaceholderJPEG checks that the placeholder is a valid JPEG, the same
// bytes each time (check knows it by its hash), with its comment.
func TestPlaceholderJPEG(t *testing.T) {
	a, b := PlaceholderJPEG(), PlaceholderJPEG()
	if !bytes.Equal(a, b) {
		t.Error("PlaceholderJPEG differs between calls")
	}
	if _, err := jpeg.Decode(bytes.NewReader(a)); err != nil {
		t.Errorf("not a JPEG: %v", err)
	}
	if !bytes.Contains(a[:64], []byte(marker)) {
		t.Error("no comment in the placeholder")
	}
}
