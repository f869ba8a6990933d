package preview

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"dateline/cmd/internal/livereload"
)

// limitServer serves "/" (a short page) and "/events" (a live-reload hub)
// on loopback with lim, as Run does.
func limitServer(t *testing.T, lim limits) (addr string, hub *livereload.Hub, cl *connLimit) {
	t.Helper()
	hub = livereload.New()
	mux := http.NewServeMux()
	mux.Handle("/events", hub)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv, limited := httpServer(mux, ln, lim)
	go srv.Serve(limited)
	t.Cleanup(func() {
		hub.Close()
		srv.Close()
	})
	return ln.Addr().String(), hub, limited.(*connLimit)
}

func (l *connLimit) held() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.conns)
}

// openStream subscribes to the hub and returns its body, read line by line.
func openStream(t *testing.T, addr string) *bufio.Reader {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+addr+"/events", nil)
	resp, err := (&http.Transport{}).RoundTrip(req) // a connection of its own
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("GET /events: %s", resp.Status)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return bufio.NewReader(resp.Body)
}

// heard waits for "data: version" on a stream.
func heard(t *testing.T, stream *bufio.Reader, version string) {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		for {
			line, err := stream.ReadString('\n')
			if err != nil {
				done <- err
				return
			}
			if strings.TrimSpace(line) == "data: "+version {
				done <- nil
				return
			}
		}
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("stream ended before %q: %v", version, err)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("stream did not hear %q", version)
	}
}

// idleConn opens a connection and, when request is set, sends one request
// on it and reads the answer, leaving it idle between requests.
func idleConn(t *testing.T, addr string, request bool) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if request {
		c.SetDeadline(time.Now().Add(5 * time.Second))
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: "+addr+"\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("a request on a new connection: %v", err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		c.SetDeadline(time.Time{})
	}
	return c
}

// TestConnLimit: at the cap, idle connections (between requests, or
// before any) are closed to take new ones, oldest first; event streams are
// kept; a normal request is answered at once.
func TestConnLimit(t *testing.T) {
	const cap = 8
	addr, hub, cl := limitServer(t, limits{conns: cap, idle: time.Minute})
	var streams []*bufio.Reader
	for range 3 {
		streams = append(streams, openStream(t, addr))
	}
	var idle []net.Conn
	for i := range 40 {
		idle = append(idle, idleConn(t, addr, i%2 == 0))
		if n := cl.held(); n > cap {
			t.Fatalf("after %d idle connections the server holds %d; cap %d", i+1, n, cap)
		}
	}
	start := time.Now()
	resp, err := (&http.Transport{}).RoundTrip(mustRequest(t, "http://"+addr+"/"))
	if err != nil {
		t.Fatalf("a request at the cap: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if took := time.Since(start); string(body) != "ok" || took > time.Second {
		t.Errorf("a request at the cap: %q in %v; want ok within 1s", body, took)
	}
	// The oldest idle connections were closed: reading one ends.
	idle[0].SetReadDeadline(time.Now().Add(5 * time.Second))
	var ne net.Error
	if _, err := idle[0].Read(make([]byte, 1)); err == nil || errors.As(err, &ne) && ne.Timeout() {
		t.Errorf("the oldest idle connection is still open (read: %v)", err)
	}
	hub.Reload("v2")
	for _, s := range streams {
		heard(t, s, "v2")
	}
}

// TestStreamOutlivesIdleTimeout: an event stream with nothing to say for
// longer than the idle timeout stays open, while an idle keep-alive
// connection is closed.
func TestStreamOutlivesIdleTimeout(t *testing.T) {
	addr, hub, _ := limitServer(t, limits{conns: 8, idle: 50 * time.Millisecond})
	stream := openStream(t, addr)
	c := idleConn(t, addr, true)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("idle keep-alive connection after the idle timeout: read %v; want EOF", err)
	}
	time.Sleep(300 * time.Millisecond)
	hub.Reload("later")
	heard(t, stream, "later")
}

func mustRequest(t *testing.T, url string) *http.Request {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
