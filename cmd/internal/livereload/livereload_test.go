package livereload

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

const patience = 5 * time.Second

// An event is one SSE frame as a browser would dispatch it; comments are
// events named ":".
type event struct {
	name, data string
}

// stream is a test client reading one event stream.
type stream struct {
	t      *testing.T
	resp   *http.Response
	events chan event
	cancel context.CancelFunc
}

// connect opens the stream at url and checks its headers.
func connect(t *testing.T, url string) *stream {
	t.Helper()
	s, err := dial(t, url)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// dial is connect for goroutines other than the test's: it returns errors.
func dial(t *testing.T, url string) (*stream, error) {
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		cancel()
		resp.Body.Close()
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Errorf("Content-Type = %q; want text/event-stream", ct)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("Cache-Control = %q; want no-cache", cc)
	}
	s := &stream{t: t, resp: resp, events: make(chan event, 64), cancel: cancel}
	go s.read()
	t.Cleanup(s.close)
	return s, nil
}

// read parses SSE frames (the subset the hub writes: event, data, retry,
// comments) until the body ends, then closes events.
func (s *stream) read() {
	defer close(s.events)
	sc := bufio.NewScanner(s.resp.Body)
	var ev event
	var data []string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.name != "" || data != nil {
				if ev.name == "" {
					ev.name = "message"
				}
				ev.data = strings.Join(data, "\n")
				s.events <- ev
			}
			ev, data = event{}, nil
		case strings.HasPrefix(line, ":"):
			s.events <- event{name: ":", data: strings.TrimSpace(line[1:])}
		default:
			field, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch field {
			case "event":
				ev.name = value
			case "data":
				data = append(data, value)
			}
		}
	}
}

func (s *stream) close() {
	s.cancel()
	s.resp.Body.Close()
}

// next returns the next event that is not a comment.
func (s *stream) next() event {
	s.t.Helper()
	ev, err := s.recv(false)
	if err != nil {
		s.t.Fatal(err)
	}
	return ev
}

// comment returns the next comment.
func (s *stream) comment() string {
	s.t.Helper()
	ev, err := s.recv(true)
	if err != nil {
		s.t.Fatal(err)
	}
	return ev.data
}

// recv returns the next comment or the next event.
func (s *stream) recv(comment bool) (event, error) {
	timeout := time.After(patience)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				return event{}, errors.New("stream ended")
			}
			if (ev.name == ":") == comment {
				return ev, nil
			}
		case <-timeout:
			return event{}, errors.New("nothing arrived")
		}
	}
}

// ended waits for the stream to end.
func (s *stream) ended() {
	s.t.Helper()
	timeout := time.After(patience)
	for {
		select {
		case _, ok := <-s.events:
			if !ok {
				return
			}
		case <-timeout:
			s.t.Fatal("stream did not end")
		}
	}
}

// clients returns how many streams the hub holds.
func (h *Hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// waitClients waits until the hub holds n streams.
func waitClients(t *testing.T, h *Hub, n int) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for h.count() != n {
		if time.Now().After(deadline) {
			t.Fatalf("hub holds %d streams; want %d", h.count(), n)
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
}

func serve(t *testing.T, h *Hub) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		h.Close()
		srv.Close()
	})
	return srv
}

func TestReload(t *testing.T) {
	h := New()
	srv := serve(t, h)
	s := connect(t, srv.URL)
	if c := s.comment(); c != "connected" {
		t.Errorf("first frame = comment %q; want \"connected\" (the hub has no version yet)", c)
	}
	h.Reload("2")
	if ev := s.next(); ev != (event{"reload", "2"}) {
		t.Errorf("after Reload(2): %+v; want reload 2", ev)
	}
	h.Reload("3")
	if ev := s.next(); ev != (event{"reload", "3"}) {
		t.Errorf("after Reload(3): %+v; want reload 3", ev)
	}
}

func TestVersionOnConnect(t *testing.T) {
	h := New()
	srv := serve(t, h)
	h.Reload("7")
	s := connect(t, srv.URL)
	if ev := s.next(); ev != (event{"version", "7"}) {
		t.Errorf("on connect: %+v; want version 7", ev)
	}
	h.CSS("8", []string{"/assets/css/style.0123456789.css"})
	s.next()
	// A page that reconnects hears the version of the last change.
	s2 := connect(t, srv.URL)
	if ev := s2.next(); ev != (event{"version", "8"}) {
		t.Errorf("on connect after CSS: %+v; want version 8", ev)
	}
	// Versions stay on one line.
	h.Reload("9\nevent: evil")
	if ev := s.next(); ev != (event{"reload", "9 event: evil"}) {
		t.Errorf("multi-line version: %+v", ev)
	}
}

