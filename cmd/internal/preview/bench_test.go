package preview

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"dateline/cmd/internal/cache"
	"dateline/cmd/internal/corpus"
	"dateline/cmd/internal/photo"
)

// BenchmarkEditToPage measures what an editor waits for: from saving a
// report to the updated page being served (a unique marker is written and
// the page polled over HTTP until it shows), as the median (ms/edit) and
// 95th percentile (p95-ms) over the edits; the time from Run to the first
// page served (first-page-ms: a report page, served while the first build
// runs) and to the whole first build being served (ready-ms: front pages
// and feeds wait for it). Edits start once the first build is served.
//
// "sample" is the repository's sample site; "pages-10000" a generated
// corpus of 5,000 bilingual reports, run without -short, with the photo
// cache as an earlier build or serve of the site leaves it ("photos-warm")
// and as the very first serve of a site finds it, empty ("photos-cold":
// the first page waits for its photos to be resized). Those edits append a
// paragraph to one report, which changes no listing. "topic" edits the
// warm corpus the other way (issue #15's second target): site.toml
// declares a topic "marker", and each edit adds its tag to the front
// matter of another report, polling the topic's page until it links to
// that report. Run with a fixed count of edits:
//
//	go test -run '^$' -bench EditToPage -benchtime 40x ./cmd/internal/preview
func BenchmarkEditToPage(b *testing.B) {
	b.Run("sample", func(b *testing.B) {
		dir := b.TempDir()
		if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS(filepath.Join("..", "..", "..", "content"))); err != nil {
			b.Fatal(err)
		}
		benchEdits(b, dir, "yuhang-digital-governance", appendParagraph("yuhang-digital-governance"))
	})
	b.Run("pages-10000", func(b *testing.B) {
		if testing.Short() {
			b.Skip("10,000 pages: run without -short")
		}
		corpusSite := func(b *testing.B, warm bool) string {
			dir := b.TempDir()
			files := corpus.Generate(5000, 1)
			if err := corpus.Write(dir, files); err != nil {
				b.Fatal(err)
			}
			if warm {
				warmPhotos(b, files, cacheDir(dir))
			}
			return dir
		}
		for _, warm := range []bool{true, false} {
			name := map[bool]string{true: "photos-warm", false: "photos-cold"}[warm]
			b.Run(name, func(b *testing.B) {
				benchEdits(b, corpusSite(b, warm), corpus.Slug(2500), appendParagraph(corpus.Slug(2500)))
			})
		}
		b.Run("topic", func(b *testing.B) {
			dir := corpusSite(b, true)
			f, err := os.OpenFile(filepath.Join(dir, "content", "site.toml"), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				b.Fatal(err)
			}
			_, err = f.WriteString("\n[topics.marker]\nzh = \"标记\"\nen = \"Marker\"\n")
			if err := errors.Join(err, f.Close()); err != nil {
				b.Fatal(err)
			}
			benchEdits(b, dir, corpus.Slug(2500), addTopic)
		})
	})
}

// An edit is edit number i of the site in dir: the file to write and its
// new bytes, the page to poll and what shows there once the edit is served.
// benchEdits writes the file: the time is counted from the write.
type edit func(b *testing.B, dir string, i int) (file string, data []byte, page, shows string)

// appendParagraph appends a paragraph with a unique marker to the Chinese
// edition of slug, and looks for it on that report's page.
func appendParagraph(slug string) edit {
	var orig []byte
	return func(b *testing.B, dir string, i int) (string, []byte, string, string) {
		file := filepath.Join(dir, "content", slug, "zh.md")
		if orig == nil {
			var err error
			if orig, err = os.ReadFile(file); err != nil {
				b.Fatal(err)
			}
		}
		marker := fmt.Sprintf("EDITMARK%dZ%d", i, time.Now().UnixNano())
		return file, append(slices.Clone(orig), "\n\n"+marker+"\n"...), "/zh/" + slug + "/", marker
	}
}

// addTopic adds the tag 标记 (topic "marker") to the Chinese edition of
// report 2500+i, and looks for a link to it on the topic's page.
func addTopic(b *testing.B, dir string, i int) (string, []byte, string, string) {
	slug := corpus.Slug(2500 + i)
	file := filepath.Join(dir, "content", slug, "zh.md")
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	tagged := strings.Replace(string(data), "\ntags: [", "\ntags: [\"标记\", ", 1)
	if tagged == string(data) {
		b.Fatalf("%s has no tags line", file)
	}
	return file, []byte(tagged), "/zh/topics/marker/", "/zh/" + slug + "/"
}

// cacheDir is where `dateline build` keeps a site's photo derivatives.
func cacheDir(dir string) string { return filepath.Join(dir, ".cache", "dateline") }

// warmPhotos fills the photo cache with the derivatives of a site's
// photos, as an earlier build would have.
func warmPhotos(b *testing.B, files map[string][]byte, dir string) {
	photos := &photo.Cache{Store: cache.Open(dir)}
	seen := map[string]bool{}
	for name, data := range files {
		if !strings.HasPrefix(name, "content/") || path.Ext(name) != ".png" && path.Ext(name) != ".jpg" || seen[string(data)] {
			continue
		}
		seen[string(data)] = true
		if _, err := photos.Derive(context.Background(), data); err != nil {
			b.Fatalf("%s: %v", name, err)
		}
	}
}

// benchEdits serves the site in dir, times the first serving of the
// Chinese page of the report slug, and makes one edit per op.
func benchEdits(b *testing.B, dir, slug string, change edit) {
	const wait = 300 * time.Second // bound on any one wait, the first build of 10,000 pages included
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	site := "http://" + ln.Addr().String()
	page := site + "/zh/" + slug + "/"
	srv := New(Options{Dir: dir, Cache: cacheDir(dir)})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- srv.Run(ctx, ln) }()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(wait):
			b.Error("Run did not return after the context ended")
		}
	}()

	client := &http.Client{Timeout: wait}
	fetch := func(page string) (int, string) {
		resp, err := client.Get(page)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			b.Fatal(err)
		}
		return resp.StatusCode, string(body)
	}
	// A report page is served before the first build ends.
	if code, _ := fetch(page); code != 200 {
		b.Fatalf("GET %s = %d", page, code)
	}
	first := time.Since(start)
	select {
	case <-srv.Ready():
	case <-time.After(wait):
		b.Fatalf("the first build was not served within %v", wait)
	}
	ready := time.Since(start)

	var lat []time.Duration
	for b.Loop() {
		file, data, path, shows := change(b, dir, len(lat))
		t0 := time.Now()
		if err := os.WriteFile(file, data, 0o644); err != nil {
			b.Fatal(err)
		}
		for {
			if _, body := fetch(site + path); strings.Contains(body, shows) {
				break
			}
			if time.Since(t0) > wait {
				b.Fatalf("the edit did not show within %v; problems: %v", wait, srv.Problems())
			}
			time.Sleep(time.Millisecond)
		}
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(lat[len(lat)/2]), "ms/edit")
	b.ReportMetric(ms(lat[(len(lat)*95+99)/100-1]), "p95-ms")
	b.ReportMetric(ms(first), "first-page-ms")
	b.ReportMetric(ms(ready), "ready-ms")
}
