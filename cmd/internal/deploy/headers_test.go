package deploy

import (
	"strings"
	"testing"

	"dateline/cmd/internal/publish"
)

func TestContentType(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"index.html", "text/html; charset=utf-8"},
		{"en/river/index.html", "text/html; charset=utf-8"},
		{"assets/css/dateline.467cf54fa8.css", "text/css; charset=utf-8"},
		{"assets/js/journey.0fed1cd60a.js", "text/javascript; charset=utf-8"},
		{"robots.txt", "text/plain; charset=utf-8"},
		{"sitemap.xml", "application/xml; charset=utf-8"},
		{"zh/feed.xml", "application/atom+xml; charset=utf-8"},
		{"search/index.json", "application/json; charset=utf-8"},
		{"site.webmanifest", "application/manifest+json; charset=utf-8"},
		{"assets/favicon.0123456789.svg", "image/svg+xml; charset=utf-8"},
		{"assets/photos/hero-480.8fce186d00.jpg", "image/jpeg"},
		{"assets/photos/MAP.PNG", "image/png"},
		{"assets/photos/x.webp", "image/webp"},
		{"assets/photos/x.avif", "image/avif"},
		{"assets/fonts/serif.0123456789.woff2", "font/woff2"},
		{"assets/fonts/serif.woff", "font/woff"},
		{"favicon.ico", "image/x-icon"},
		{"zh/report/files/data.pdf", "application/pdf"},
		{"no-extension", "application/octet-stream"},
	} {
		if got := ContentType(tc.path); got != tc.want {
			t.Errorf("ContentType(%q) = %q; want %q", tc.path, got, tc.want)
		}
	}
}

// TestCacheControlIsTheHeadersPolicy holds CacheControl to the _headers
// file the build writes: the /assets/ rule for hashed files, the
// revalidating rule for the rest.
func TestCacheControlIsTheHeadersPolicy(t *testing.T) {
	rules := map[string]string{} // path pattern → Cache-Control
	var pattern string
	for _, line := range strings.Split(string(publish.Headers([]string{"/", "/zh/*"})), "\n") {
		switch {
		case strings.HasPrefix(line, "/"):
			pattern = line
		case strings.HasPrefix(line, "  Cache-Control: "):
			rules[pattern] = strings.TrimPrefix(line, "  Cache-Control: ")
		}
	}
	if rules["/assets/*"] == "" || rules["/zh/*"] == "" {
		t.Fatalf("no /assets/* or /zh/* rule in _headers: %v", rules)
	}
	for _, tc := range []struct{ path, rule string }{
		{"assets/css/dateline.467cf54fa8.css", "/assets/*"},
		{"assets/photos/hero-480.8fce186d00.jpg", "/assets/*"},
		{"zh/river/index.html", "/zh/*"},
		{"zh/feed.xml", "/zh/*"},
		{"index.html", "/"},
		{"robots.txt", "/"},
		{"assetsx/y.css", "/"},
	} {
		if got, want := CacheControl(tc.path), rules[tc.rule]; got != want {
			t.Errorf("CacheControl(%q) = %q; want %q (the _headers rule %s)", tc.path, got, want, tc.rule)
		}
	}
}
