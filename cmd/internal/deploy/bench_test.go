package deploy

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/cmd/internal/versitygw"
)

// writePages writes an output folder of n pages of about 20 kB (the size
// of a built report page), with 36 photos and a stylesheet.
func writePages(b *testing.B, dir string, n int) {
	r := rand.New(rand.NewPCG(3, 4))
	words := strings.Fields("the river dike sluice gate delegation hall city brain night market stall lights flood season report")
	write := func(name string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 36 {
		data := make([]byte, 40<<10)
		for j := range data {
			data[j] = byte(r.Uint32())
		}
		write(fmt.Sprintf("assets/photos/p%02d.%010x.jpg", i, i), data)
	}
	write("assets/css/dateline.0123456789.css", make([]byte, 20<<10))
	for i := range n {
		var page strings.Builder
		fmt.Fprintf(&page, "<!doctype html><title>Report %d</title><link rel=stylesheet href=/assets/css/dateline.0123456789.css>", i)
		for page.Len() < 20<<10 {
			page.WriteString(words[r.IntN(len(words))])
			page.WriteByte(' ')
		}
		write(fmt.Sprintf("%s/report-%05d/index.html", []string{"zh", "en"}[i%2], i/2), []byte(page.String()))
	}
	write("sitemap.xml", []byte("<urlset/>"))
}

// BenchmarkDeploy deploys 10,000 pages to VersityGW on loopback: the first
// deploy of the site (objects/s, MB/s), then the deploy of the unchanged
// site, which must find that there is nothing to do (scan, list and plan)
// in well under 2 s.
//
//	go test -run '^$' -bench Deploy -benchtime 1x ./cmd/internal/deploy/
func BenchmarkDeploy(b *testing.B) {
	pages := 10000
	if s := os.Getenv("DATELINE_BENCH_PAGES"); s != "" {
		fmt.Sscan(s, &pages)
	}
	g := versitygw.Start(b)
	versitygw.UseCredentials(b, versitygw.AccessKey, versitygw.SecretKey)
	g.CreateBucket("bench")
	dir := b.TempDir()
	writePages(b, dir, pages)
	ctx := context.Background()
	sums := filepath.Join(b.TempDir(), "md5s") // as the command keeps them

	// decide scans and lists side by side, as the command does (it lists
	// while the site builds).
	decide := func(b *testing.B, tg *Target, s *Store) *Plan {
		start := time.Now()
		var (
			stored  []Object
			listErr error
			listed  time.Duration
			wg      sync.WaitGroup
		)
		wg.Go(func() { stored, listErr = s.List(ctx); listed = time.Since(start) })
		local, err := Scan(ctx, dir, sums)
		if err != nil {
			b.Fatal(err)
		}
		scanned := time.Since(start)
		wg.Wait()
		if listErr != nil {
			b.Fatal(listErr)
		}
		b.Logf("scan %s, list %s (%d objects)", scanned, listed, len(stored))
		return NewPlan(tg, local, stored)
	}
	var last *Target
	b.Run("first", func(b *testing.B) {
		var objects int
		var bytes int64
		var took time.Duration
		for i := range b.N {
			tg := &Target{Bucket: "bench", Prefix: fmt.Sprintf("run%d-%d/", time.Now().UnixNano(), i), Endpoint: g.Endpoint()}
			s, err := Open(ctx, tg, DefaultConcurrency)
			if err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			p := decide(b, tg, s)
			res, err := p.Apply(ctx, s, dir, Options{})
			if err != nil {
				b.Fatal(err)
			}
			took += time.Since(start)
			objects += res.Uploaded
			bytes += res.Bytes
			last = tg
		}
		b.ReportMetric(float64(objects)/took.Seconds(), "objects/s")
		b.ReportMetric(float64(bytes)/(1<<20)/took.Seconds(), "MB/s")
	})
	b.Run("unchanged", func(b *testing.B) {
		if last == nil {
			b.Skip("no first deploy")
		}
		s, err := Open(ctx, last, DefaultConcurrency)
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for range b.N {
			if p := decide(b, last, s); !p.Empty() {
				b.Fatalf("unchanged site: %d uploads, %d deletes", len(p.Uploads), len(p.Deletes))
			}
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/decision")
	})
}
