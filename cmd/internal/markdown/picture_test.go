package markdown

import (
	"strings"
	"testing"
)

// TestFigurePicture: an image whose Asset has Sources becomes a <picture>
// whose <source> elements (with the image's sizes) come before the <img>,
// in a figure and inline; without Sources it stays a bare <img>.
func TestFigurePicture(t *testing.T) {
	resolve := func(dest string, image bool) (Asset, error) {
		a := Asset{URL: "/p/x.jpg", Width: 1200, Height: 800, Srcset: "/p/x-480.jpg 480w, /p/x.jpg 1200w", Sizes: "100vw"}
		if dest == "photos/x.jpg" {
			a.Sources = []Source{
				{Type: "image/avif", Srcset: "/p/x-480.avif 480w, /p/x-1200.avif 1200w"},
				{Type: "image/webp", Srcset: "/p/x-480.webp 480w"},
			}
		}
		return a, nil
	}
	picture := `<picture><source type="image/avif" srcset="/p/x-480.avif 480w, /p/x-1200.avif 1200w" sizes="100vw">` +
		`<source type="image/webp" srcset="/p/x-480.webp 480w" sizes="100vw">` +
		`<img src="/p/x.jpg" alt="A" width="1200" height="800" srcset="/p/x-480.jpg 480w, /p/x.jpg 1200w" sizes="100vw"`
	tests := []struct{ name, src, want string }{
		{"figure", "![A](photos/x.jpg \"Cap (Photo: B)\")\n", "<figure>" + picture + "></picture><figcaption>"},
		{"inline", "Text ![A](photos/x.jpg) text\n", "<p>Text " + picture + "></picture> text</p>"},
		{"no sources", "![A](photos/y.jpg)\n", `<figure><img src="/p/x.jpg" alt="A" width="1200" height="800" srcset="/p/x-480.jpg 480w, /p/x.jpg 1200w" sizes="100vw"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := testEnv("en")
			env.Resolve = resolve
			var b strings.Builder
			if err := New().Parse([]byte(tc.src), env).Render(&b); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), tc.want) {
				t.Errorf("got\n%s\nwant it to contain\n%s", b.String(), tc.want)
			}
			if tc.name == "no sources" && strings.Contains(b.String(), "picture") {
				t.Errorf("a <picture> without sources: %s", b.String())
			}
		})
	}
}
