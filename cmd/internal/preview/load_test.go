package preview

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"dateline/cmd/internal/site"
)

// memOut is an in-memory site.Output for the clean build.
type memOut struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (m *memOut) WriteFile(name string, data []byte) error {
	m.mu.Lock()
	m.files[name] = bytes.Clone(data)
	m.mu.Unlock()
	return nil
}

// TestLoadWhileEditing reads pages from several goroutines while files
// change (run it with -race): no answer is a server error, and once the
// last change has settled every served file equals a clean build of the
// same files, but for the live-reload script injected into pages.
func TestLoadWhileEditing(t *testing.T) {
	h := start(t, newSite(t, baseSite()), Options{})
	paths := []string{"/", "/zh/", "/en/", "/zh/alpha/", "/en/alpha/", "/zh/beta/", "/sitemap.xml", "/sitemap-lists.xml", "/sitemap-reports-1.xml", "/zh/feed.xml"}
	var (
		stop     = make(chan struct{})
		readers  sync.WaitGroup
		requests atomic.Int64
		failures atomic.Int64
	)
	for r := range 4 {
		readers.Go(func() {
			for i := 0; i < 3000; i++ { // bounded, and stopped when the edits settle
				select {
				case <-stop:
					return
				default:
				}
				resp, err := http.Get(h.url + paths[(r+i)%len(paths)])
				if err != nil {
					failures.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				requests.Add(1)
				if resp.StatusCode >= 500 {
					failures.Add(1)
				}
			}
		})
	}
	for i := 1; i <= 30; i++ {
		switch i % 5 {
		case 0:
			os.RemoveAll(h.dir + "/content/beta")
		case 1, 2:
			writeFile(t, h.dir, "content/beta/zh.md", zhReport(fmt.Sprintf("乙%d", i), fmt.Sprintf("正文 %d。", i)))
		default:
			writeFile(t, h.dir, "content/alpha/en.md", enReport(fmt.Sprintf("Alpha %d", i), fmt.Sprintf("LOAD-%d-END", i)))
			if i%2 == 0 { // let some rebuilds land while the readers read
				h.waitPage("/en/alpha/", 200, []string{fmt.Sprintf("LOAD-%d-END", i)})
			}
		}
	}
	h.waitPage("/en/alpha/", 200, []string{"LOAD-29-END"})
	h.waitPage("/zh/beta/", 404, nil)
	close(stop)
	readers.Wait()
	t.Logf("%d requests while editing", requests.Load())
	if n := failures.Load(); n > 0 {
		t.Errorf("%d requests failed or answered 5xx", n)
	}

	clean := &memOut{files: map[string][]byte{}}
	_, err := site.NewBuilder(site.Options{FS: os.DirFS(h.dir), Preview: true, BaseURL: h.url + "/"}).Build(context.Background(), clean)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range clean.files {
		code, got, err := fetchRaw(h.url + "/" + strings.TrimSuffix(name, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		if code != 200 {
			t.Errorf("GET /%s = %d; the clean build has it", name, code)
			continue
		}
		if i := bytes.LastIndex(want, []byte("</body>")); i >= 0 && strings.HasSuffix(name, ".html") {
			// The server injects the live-reload script before </body>.
			if !strings.HasPrefix(got, string(want[:i])) || !strings.HasSuffix(got, string(want[i:])) {
				t.Errorf("%s differs from a clean build", name)
			}
		} else if got != string(want) {
			t.Errorf("%s differs from a clean build", name)
		}
	}
}
