package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"golang.org/x/net/html"

	"dateline/cmd/internal/corpus"
	"dateline/cmd/internal/publish"
	"dateline/cmd/internal/versitygw"
)

// deployTargets returns the [deploy] tables of a test site on gateway g:
// "test" publishes under site/ in bucket, "staging" under staging/.
func deployTargets(g *versitygw.Gateway, bucket string) string {
	return fmt.Sprintf(`
[deploy.test]
url = "s3://%[1]s/site?endpoint=%[2]s&region=us-east-1"

[deploy.staging]
url = "s3://%[1]s/staging?endpoint=%[2]s"
base_url = "https://staging.example.org/"
noindex = true
`, bucket, g.Endpoint())
}

// deploySite starts a gateway with a bucket "news" and writes files, with
// the deploy targets added to its site.toml, into a new site folder.
func deploySite(t *testing.T, files map[string][]byte) (*versitygw.Gateway, string) {
	t.Helper()
	g := versitygw.Start(t)
	versitygw.UseCredentials(t, versitygw.AccessKey, versitygw.SecretKey)
	g.CreateBucket("news")
	files = maps.Clone(files)
	files["content/site.toml"] = append(slices.Clip(files["content/site.toml"]), deployTargets(g, "news")...)
	dir := t.TempDir()
	writeSite(t, dir, files)
	return g, dir
}

