package site

import (
	"context"
	"encoding/json"
	"fmt"
	"image/jpeg"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"dateline/cmd/internal/browsertest"
	"dateline/cmd/internal/publish"

	"github.com/chromedp/chromedp"
)

// pictureSite builds a site whose published report has a 1600×900 JPEG
// hero and a 1200×800 JPEG figure (the sample site's sizes) and whose
// draft has a JPEG of its own, and returns the output folder.
func pictureSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	body := "First paragraph.\n\n![A street](photos/street.jpg \"Street (Photo: A)\")\n\nLast paragraph.\n"
	hero := "hero: {src: photos/hero.jpg, alt: A square}\n"
	writeFiles(t, dir, map[string]string{
		"content/site.toml":                    "base_url = \"https://x.example/\"\n",
		"content/a/en.md":                      strings.Replace(editionFile("en", "A", "2025-01-01", body), "---\n\n", hero+"---\n\n", 1),
		"content/a/photos/street.jpg":          string(testJPEG(t, 1200, 800, 3)),
		"content/a/photos/hero.jpg":            string(testJPEG(t, 1600, 900, 5)),
		"content/secret/en.md":                 strings.Replace(editionFile("en", "S", "2025-01-01", "![Draft](photos/draft-only.jpg \"D (Photo: A)\")\n"), "---\n\n", "draft: true\nhero: {src: photos/draft-hero.jpg, alt: D}\n---\n\n", 1),
		"content/secret/photos/draft-only.jpg": string(testJPEG(t, 1000, 600, 7)),
		"content/secret/photos/draft-hero.jpg": string(testJPEG(t, 1600, 900, 9)),
	})
	out := filepath.Join(dir, "public")
	d, err := publish.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	res, err := NewBuilder(Options{FS: os.DirFS(dir), Now: clock, Cache: filepath.Join(dir, ".cache")}).Build(context.Background(), d)
	if err != nil {
		d.Abort()
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Problems {
		t.Logf("problem: %v", p)
	}
	return out
}

// pictureState is what testPictureSizesInBrowser reads from the page.
type pictureState struct {
	Fig, Hero       string
	FigW, HeroW     float64
	FigDone, HeroOK bool
}

// TestPictureSite builds pictureSite once (its AVIF and WebP copies take
// seconds) for the checks below.
func TestPictureSite(t *testing.T) {
	if testing.Short() {
		t.Skip("encodes AVIF")
	}
	out := pictureSite(t)
	t.Run("drafts", func(t *testing.T) { testDraftPhotos(t, out) })
	t.Run("cards", func(t *testing.T) { testHeroCards(t, out) })
	t.Run("browser", func(t *testing.T) { testPictureSizesInBrowser(t, out) })
}

// testDraftPhotos: nothing of the draft's photos is published, in any
// format, nor crops of its hero.
func testDraftPhotos(t *testing.T, out string) {
	published := 0
	filepath.WalkDir(out, func(p string, _ os.DirEntry, err error) error {
		if err == nil && (strings.Contains(p, "draft-only") || strings.Contains(p, "draft-hero")) {
			t.Errorf("published: %s", p)
		}
		if err == nil && strings.Contains(p, "hero-card-") {
			published++
		}
		return nil
	})
	if published == 0 {
		t.Error("no crop of the published report's hero either: the check above looks at nothing")
	}
}

