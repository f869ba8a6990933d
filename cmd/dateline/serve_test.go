package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// servePatience bounds every wait of the serve tests.
const servePatience = 15 * time.Second

// syncBuffer is an io.Writer safe to read while the command writes to it.
type syncBuffer struct {
	mu    sync.Mutex
	b     strings.Builder
	wrote chan struct{} // signalled (without blocking) on every write
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{wrote: make(chan struct{}, 1)} }

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case s.wrote <- struct{}{}:
	default:
	}
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitMatch waits until the output matches re and returns the match.
func (s *syncBuffer) waitMatch(t *testing.T, re *regexp.Regexp, done <-chan int) []string {
	t.Helper()
	deadline := time.After(servePatience)
	for {
		if m := re.FindStringSubmatch(s.String()); m != nil {
			return m
		}
		select {
		case <-s.wrote:
		case code := <-done:
			t.Fatalf("dateline serve exited with %d before printing %s; output:\n%s", code, re, s.String())
		case <-deadline:
			t.Fatalf("dateline serve did not print %s within %v; output:\n%s", re, servePatience, s.String())
		}
	}
}

var serveURL = regexp.MustCompile(`at (http://([^/\s]+)/) \(Ctrl-C to stop\)`)

// startServe runs `dateline serve` with args and returns the URL it
// prints, its output, a func that stops it (as Ctrl-C does) and returns its
// exit status.
func startServe(t *testing.T, args ...string) (url string, stdout, stderr *syncBuffer, stop func() int) {
	t.Helper()
	stdout, stderr = newSyncBuffer(), newSyncBuffer()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- run(ctx, append([]string{"serve"}, args...), stdout, stderr) }()
	var once sync.Once
	code := -1
	stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case code = <-done:
			case <-time.After(servePatience):
				t.Errorf("dateline serve did not stop within %v of Ctrl-C", servePatience)
			}
		})
		return code
	}
	t.Cleanup(func() { stop() })
	m := stdout.waitMatch(t, serveURL, done)
	return m[1], stdout, stderr, stop
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	c := &http.Client{Timeout: servePatience}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// TestServe runs the command on a site: it prints a loopback URL, serves
// the site from memory with the live-reload script, picks up an edit and
// tells the page, and stops cleanly on Ctrl-C.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	writeSite(t, dir, testSite(t))
	url, stdout, stderr, stop := startServe(t, "-s", dir, "--addr", "127.0.0.1:0")
	host := serveURL.FindStringSubmatch(stdout.String())[2]
	if h, _, err := net.SplitHostPort(host); err != nil || !net.ParseIP(h).IsLoopback() {
		t.Errorf("serve prints %s; want a loopback address", url)
	}
	if strings.Contains(stderr.String(), "reachable from other machines") {
		t.Errorf("a loopback address gets the exposure warning: %s", stderr.String())
	}

	code, body := httpGet(t, url+"zh/alpha/")
	if code != 200 || !strings.Contains(body, "巧用他山之石") || !strings.Contains(body, "/_dateline/events") {
		t.Fatalf("GET /zh/alpha/ = %d; want the report with the live-reload script:\n%.500s", code, body)
	}
	// Nothing is written to disk: the preview builds into memory.
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Errorf("serve wrote %s (%v); want nothing on disk", filepath.Join(dir, "public"), err)
	}
	// Drafts are previewed (with their banner); a build never has them.
	if code, body := httpGet(t, url+"zh/secret/"); code != 200 || !strings.Contains(body, "preview-banner") {
		t.Errorf("GET /zh/secret/ (a draft) = %d; want 200 with the draft banner", code)
	}

	// An edit: the page is told to reload, and the new text is served. (The
	// front page comes once the first build is served: the report pages
	// above may have come before, and the first build's own reload with it.)
	httpGet(t, url)
	req, _ := http.NewRequest("GET", url+"_dateline/events", nil)
	ctx, cancel := context.WithTimeout(context.Background(), servePatience)
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	events := bufio.NewScanner(resp.Body)
	nextEvent := func(name string) bool {
		for events.Scan() {
			if events.Text() == "event: "+name {
				return true
			}
		}
		return false
	}
	if !nextEvent("version") {
		t.Fatalf("no version event on connect")
	}
	zh := filepath.Join(dir, "content", "alpha", "zh.md")
	data, err := os.ReadFile(zh)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(zh, []byte(strings.Replace(string(data), "导语第一段", "导语改写SERVE-EDIT", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if !nextEvent("reload") {
		t.Fatalf("no reload event after an edit (%v); stderr:\n%s", events.Err(), stderr.String())
	}
	if code, body := httpGet(t, url+"zh/alpha/"); code != 200 || !strings.Contains(body, "SERVE-EDIT") {
		t.Errorf("after the reload event GET /zh/alpha/ = %d without the edit", code)
	}

	if code := stop(); code != 0 {
		t.Errorf("dateline serve exited with %d on Ctrl-C; want 0; stderr:\n%s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "preview stopped") {
		t.Errorf("no 'preview stopped' line:\n%s", stdout.String())
	}
	if _, err := net.DialTimeout("tcp", host, time.Second); err == nil {
		t.Errorf("%s still accepts connections after serve stopped", host)
	}
}

// TestServeKeepsRunningOnErrors starts on a broken site: serve does not
// exit, it prints the problem and shows it over the pages.
func TestServeKeepsRunningOnErrors(t *testing.T) {
	dir := t.TempDir()
	files := testSite(t)
	files["content/beta/zh.md"] = []byte("---\ntitle: 夜市\ndate: 2025-02-30\n---\n\n正文\n")
	writeSite(t, dir, files)
	url, _, stderr, stop := startServe(t, "-s", dir, "--addr", "127.0.0.1:0")
	// A report page may come before the first build ends, when no problem
	// is known yet; the front page waits for it.
	httpGet(t, url)
	code, body := httpGet(t, url+"zh/alpha/")
	if code != 200 || !strings.Contains(body, `id="dateline-overlay"`) || !strings.Contains(body, "content/beta/zh.md:3: ") {
		t.Errorf("GET /zh/alpha/ = %d; want the page under an overlay naming content/beta/zh.md:3:\n%.800s", code, body)
	}
	if !strings.Contains(stderr.String(), "content/beta/zh.md:3: ") {
		t.Errorf("the problem is not in the log:\n%s", stderr.String())
	}
	if code := stop(); code != 0 {
		t.Errorf("dateline serve exited with %d; want 0 (content errors do not end a preview)", code)
	}
}

func TestServeUsage(t *testing.T) {
	dir := t.TempDir()
	writeSite(t, dir, testSite(t))
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tests := []struct {
		args []string
		code int
		want string // in stderr
	}{
		{[]string{"serve", "-s", t.TempDir(), "--addr", "127.0.0.1:0"}, 2, "no content/ folder"},
		{[]string{"serve", "-s", dir, "--addr", "127.0.0.1:notaport"}, 2, "serve:"},
		{[]string{"serve", "-s", dir, "--addr", busy.Addr().String()}, 2, "address already in use"},
		{[]string{"serve", "-s", dir, "extra"}, 2, "unexpected argument"},
		{[]string{"serve", "--frobnicate"}, 2, "frobnicate"},
		{[]string{"serve", "-h"}, 0, "127.0.0.1:1313"}, // loopback unless told otherwise
	}
	for _, tt := range tests {
		code, _, stderr := dateline(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("dateline %s = %d, stderr %q; want %d and %q", strings.Join(tt.args, " "), code, stderr, tt.code, tt.want)
		}
	}
}

// openFiles returns how many files the process holds open (Linux).
func openFiles(t *testing.T) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(fds)
}

// TestServeManyIdleConnections opens 2,000 idle connections to the preview,
// half of them kept alive after a request and half never used: a new
// request is still answered within a second, and the server holds a
// bounded number of them (it closes the idle ones first at its cap), so
// the process's open files grow by the client's 2,000 and not by 2,000
// more.
func TestServeManyIdleConnections(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("counts open files in /proc/self/fd")
	}
	const n, serverCap, slack = 2000, 256, 64
	if limits, err := os.ReadFile("/proc/self/limits"); err == nil {
		for line := range strings.Lines(string(limits)) {
			rest, ok := strings.CutPrefix(line, "Max open files")
			if f := strings.Fields(rest); ok && len(f) > 0 {
				if soft, err := strconv.Atoi(f[0]); err == nil && soft < 2*n+serverCap+slack {
					t.Skipf("open file limit %d: this test needs %d", soft, 2*n+serverCap+slack)
				}
			}
		}
	}
	dir := t.TempDir()
	writeSite(t, dir, testSite(t))
	url, _, _, _ := startServe(t, "-s", dir, "--addr", "127.0.0.1:0")
	if code, _ := httpGet(t, url+"zh/"); code != 200 { // the first build is served
		t.Fatalf("GET /zh/ = %d", code)
	}
	host := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")
	http.DefaultClient.CloseIdleConnections()
	before := openFiles(t)

	conns := make([]net.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := range n {
		c, err := net.DialTimeout("tcp", host, servePatience)
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		conns = append(conns, c)
		if i%2 == 1 {
			continue // never used
		}
		c.SetDeadline(time.Now().Add(servePatience))
		io.WriteString(c, "GET /robots.txt HTTP/1.1\r\nHost: "+host+"\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("request on connection %d: %v", i, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		c.SetDeadline(time.Time{})
	}

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: servePatience}
	start := time.Now()
	resp, err := client.Get(url + "zh/alpha/")
	if err != nil {
		t.Fatalf("a request after %d idle connections: %v", n, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if took := time.Since(start); resp.StatusCode != 200 || took > time.Second {
		t.Errorf("a request after %d idle connections: %s in %v; want 200 within 1s", n, resp.Status, took)
	}
	// The server closes connections asynchronously: give it a moment.
	var grew int
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		grew = openFiles(t) - before
		if grew <= n+serverCap+slack || time.Now().After(deadline) {
			break
		}
	}
	if grew > n+serverCap+slack {
		t.Errorf("open files grew by %d with %d client connections; want at most %d (the client's, the server's cap of %d, and %d more)",
			grew, n, n+serverCap+slack, serverCap, slack)
	}
	t.Logf("open files grew by %d with %d idle client connections", grew, n)
}