// mustDeploy runs dateline deploy and fails t unless it exits 0.
func mustDeploy(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	code, stdout, stderr := dateline(t, append([]string{"deploy"}, args...)...)
	if code != 0 {
		t.Fatalf("dateline deploy %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, stdout, stderr)
	}
	return stdout, stderr
}

// stored returns what the posix backend holds for bucket/prefix: each
// object's path under the prefix and the modification time of its file,
// which changes only when the object is written.
func stored(t *testing.T, g *versitygw.Gateway, bucket, prefix string) map[string]time.Time {
	t.Helper()
	root := filepath.Join(g.Root(), bucket, prefix)
	objs := map[string]time.Time{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		objs[filepath.ToSlash(rel)] = fi.ModTime()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// published returns the files of an output folder that a deploy uploads.
func published(t *testing.T, out string) map[string][]byte {
	tree := readTree(t, out)
	for name := range tree {
		if name == "_headers" || !strings.Contains(name, "/") && strings.HasPrefix(name, ".") {
			delete(tree, name)
		}
	}
	return tree
}

// changed returns the names whose bytes differ between two trees, or that
// only one of them holds.
func changed(a, b map[string][]byte) []string {
	var names []string
	for name, data := range b {
		if old, ok := a[name]; !ok || !bytes.Equal(old, data) {
			names = append(names, name)
		}
	}
	for name := range a {
		if _, ok := b[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// written returns the objects whose files are new or newer in after.
func written(before, after map[string]time.Time) []string {
	var names []string
	for name, mt := range after {
		if old, ok := before[name]; !ok || !old.Equal(mt) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// wantHeaders are the Content-Type of each extension the test site
// publishes.
var wantContentType = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".txt":  "text/plain; charset=utf-8",
	".xml":  "application/xml; charset=utf-8",
	".svg":  "image/svg+xml; charset=utf-8", // the theme's favicon
	".ico":  "image/x-icon",
}

// TestDeploy publishes a site, then again unchanged, then with one report
// edited, then with one deleted, and checks the bucket each time.
func TestDeploy(t *testing.T) {
	g, dir := deploySite(t, testSite(t))
	ctx := context.Background()
	client := g.Client()
	out := filepath.Join(dir, "public")

	// First deploy: every file, with its headers, read back.
	stdout, _ := mustDeploy(t, "-s", dir, "--target", "test")
	site := published(t, out)
	if len(site) < 10 {
		t.Fatalf("the build published only %d files", len(site))
	}
	if !strings.Contains(stdout, fmt.Sprintf("upload %d (", len(site))) || !strings.Contains(stdout, "deployed to s3://news/site/") {
		t.Errorf("first deploy: stdout = %q; want a plan of %d uploads and a summary line", stdout, len(site))
	}
	objs := stored(t, g, "news", "site")
	if got, want := slices.Sorted(maps.Keys(objs)), slices.Sorted(maps.Keys(site)); !slices.Equal(got, want) {
		t.Fatalf("bucket holds\n%q\nwant\n%q", got, want)
	}
	for name, data := range site {
		obj, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("news"), Key: aws.String("site/" + name)})
		if err != nil {
			t.Fatalf("GET %s: %v", name, err)
		}
		body, err := io.ReadAll(obj.Body)
		obj.Body.Close()
		if err != nil || !bytes.Equal(body, data) {
			t.Errorf("GET %s: %d bytes (%v); want the %d bytes of the build", name, len(body), err, len(data))
		}
		head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("news"), Key: aws.String("site/" + name)})
		if err != nil {
			t.Fatalf("HEAD %s: %v", name, err)
		}
		wantCC := publish.Revalidate
		if strings.HasPrefix(name, "assets/") {
			wantCC = publish.Immutable
		}
		wantCT := wantContentType[path.Ext(name)]
		if path.Base(name) == "feed.xml" {
			wantCT = "application/atom+xml; charset=utf-8"
		}
		if cc, ct := aws.ToString(head.CacheControl), aws.ToString(head.ContentType); cc != wantCC || ct != wantCT {
			t.Errorf("HEAD %s: Cache-Control %q, Content-Type %q; want %q, %q", name, cc, ct, wantCC, wantCT)
		}
	}

	// Second deploy of the same site: nothing written.
	stdout, _ = mustDeploy(t, "-s", dir, "--target", "test")
	if !strings.Contains(stdout, "nothing to do") || !strings.Contains(stdout, "upload 0 (") {
		t.Errorf("second deploy: stdout = %q; want upload 0 and nothing to do", stdout)
	}
	if w := written(objs, stored(t, g, "news", "site")); len(w) > 0 {
		t.Errorf("second deploy of an unchanged site wrote %q", w)
	}

	// One report edited: exactly the files whose bytes changed.
	objs = stored(t, g, "news", "site")
	writeSite(t, dir, map[string][]byte{"content/beta/zh.md": []byte(`---
title: 夜市的烟火气
date: 2025-05-01
dateline: 郑州
authors: [{name: 李明, role: 文}]
---

夜市重新开张，摊主们说生意比去年好得多。
`)})
	mustDeploy(t, "-s", dir, "--target", "test")
	site2 := published(t, out)
	want := changed(site, site2)
	if !slices.Contains(want, "zh/beta/index.html") || slices.Contains(want, "en/alpha/index.html") {
		t.Fatalf("the edit changed %q: want zh/beta/index.html and not en/alpha/index.html", want)
	}
	if got := written(objs, stored(t, g, "news", "site")); !slices.Equal(got, want) {
		t.Errorf("after editing one report, deploy wrote\n%q\nwant the files that changed\n%q", got, want)
	}

	// One report deleted: --dry-run and --max-deletes change nothing; the
	// deploy deletes its objects, last, pages before photos.
	if err := os.RemoveAll(filepath.Join(dir, "content", "alpha")); err != nil {
		t.Fatal(err)
	}
	objs = stored(t, g, "news", "site")
	stdout, _ = mustDeploy(t, "-s", dir, "--target", "test", "--dry-run")
	if !strings.Contains(stdout, "dry run: nothing changed") {
		t.Errorf("--dry-run: stdout = %q", stdout)
	}
	var order []string // "upload KEY" and "delete KEY", as planned
	for _, line := range strings.Split(stdout, "\n") {
		if f := strings.Fields(line); len(f) >= 2 && (f[0] == "upload" || f[0] == "delete") {
			order = append(order, f[0]+" "+f[1])
		}
	}
	firstDelete := slices.IndexFunc(order, func(s string) bool { return strings.HasPrefix(s, "delete ") })
	if firstDelete < 0 || !slices.Contains(order, "delete site/en/alpha/index.html") {
		t.Fatalf("--dry-run plan %q: want the deletion of en/alpha/index.html", order)
	}
	lastPage, firstAsset := -1, len(order)
	for i, s := range order {
		if i < firstDelete && strings.HasPrefix(s, "delete ") || i >= firstDelete && strings.HasPrefix(s, "upload ") {
			t.Errorf("--dry-run plan %q: uploads and deletions interleave", order)
			break
		}
		if strings.HasPrefix(s, "delete ") && strings.HasSuffix(s, ".html") {
			lastPage = i
		}
		if strings.HasPrefix(s, "delete site/assets/") {
			firstAsset = min(firstAsset, i)
		}
	}
	if firstAsset == len(order) || lastPage > firstAsset {
		t.Errorf("--dry-run plan %q: want the report's photos deleted, after its pages", order)
	}
	if w := written(objs, stored(t, g, "news", "site")); len(w) > 0 || len(stored(t, g, "news", "site")) != len(objs) {
		t.Errorf("--dry-run changed the bucket: wrote %q", w)
	}

	code, stdout, stderr := dateline(t, "deploy", "-s", dir, "--target", "test", "--max-deletes", "1")
	if code != 1 || !strings.Contains(stderr, "refused") || !strings.Contains(stderr, "--max-deletes 1") || strings.Count(stderr, "dateline:") != 1 {
		t.Errorf("--max-deletes 1: exit %d, stderr %q; want exit 1 and one line refusing", code, stderr)
	}
	if w := written(objs, stored(t, g, "news", "site")); len(w) > 0 || len(stored(t, g, "news", "site")) != len(objs) {
		t.Errorf("a refused deploy changed the bucket: wrote %q", w)
	}

	_, stderr = mustDeploy(t, "-s", dir, "--target", "test")
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "deleted ") {
		t.Errorf("deploy progress %q: want the deletions last", lines)
	}
	site3 := published(t, out)
	if got, want := slices.Sorted(maps.Keys(stored(t, g, "news", "site"))), slices.Sorted(maps.Keys(site3)); !slices.Equal(got, want) {
		t.Errorf("after deleting a report the bucket holds\n%q\nwant\n%q", got, want)
	}
}

// TestDeployStaging publishes the staging target: its base_url, a
// robots.txt that disallows all, noindex on every page; the production
// copy keeps neither.
func TestDeployStaging(t *testing.T) {
	g, dir := deploySite(t, testSite(t))
	mustDeploy(t, "-s", dir, "--target", "staging")
	mustDeploy(t, "-s", dir, "--target", "test")
	root := filepath.Join(g.Root(), "news")
	robots, err := os.ReadFile(filepath.Join(root, "staging", "robots.txt"))
	if err != nil || string(robots) != "User-agent: *\nDisallow: /\n" {
		t.Errorf("staging robots.txt = %q (%v); want it to disallow everything", robots, err)
	}
	pages := 0
	for name, data := range readTree(t, filepath.Join(root, "staging")) {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		pages++
		doc := parseHTML(t, data)
		noindex := find(doc, func(n *html.Node) bool {
			return n.Type == html.ElementNode && n.Data == "meta" && attr(n, "name") == "robots" && attr(n, "content") == "noindex"
		})
		if len(noindex) != 1 {
			t.Errorf("staging %s: %d robots noindex meta tags; want 1", name, len(noindex))
		}
		for _, l := range find(doc, tag("link")) {
			if attr(l, "rel") == "canonical" && !strings.HasPrefix(attr(l, "href"), "https://staging.example.org/") {
				t.Errorf("staging %s: canonical %s; want the staging base_url", name, attr(l, "href"))
			}
		}
	}
	if pages < 5 {
		t.Errorf("staging holds %d pages", pages)
	}
	prod, err := os.ReadFile(filepath.Join(root, "site", "en", "alpha", "index.html"))
	if err != nil || bytes.Contains(prod, []byte("noindex")) {
		t.Errorf("production page: %v, noindex %v; want a page without noindex", err, bytes.Contains(prod, []byte("noindex")))
	}
	if robots, _ := os.ReadFile(filepath.Join(root, "site", "robots.txt")); !bytes.Contains(robots, []byte("Allow: /")) {
		t.Errorf("production robots.txt = %q", robots)
	}
}

// TestDeployErrors: what goes wrong before anything is uploaded is one
// line and exit status 1, and the bucket is left as it was.
func TestDeployErrors(t *testing.T) {
	g, dir := deploySite(t, testSite(t))
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T) []string // the deploy's arguments
		want  string
	}{
		{"bad credentials", func(t *testing.T) []string {
			versitygw.UseCredentials(t, versitygw.AccessKey, "not-the-secret")
			return nil
		}, "refused the credentials (SignatureDoesNotMatch): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE"},
		{"unknown key", func(t *testing.T) []string {
			versitygw.UseCredentials(t, "nobody", versitygw.SecretKey)
			return nil
		}, "refused the credentials ("},
		{"missing bucket", func(t *testing.T) []string {
			writeSite(t, dir, map[string][]byte{"content/site.toml": append(slices.Clip(testSite(t)["content/site.toml"]), deployTargets(g, "absent")...)})
			t.Cleanup(func() {
				writeSite(t, dir, map[string][]byte{"content/site.toml": append(slices.Clip(testSite(t)["content/site.toml"]), deployTargets(g, "news")...)})
			})
			return nil
		}, `bucket "absent" does not exist at ` + g.Endpoint()},
		{"build fails", func(t *testing.T) []string {
			writeSite(t, dir, map[string][]byte{"content/beta/en.md": []byte("---\ntitle: [broken\n---\n")})
			t.Cleanup(func() { os.Remove(filepath.Join(dir, "content", "beta", "en.md")) })
			return nil
		}, "the build failed; nothing uploaded to s3://news/site/"},
		{"stopped server", func(t *testing.T) []string {
			g.Stop()
			t.Cleanup(g.Restart)
			return nil
		}, "s3://news/site/: cannot reach " + g.Endpoint() + " after 4 attempts: connection refused"},
		{"unknown target", func(t *testing.T) []string { return []string{"--target", "prod"} },
			`deploy: no target "prod" in content/site.toml (staging, test)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := stored(t, g, "news", "")
			args := append([]string{"deploy", "-s", dir, "--target", "test"}, tc.setup(t)...)
			code, stdout, stderr := dateline(t, args...)
			wantCode := 1
			if tc.name == "unknown target" {
				wantCode = 2
			}
			if code != wantCode || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, wantCode, tc.want)
			}
			if tc.name != "build fails" && strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr has %d lines; want one:\n%s", strings.Count(stderr, "\n"), stderr)
			}
			if strings.Contains(stdout, "deployed") {
				t.Errorf("stdout = %q", stdout)
			}
			if tc.name != "stopped server" {
				if w := written(before, stored(t, g, "news", "")); len(w) > 0 {
					t.Errorf("the bucket changed: %q", w)
				}
			}
		})
	}
}

// TestDeployReaderSeesWholePages replaces every page and photo of a site
// while a reader fetches pages and everything they name, in a loop: no
// page may name an object that is not there (unless the page itself was
// replaced in between, as a browser holding an old page would see).
func TestDeployReaderSeesWholePages(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two generated sites")
	}
	const reports = 6
	g, dir := deploySite(t, corpus.Generate(reports, 1))
	mustDeploy(t, "-s", dir, "--target", "test")
	// Every text and photo different, the first report gone, one more.
	next := corpus.Generate(reports+1, 2)
	delete(next, "content/site.toml")
	for name := range next {
		if strings.HasPrefix(name, "content/"+corpus.Slug(1)+"/") {
			delete(next, name)
		}
	}
	if err := os.RemoveAll(filepath.Join(dir, "content", corpus.Slug(1))); err != nil {
		t.Fatal(err)
	}
	writeSite(t, dir, next)

	client := g.Client()
	ctx, stop := context.WithCancel(context.Background())
	get := func(key string) ([]byte, bool) {
		obj, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("news"), Key: aws.String("site/" + key)})
		if err != nil {
			var nk *types.NoSuchKey
			if !errors.As(err, &nk) && ctx.Err() == nil {
				t.Errorf("GET %s: %v", key, err)
			}
			return nil, false
		}
		defer obj.Body.Close()
		data, err := io.ReadAll(obj.Body)
		return data, err == nil
	}
	var pages []string
	for name := range published(t, filepath.Join(dir, "public")) {
		if strings.HasSuffix(name, ".html") {
			pages = append(pages, name)
		}
	}
	var (
		wg               sync.WaitGroup
		checks, replaced atomic.Int64
	)
	for range 2 {
		wg.Go(func() {
			for ctx.Err() == nil {
				for _, page := range pages {
					body, ok := get(page)
					if !ok {
						continue
					}
					for _, ref := range references(t, body) {
						if _, ok := get(ref); ok || ctx.Err() != nil {
							checks.Add(1)
							continue
						}
						if again, ok := get(page); !ok || !bytes.Equal(again, body) {
							replaced.Add(1)
							continue
						}
						t.Errorf("%s names %s, which is not in the bucket", page, ref)
					}
				}
			}
		})
	}
	time.Sleep(200 * time.Millisecond)
	before := stored(t, g, "news", "site")
	mustDeploy(t, "-s", dir, "--target", "test")
	time.Sleep(200 * time.Millisecond)
	stop()
	wg.Wait()
	t.Logf("%d references checked, %d pages replaced while checked", checks.Load(), replaced.Load())

	// The same, whatever the reader's luck: every page the deploy wrote
	// names only objects that were there before it or were written before
	// it (the backend's files keep when each was written). Two new pages
	// may name each other: no page a reader can reach names either until
	// the changed pages (the listings) follow them.
	after := stored(t, g, "news", "site")
	site := published(t, filepath.Join(dir, "public"))
	for _, page := range written(before, after) {
		if !strings.HasSuffix(page, ".html") {
			continue
		}
		_, pageOld := before[page]
		for _, ref := range references(t, site[page]) {
			if _, old := before[ref]; old || ref == page || !pageOld && strings.HasSuffix(ref, ".html") {
				continue
			}
			if mt, ok := after[ref]; !ok {
				t.Errorf("%s names %s, which the deploy did not upload", page, ref)
			} else if mt.After(after[page]) {
				t.Errorf("%s was uploaded before %s, which it names", page, ref)
			}
		}
	}
}

// references returns the keys of the objects a page names: stylesheets,
// scripts, images and their srcsets, links to other pages of the site.
func references(t *testing.T, page []byte) []string {
	var refs []string
	add := func(u string) {
		if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
			return
		}
		u, _, _ = strings.Cut(u, "#")
		u, _, _ = strings.Cut(u, "?")
		if strings.HasSuffix(u, "/") {
			u += "index.html"
		}
		refs = append(refs, strings.TrimPrefix(u, "/"))
	}
	for _, n := range find(parseHTML(t, page), func(n *html.Node) bool { return n.Type == html.ElementNode }) {
		switch n.Data {
		case "link", "a":
			add(attr(n, "href"))
		case "script", "img", "source":
			add(attr(n, "src"))
			for _, c := range strings.Split(attr(n, "srcset"), ",") {
				if f := strings.Fields(c); len(f) > 0 {
					add(f[0])
				}
			}
		}
	}
	return refs
}

// TestDeployNewReport goes from `dateline new` to a live page with one
// command: the report's pages, its photo and the front pages that list it
// are in the bucket.
func TestDeployNewReport(t *testing.T) {
	g, dir := deploySite(t, testSite(t))
	mustDeploy(t, "-s", dir, "--target", "test")
	if code, stdout, stderr := dateline(t, "new", "-s", dir, "river"); code != 0 {
		t.Fatalf("dateline new: exit %d\n%s%s", code, stdout, stderr)
	}
	// The reporter writes the report over the scaffold (whose placeholder
	// text and photo may not be published) and the editor publishes it.
	editions := map[string]string{
		"zh": "---\ntitle: 清溪河边的新堤\ndate: 2025-06-12\nauthors:\n  - name: 李明\n    role: 文\n---\n\n导语：新堤今天完工。\n\n## 第一站 桥头\n\n桥头的老堤换了新石。\n\n## 第二站 闸口\n\n闸口加高了半米。\n",
		"en": "---\ntitle: A new dike on the Qingxi\ndate: 2025-06-12\nauthors:\n  - name: Li Ming\n    role: Text\n---\n\nThe new dike was finished today.\n\n## First stop: the bridgehead\n\nThe old dike at the bridgehead has new stones.\n\n## Second stop: the sluice\n\nThe sluice was raised by half a metre.\n",
	}
	for lang, text := range editions {
		if err := os.WriteFile(filepath.Join(dir, "content", "river", lang+".md"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stdout, _ := mustDeploy(t, "-s", dir, "--target", "test")
	t.Log(stdout)
	client := g.Client()
	for _, key := range []string{"site/en/river/index.html", "site/zh/river/index.html"} {
		obj, err := client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("news"), Key: aws.String(key)})
		if err != nil {
			t.Fatalf("GET %s: %v", key, err)
		}
		page, _ := io.ReadAll(obj.Body)
		obj.Body.Close()
		for _, ref := range references(t, page) {
			if _, err := client.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("news"), Key: aws.String("site/" + ref)}); err != nil {
				t.Errorf("%s names %s: %v", key, ref, err)
			}
		}
	}
	front, err := os.ReadFile(filepath.Join(g.Root(), "news", "site", "en", "index.html"))
	if err != nil || !bytes.Contains(front, []byte(`href="/en/river/"`)) {
		t.Errorf("the live English front page does not link the new report (%v)", err)
	}
}