// testHeroCards: a report's JSON-LD image lists the hero's 16:9, 4:3 and
// 1:1 crops (1200 wide) as ImageObjects, og:image and twitter:image are
// the 16:9 one, and the crops are published with those sizes; a draft's
// hero gives none.
func testHeroCards(t *testing.T, out string) {
	page, err := os.ReadFile(filepath.Join(out, "en", "a", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`<script type="application/ld\+json">(.*?)</script>`).FindSubmatch(page)
	if m == nil {
		t.Fatal("no JSON-LD")
	}
	var ld struct {
		Image []struct {
			Type          string `json:"@type"`
			URL           string `json:"url"`
			Width, Height int
		} `json:"image"`
	}
	if err := json.Unmarshal(m[1], &ld); err != nil {
		t.Fatal(err)
	}
	want := []string{"1200x675 hero-card-16x9.", "1200x900 hero-card-4x3.", "1200x1200 hero-card-1x1."}
	if len(ld.Image) != len(want) {
		t.Fatalf("JSON-LD image %+v; want %d crops", ld.Image, len(want))
	}
	for i, img := range ld.Image {
		base := img.URL[strings.LastIndex(img.URL, "/")+1:]
		if got := fmt.Sprintf("%dx%d %s", img.Width, img.Height, base); img.Type != "ImageObject" || !strings.HasPrefix(got, want[i]) || !strings.HasPrefix(img.URL, "https://x.example/assets/photos/") {
			t.Errorf("image %d: %s %s; want ImageObject %s…", i, img.Type, got, want[i])
		}
		f, err := os.Open(filepath.Join(out, "assets", "photos", base))
		if err != nil {
			t.Errorf("crop not published: %v", err)
			continue
		}
		cfg, err := jpeg.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != img.Width || cfg.Height != img.Height {
			t.Errorf("%s: %dx%d (%v); JSON-LD says %dx%d", base, cfg.Width, cfg.Height, err, img.Width, img.Height)
		}
	}
	for _, tag := range []string{
		`<meta property="og:image" content="` + ld.Image[0].URL + `">`,
		`<meta property="og:image:width" content="1200">`,
		`<meta property="og:image:height" content="675">`,
		`<meta name="twitter:image" content="` + ld.Image[0].URL + `">`,
	} {
		if !strings.Contains(string(page), tag) {
			t.Errorf("no %s", tag)
		}
	}
	cards, _ := filepath.Glob(filepath.Join(out, "assets", "photos", "*-card-*"))
	if len(cards) != 3 {
		t.Errorf("published crops %q; want the published hero's 3", cards)
	}
}

// testPictureSizesInBrowser loads a report in headless Chromium at phone,
// tablet and desktop widths, at 1 and 2 device pixels per CSS pixel, and
// checks that the figure and the hero are as wide as their sizes
// attributes say (photo.FigureSizes, photo.HeroSizes against the theme's
// CSS), and that the browser picks the AVIF of the expected width: a
// 412-pixel phone at DPR 1 the 480-wide file, not the 960.
func testPictureSizesInBrowser(t *testing.T, out string) {
	browser := browsertest.Browser(t, 3*time.Minute)
	srvURL := browsertest.ServeDir(t, out)

	tests := []struct {
		w, h                int64
		dpr                 float64
		figWidth, heroWidth int    // CSS pixels, from the theme's CSS
		figFile, heroFile   string // the candidate the browser should take
	}{
		{390, 844, 1, 350, 390, "street-480.", "hero-480."},
		{412, 915, 1, 372, 412, "street-480.", "hero-480."},
		{768, 1024, 1, 688, 768, "street-960.", "hero-960."},
		{1366, 900, 1, 688, 944, "street-960.", "hero-960."},
		{412, 915, 2, 372, 412, "street-960.", "hero-960."},
		{1366, 900, 2, 688, 944, "street-1200.", "hero-1600."},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%dx%d@%g", tc.w, tc.h, tc.dpr), func(t *testing.T) {
			tab, cancelTab := chromedp.NewContext(browser)
			defer cancelTab()
			js := `(async () => {
				const fig = document.querySelector(".report-body figure img");
				const hero = document.querySelector(".hero img");
				fig.scrollIntoView();
				for (let i = 0; i < 200 && !(fig.complete && fig.currentSrc && hero.complete && hero.currentSrc); i++)
					await new Promise(r => setTimeout(r, 25));
				return {Fig: fig.currentSrc, Hero: hero.currentSrc,
					FigW: fig.getBoundingClientRect().width, HeroW: hero.getBoundingClientRect().width,
					FigDone: fig.complete, HeroOK: hero.complete};
			})()`
			err := chromedp.Do(tab,
				chromedp.EmulateViewport(tc.w, tc.h, chromedp.EmulateScale(tc.dpr)),
				chromedp.Navigate(srvURL+"/en/a/"),
			)
			if err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Run(tab, chromedp.Evaluate[pictureState](js, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			if int(got.FigW+0.5) != tc.figWidth || int(got.HeroW+0.5) != tc.heroWidth {
				t.Errorf("figure %.1f and hero %.1f CSS px wide; the sizes attributes say %d and %d", got.FigW, got.HeroW, tc.figWidth, tc.heroWidth)
			}
			for _, c := range []struct{ what, src, want string }{{"figure", got.Fig, tc.figFile}, {"hero", got.Hero, tc.heroFile}} {
				base := c.src[strings.LastIndex(c.src, "/")+1:]
				if !strings.HasPrefix(base, c.want) || !strings.HasSuffix(base, ".avif") {
					t.Errorf("%s currentSrc %s; want %s….avif", c.what, base, c.want)
				}
			}
		})
	}
}
