package browsertest

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestServeDirInBrowser: a folder served by ServeDir is what the browser
// Browser starts reads, over loopback.
func TestServeDirInBrowser(t *testing.T) {
	dir := t.TempDir()
	page := "<!doctype html><title>served</title><p id=x>from the folder</p>"
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	base := ServeDir(t, dir)
	res, err := http.Get(base + "/index.html")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(body) != page {
		t.Fatalf("GET /index.html = %q; want %q", body, page)
	}
	if testing.Short() {
		t.Skip("starts a browser")
	}
	bctx := Browser(t, time.Minute)
	if err := chromedp.Do(bctx, chromedp.Navigate(base+"/")); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.title+": "+document.getElementById("x").textContent`))
	if err != nil || text != "served: from the folder" {
		t.Errorf("the page in the browser reads %q (%v); want %q", text, err, "served: from the folder")
	}
}
