package deploy

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"dateline/cmd/internal/versitygw"
)

// writeOutput writes a built site's shape under dir: hashed assets, pages,
// feeds, the sitemap, and the files a deploy leaves out.
func writeOutput(t *testing.T, dir string, assets, pages int) {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	files := map[string][]byte{
		"_headers":         []byte("/assets/*\n  Cache-Control: " + "x\n"),
		".dateline-output": []byte("marker"),
		"robots.txt":       []byte("User-agent: *\nAllow: /\n"),
		"sitemap.xml":      []byte("<urlset/>"),
		"en/feed.xml":      []byte("<feed/>"),
	}
	for i := range assets {
		data := make([]byte, 2048+r.IntN(4096))
		for j := range data {
			data[j] = byte(r.Uint32())
		}
		files[fmt.Sprintf("assets/photos/p%03d.%010x.jpg", i, i)] = data
	}
	for i := range pages {
		files[fmt.Sprintf("en/r%03d/index.html", i)] = fmt.Appendf(nil, "<!doctype html><title>%d</title><img src=/assets/photos/p%03d.%010x.jpg>", i, i%max(assets, 1), i%max(assets, 1))
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestScan(t *testing.T) {
	dir := t.TempDir()
	writeOutput(t, dir, 3, 2)
	files, err := Scan(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil {
			t.Fatal(err)
		}
		sum := md5.Sum(data)
		if f.MD5 != hex.EncodeToString(sum[:]) || f.Size != int64(len(data)) {
			t.Errorf("Scan: %s: MD5 %s, size %d; want %x, %d", f.Path, f.MD5, f.Size, sum, len(data))
		}
		got = append(got, f.Path)
	}
	want := "assets/photos/p000.0000000000.jpg assets/photos/p001.0000000001.jpg assets/photos/p002.0000000002.jpg " +
		"en/feed.xml en/r000/index.html en/r001/index.html robots.txt sitemap.xml"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("Scan = %s\nwant   %s", g, want)
	}
}

// TestScanCache: a file whose metadata has not changed is not read again;
// one written again is.
func TestScanCache(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the cache is used on Linux only (scan_other.go)")
	}
	dir := t.TempDir()
	writeOutput(t, dir, 1, 2)
	cache := filepath.Join(t.TempDir(), "sub", "md5s")
	// Files written just now are not cached (racyWindow)...
	if _, err := Scan(context.Background(), dir, cache); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(cache); err != nil || len(data) > 0 {
		t.Errorf("cache of files written just now: %q (%v); want it empty", data, err)
	}
	// ...and the test's files are that new.
	defer func(w time.Duration) { racyWindow = w }(racyWindow)
	racyWindow = -time.Hour
	first, err := Scan(context.Background(), dir, cache)
	if err != nil {
		t.Fatal(err)
	}
	// Make the cache lie about en/r000/index.html: a second Scan that
	// takes its word has not read the file.
	data, err := os.ReadFile(cache)
	if err != nil {
		t.Fatal(err)
	}
	const fake = "0123456789abcdef0123456789abcdef"
	var lied []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasSuffix(line, "\ten/r000/index.html") {
			line = fake + line[32:]
		}
		lied = append(lied, line)
	}
	if err := os.WriteFile(cache, []byte(strings.Join(lied, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	md5Of := func(files []File, p string) string {
		for _, f := range files {
			if f.Path == p {
				return f.MD5
			}
		}
		return ""
	}
	second, err := Scan(context.Background(), dir, cache)
	if err != nil {
		t.Fatal(err)
	}
	if got := md5Of(second, "en/r000/index.html"); got != fake {
		t.Errorf("unchanged file: MD5 %s; want the cached %s (not read again)", got, fake)
	}
	if len(second) != len(first) {
		t.Errorf("second Scan: %d files; want %d", len(second), len(first))
	}
	// The same bytes written again: a new change time, read again.
	page := filepath.Join(dir, "en", "r000", "index.html")
	same, _ := os.ReadFile(page)
	if err := os.WriteFile(page, same, 0o644); err != nil {
		t.Fatal(err)
	}
	third, err := Scan(context.Background(), dir, cache)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := md5Of(third, "en/r000/index.html"), md5Of(first, "en/r000/index.html"); got != want {
		t.Errorf("file written again: MD5 %s; want %s", got, want)
	}
}

// plan lists the bucket and compares it with the output folder.
func plan(t *testing.T, s *Store, tg *Target, dir string) *Plan {
	t.Helper()
	ctx := context.Background()
	local, err := Scan(ctx, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	stored, err := s.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return NewPlan(tg, local, stored)
}

// TestApplyInterrupted stops the store in the middle of a deploy: the
// deploy fails with one line, deletes nothing, and the next one uploads
// what is left (and only that), then deletes.
func TestApplyInterrupted(t *testing.T) {
	g := versitygw.Start(t)
	versitygw.UseCredentials(t, versitygw.AccessKey, versitygw.SecretKey)
	g.CreateBucket("site")
	ctx := context.Background()
	client := g.Client()
	// An object of an earlier deploy, which this one deletes.
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("site"), Key: aws.String("news/en/gone/index.html"),
		Body: strings.NewReader("old")}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeOutput(t, dir, 60, 60)
	tg, err := ParseURL("s3://site/news?endpoint=" + g.Endpoint())
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, tg, 4)
	if err != nil {
		t.Fatal(err)
	}

	p := plan(t, s, tg, dir)
	if len(p.Uploads) != 123 || len(p.Deletes) != 1 {
		t.Fatalf("first plan: %d uploads, %d deletes; want 123, 1", len(p.Uploads), len(p.Deletes))
	}
	const stopAfter = 20
	res, err := p.Apply(ctx, s, dir, Options{Concurrency: 4, Progress: func(pr Progress) {
		if pr.Done == stopAfter {
			g.Stop()
		}
	}})
	t.Logf("interrupted: %v", err)
	if err == nil {
		t.Fatal("Apply with the store stopped: no error")
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "nothing deleted") ||
		!(strings.Contains(msg, "cannot reach") || strings.Contains(msg, "dropped")) {
		t.Errorf("error = %q; want one line saying the store is out of reach and nothing was deleted", msg)
	}
	if res.Uploaded < stopAfter || res.Uploaded >= len(p.Uploads) || res.Deleted != 0 {
		t.Errorf("interrupted Apply: %+v; want at least %d and fewer than %d uploads, no deletion", res, stopAfter, len(p.Uploads))
	}

	g.Restart()
	if _, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("site"), Key: aws.String("news/en/gone/index.html")}); err != nil {
		t.Errorf("after a failed upload, the object to delete is gone: %v", err)
	}
	p2 := plan(t, s, tg, dir)
	if want := len(p.Uploads) - res.Uploaded; len(p2.Uploads) > want {
		t.Errorf("second plan: %d uploads; want at most %d (what the first did not upload)", len(p2.Uploads), want)
	}
	if _, err := p2.Apply(ctx, s, dir, Options{}); err != nil {
		t.Fatalf("second Apply: %v", err)
	}
	if p3 := plan(t, s, tg, dir); !p3.Empty() {
		t.Errorf("after the second deploy: %d uploads, %d deletes left", len(p3.Uploads), len(p3.Deletes))
	}
	_, err = client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("site"), Key: aws.String("news/en/gone/index.html")})
	var nf *types.NotFound
	if !errors.As(err, &nf) {
		t.Errorf("after the second deploy, the old object: %v; want NotFound", err)
	}
}
