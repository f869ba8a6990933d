package browsertest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser starts headless Chromium (Chromium(t): skipped without one, a
// failure under CI=true) with chromedp's default options and any others a
// test needs, and returns the context of its first tab, for chromedp.Run.
// The browser is closed, and the context cancelled, when t ends or after
// timeout, whichever comes first.
func Browser(t testing.TB, timeout time.Duration, opts ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	chrome := Chromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	opts = append(append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome), chromedp.NoSandbox, chromedp.DisableGPU), opts...)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		cancel()
	})
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return bctx
}

// Serve serves h on loopback until t ends and returns its base URL
// ("http://127.0.0.1:PORT").
func Serve(t testing.TB, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// ServeDir serves the folder dir as a static host would, on loopback
// until t ends, and returns its base URL.
func ServeDir(t testing.TB, dir string) string {
	t.Helper()
	return Serve(t, http.FileServer(http.Dir(dir)))
}

// Dateline builds the dateline command into a temporary folder and
// returns its path: browser tests build sites with the real binary.
func Dateline(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dateline")
	if out, err := exec.Command("go", "build", "-o", bin, "dateline/cmd/dateline").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// Sample copies the sample site of the repository at root (its content/
// and themes/ folders) into a temporary folder, for a test to change, and
// returns that folder.
func Sample(t testing.TB, root string) string {
	t.Helper()
	site := filepath.Join(t.TempDir(), "site")
	for _, dir := range []string{"content", "themes"} {
		if err := os.CopyFS(filepath.Join(site, dir), os.DirFS(filepath.Join(root, dir))); err != nil {
			t.Fatal(err)
		}
	}
	return site
}

// Build runs `bin build` on the site folder, with env added to the test's
// environment, into a temporary folder, and returns that folder. A build
// that fails fails t with the command's output.
func Build(t testing.TB, bin, site string, env ...string) string {
	t.Helper()
	public := filepath.Join(t.TempDir(), "public")
	cmd := exec.Command(bin, "build", "-s", site, "-o", public)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("dateline build: %v\n%s", err, out)
	}
	return public
}