func TestCSS(t *testing.T) {
	h := New()
	srv := serve(t, h)
	s := connect(t, srv.URL)
	paths := []string{"/assets/css/print.aaaaaaaaaa.css", "/assets/css/style.9c8d7e1f2a.css"}
	h.CSS("4", paths)
	ev := s.next()
	if ev.name != "css" {
		t.Fatalf("after CSS: %+v; want a css event", ev)
	}
	var m struct {
		Version string   `json:"version"`
		Paths   []string `json:"paths"`
	}
	if err := json.Unmarshal([]byte(ev.data), &m); err != nil {
		t.Fatalf("css data %q: %v", ev.data, err)
	}
	if m.Version != "4" || !slices.Equal(m.Paths, paths) {
		t.Errorf("css data = %+v; want version 4, paths %q", m, paths)
	}
	h.CSS("5", nil)
	if ev := s.next(); ev.data != `{"version":"5","paths":[]}` {
		t.Errorf("css with no paths: %q", ev.data)
	}
}

func TestMessageMerge(t *testing.T) {
	css := func(v string, p ...string) message { return message{version: v, css: p} }
	reload := func(v string) message { return message{version: v, reload: true} }
	tests := []struct {
		name  string
		steps []message
		want  string
	}{
		{"reload", []message{reload("1")}, "event: reload\ndata: 1\n\n"},
		{"reloads collapse to the last version", []message{reload("1"), reload("2")}, "event: reload\ndata: 2\n\n"},
		{"reload wins over css", []message{css("1", "/a.css"), reload("2"), css("3", "/b.css")}, "event: reload\ndata: 3\n\n"},
		{"css swaps add up in order", []message{css("1", "/a.1111111111.css"), css("2", "/a.2222222222.css")},
			"event: css\ndata: {\"version\":\"2\",\"paths\":[\"/a.1111111111.css\",\"/a.2222222222.css\"]}\n\n"},
	}
	for _, tt := range tests {
		var pending *message
		for _, m := range tt.steps {
			pending = m.after(pending)
		}
		if got := pending.frames(); got != tt.want {
			t.Errorf("%s: frames = %q; want %q", tt.name, got, tt.want)
		}
	}
}

func TestHeartbeat(t *testing.T) {
	h := New()
	h.heartbeat = 10 * time.Millisecond
	srv := serve(t, h)
	s := connect(t, srv.URL)
	s.comment() // connected
	if c := s.comment(); c != "ping" {
		t.Errorf("heartbeat comment = %q; want ping", c)
	}
}

func TestWriteDeadlineCleared(t *testing.T) {
	// A server with a short WriteTimeout must not cut the stream.
	h := New()
	h.heartbeat = 5 * time.Millisecond
	srv := httptest.NewUnstartedServer(h)
	srv.Config.WriteTimeout = 50 * time.Millisecond
	srv.Start()
	t.Cleanup(func() { h.Close(); srv.Close() })
	s := connect(t, srv.URL)
	start := time.Now()
	for time.Since(start) < 4*srv.Config.WriteTimeout {
		s.comment() // pings keep coming past the write timeout
	}
	h.Reload("1")
	if ev := s.next(); ev != (event{"reload", "1"}) {
		t.Errorf("after the write timeout: %+v; want reload 1", ev)
	}
}

func TestClose(t *testing.T) {
	h := New()
	srv := serve(t, h)
	var streams []*stream
	for range 3 {
		streams = append(streams, connect(t, srv.URL))
	}
	waitClients(t, h, 3)
	h.Close()
	for _, s := range streams {
		s.ended()
	}
	waitClients(t, h, 0)
	h.Close() // twice is fine
	h.Reload("9")
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("GET after Close: %s; want 503", resp.Status)
	}
}

func TestRequestCancel(t *testing.T) {
	h := New()
	srv := serve(t, h)
	before := runtime.NumGoroutine()
	for range 5 {
		s := connect(t, srv.URL)
		s.comment()
		s.close()
	}
	waitClients(t, h, 0)
	// The handlers have returned: the connections' goroutines go too.
	http.DefaultClient.CloseIdleConnections()
	srv.CloseClientConnections()
	deadline := time.Now().Add(patience)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines; %d before", runtime.NumGoroutine(), before)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestHandlerEndsOnContext(t *testing.T) {
	// Without a network: the handler returns when the request's context ends.
	h := New()
	defer h.Close()
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest(http.MethodGet, "/_dateline/events", nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		h.ServeHTTP(rec, req)
		close(done)
	}()
	waitClients(t, h, 1)
	cancel()
	select {
	case <-done:
	case <-time.After(patience):
		t.Fatal("handler still running after its request's context ended")
	}
	if h.count() != 0 {
		t.Errorf("hub still holds %d streams", h.count())
	}
	if !strings.HasPrefix(rec.Body.String(), "retry: 1000\n") {
		t.Errorf("stream starts %q; want retry: 1000", rec.Body.String())
	}
}

