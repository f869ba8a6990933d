package preview

import (
	"strings"
	"sync"
	"testing"
)

// lockedLog is a Log the test reads while the server writes it.
type lockedLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLogShowsWarningsOnce checks that a rebuild does not print again the
// warnings the log showed already (serve printed every site-wide warning on
// every save), while a new warning is printed.
func TestLogShowsWarningsOnce(t *testing.T) {
	files := baseSite()
	files["content/beta/zh.md"] = "---\ntitle: 夜市\ntitel: 拼错\ndate: 2025-06-12\n---\n\n夜市重新开张。BETA-ZH-1\n"
	log := &lockedLog{}
	h := start(t, newSite(t, files), Options{Log: log})
	const old = `content/beta/zh.md:3: warning: unknown front matter field "titel"`
	if n := strings.Count(log.String(), old); n != 1 {
		t.Fatalf("first build: the warning printed %d times; want 1:\n%s", n, log)
	}
	writeFile(t, h.dir, "content/alpha/zh.md", "---\ntitle: 余杭考察记\nsubtitel: 又错\ndate: 2025-06-12\n---\n\nALPHA-ZH-2\n")
	h.waitFor("the rebuild's log", func() bool { return strings.Contains(log.String(), `"subtitel"`) })
	got := log.String()
	if n := strings.Count(got, old); n != 1 {
		t.Errorf("after a rebuild the old warning printed %d times; want 1:\n%s", n, got)
	}
	if !strings.Contains(got, "(0 errors, 2 warnings, 1 as before)") {
		t.Errorf("the rebuild's line does not count the warning not repeated:\n%s", got)
	}
	// A body edit: the same warnings, none printed again, both counted.
	writeFile(t, h.dir, "content/alpha/zh.md", "---\ntitle: 余杭考察记\nsubtitel: 又错\ndate: 2025-06-12\n---\n\nALPHA-ZH-3\n")
	h.waitFor("the third build's log", func() bool { return strings.Contains(log.String(), "(0 errors, 2 warnings, 2 as before)") })
	got = log.String()
	if n, m := strings.Count(got, old), strings.Count(got, `"subtitel"`); n != 1 || m != 1 {
		t.Errorf("after a rebuild with the same warnings they printed %d and %d times; want 1 each:\n%s", n, m, got)
	}
}