func TestRequests(t *testing.T) {
	tests := []struct {
		name   string
		method string
		origin string
		want   int
	}{
		{"same-origin GET has no Origin", "GET", "", 200},
		{"same origin", "GET", "http://HOST", 200},
		{"other site", "GET", "http://evil.example", 403},
		{"other port", "GET", "http://127.0.0.1:1", 403},
		{"opaque origin", "GET", "null", 403},
		{"POST", "POST", "", 405},
		{"HEAD", "HEAD", "", 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := New()
			srv := serve(t, h)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, tt.method, srv.URL, nil)
			if tt.origin != "" {
				req.Header.Set("Origin", strings.ReplaceAll(tt.origin, "HOST", req.URL.Host))
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("%s with Origin %q: %s; want %d", tt.method, tt.origin, resp.Status, tt.want)
			}
			if resp.Header.Get("Access-Control-Allow-Origin") != "" {
				t.Error("the hub sent a CORS header")
			}
		})
	}
}

func TestConcurrent(t *testing.T) {
	h := New()
	srv := serve(t, h)
	const n = 8
	var wg sync.WaitGroup
	// Streams come and go while the hub broadcasts.
	for i := range n {
		wg.Go(func() {
			for range 5 {
				s, err := dial(t, srv.URL)
				if err != nil {
					t.Error(err)
					return
				}
				if i%2 == 0 {
					// The first event: a version or an update.
					if _, err := s.recv(false); err != nil {
						t.Error(err)
					}
				}
				s.close()
			}
		})
	}
	for i := range 200 {
		if i%3 == 0 {
			h.CSS(fmt.Sprint(i), []string{"/a.0123456789.css"})
		} else {
			h.Reload(fmt.Sprint(i))
		}
	}
	wg.Wait()
	waitClients(t, h, 0)

	// Streams that stay hear about the last change, however merged.
	var streams []*stream
	for range n {
		streams = append(streams, connect(t, srv.URL))
	}
	waitClients(t, h, n)
	var bg sync.WaitGroup
	for i := range 100 {
		bg.Go(func() { h.Reload(fmt.Sprint(i)) })
	}
	bg.Wait()
	h.Reload("final")
	for _, s := range streams {
		for {
			ev := s.next()
			if ev.data == "final" {
				if ev.name != "reload" {
					t.Errorf("final event %+v; want reload", ev)
				}
				break
			}
		}
	}
}

func TestSameOrigin(t *testing.T) {
	tests := []struct {
		host, origin string
		want         bool
	}{
		{"localhost:1313", "", true},
		{"localhost:1313", "http://localhost:1313", true},
		{"localhost:1313", "https://LOCALHOST:1313", true},
		{"localhost:1313", "http://localhost:1314", false},
		{"localhost:1313", "http://evil.example", false},
		{"localhost:1313", "null", false},
		{"localhost:1313", "file://localhost:1313", false},
		{"localhost:1313", "://", false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = tt.host
		if tt.origin != "" {
			r.Header.Set("Origin", tt.origin)
		}
		if got := sameOrigin(r); got != tt.want {
			t.Errorf("sameOrigin(Host %q, Origin %q) = %v; want %v", tt.host, tt.origin, got, tt.want)
		}
	}
}

// TestMaxStreams: the hub refuses a stream beyond MaxStreams with 503 and
// takes one again when a stream ends.
func TestMaxStreams(t *testing.T) {
	h := New()
	srv := serve(t, h)
	var streams []*stream
	for range MaxStreams {
		streams = append(streams, connect(t, srv.URL))
	}
	waitClients(t, h, MaxStreams)
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("stream %d: %s; want 503", MaxStreams+1, resp.Status)
	}
	streams[0].close()
	waitClients(t, h, MaxStreams-1)
	s := connect(t, srv.URL)
	h.Reload("after")
	if ev := s.next(); ev != (event{"reload", "after"}) {
		t.Errorf("stream after one ended: %+v; want reload after", ev)
	}
}
