// Package livereload tells the pages open in a browser that the preview was
// rebuilt, over Server-Sent Events on one path: no websocket, no dependency,
// and the browser's EventSource reconnects by itself.
//
// A Hub is the event stream; the preview server mounts it on one path
// (preview.EventsPath) and injects Script into every page it serves, never
// into build output. After each rebuild the server calls Reload, or CSS when
// only stylesheets changed.
//
// # The stream
//
// Every frame is an SSE event ("event:" and "data:" lines, then a blank
// line); the data is one line:
//
//	retry: 1000                         once, on connect: reconnect after 1 s
//	event: version  data: V             on connect, when the hub has a version
//	event: reload   data: V             Reload(V): reload the page
//	event: css      data: {"version":"V","paths":["/assets/css/style.9c8d7e1f2a.css"]}
//	                                    CSS(V, paths): swap stylesheets in place
//	: ping                              a comment every 15 s, so proxies and
//	                                    idle timeouts keep the stream open
//
// Versions are opaque strings; the hub remembers the last one it was given.
// A page knows the version it was built at (Script's second argument) and
// reloads when the version it hears on connect differs: a tab that was
// asleep, or lost the server during a rebuild, catches up as soon as it
// reconnects. Messages a slow client has not taken yet are merged (a reload
// wins over a stylesheet swap), so no client can make Reload wait. A hub
// serves at most MaxStreams streams at once, so that a client opening
// streams without end cannot hold every connection the server allows.
//
// # Origins
//
// A browser lets a page on another site open an EventSource to the preview
// but not read it, since the hub never sends CORS headers. The hub refuses
// such requests all the same (403): it accepts a request with no Origin
// header or one whose host is the request's Host. The check on the Host
// header itself, which is what stops DNS rebinding (a foreign name resolving to 127.0.0.1 makes the
// request same-origin in the browser's eyes), belongs to the server, for
// every path it serves.
package livereload

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// heartbeat is how often an idle stream carries a comment.
const heartbeat = 15 * time.Second

// MaxStreams is how many streams a hub serves at once; one more is refused
// (503). A browser opens at most six connections to one HTTP/1.1 server, so
// only many browsers, or a client that is not one, come near it.
const MaxStreams = 64

// sameOrigin tells whether a request may subscribe: one without an Origin
// header (same-origin GET), or whose Origin's host is the request's Host.
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && strings.EqualFold(u.Host, r.Host)
}

// A Hub serves the event stream and broadcasts to every open page.
type Hub struct {
	heartbeat time.Duration // how often an idle stream carries a comment
	done      chan struct{} // closed by Close

	mu      sync.Mutex
	version string
	clients map[*client]struct{}
	closed  bool
}

// A client is one open stream.
type client struct {
	wake    chan struct{} // capacity 1: there is a pending message
	pending *message      // guarded by Hub.mu
}

// A message is what a client has yet to be told.
type message struct {
	version string
	reload  bool
	css     []string
}

// New returns a Hub with no version yet.
func New() *Hub {
	return &Hub{
		heartbeat: heartbeat,
		done:      make(chan struct{}),
		clients:   map[*client]struct{}{},
	}
}

// Reload records version and tells every page to reload. Call it once a
// rebuild has fully finished and its files are being served.
func (h *Hub) Reload(version string) {
	h.broadcast(message{version: version, reload: true})
}

// CSS records version and tells every page that only stylesheets changed:
// paths are the site paths of the current stylesheets under their new
// content-hashed names. A page replaces each <link rel=stylesheet> whose
// path differs from one of them only by the hash (/assets/style.3f2a1b.css
// → /assets/style.9c8d7e.css), keeping its scroll position.
func (h *Hub) CSS(version string, paths []string) {
	h.broadcast(message{version: version, css: append([]string(nil), paths...)})
}

func (h *Hub) broadcast(m message) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.version = m.version
	for c := range h.clients {
		c.pending = m.after(c.pending)
		select {
		case c.wake <- struct{}{}:
		default: // already woken
		}
	}
}

// after merges m into the message a client has not taken yet.
func (m message) after(old *message) *message {
	if old != nil {
		m.reload = m.reload || old.reload
		m.css = append(append([]string(nil), old.css...), m.css...)
	}
	if m.reload {
		m.css = nil
	}
	return &m
}

// Close ends every stream and refuses new ones; later broadcasts do
// nothing. It is safe to call more than once.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.done)
	}
}

// ServeHTTP streams events to one page until the request's context is done
// or the hub is closed.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !sameOrigin(r) {
		http.Error(w, "livereload: origin not allowed", http.StatusForbidden)
		return
	}
	c := &client{wake: make(chan struct{}, 1)}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		http.Error(w, "livereload: server shutting down", http.StatusServiceUnavailable)
		return
	}
	if len(h.clients) >= MaxStreams {
		h.mu.Unlock()
		http.Error(w, "livereload: too many streams", http.StatusServiceUnavailable)
		return
	}
	h.clients[c] = struct{}{}
	version := h.version // read with the registration: no broadcast falls between
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.clients, c)
		h.mu.Unlock()
	}()

	rc := http.NewResponseController(w)
	// The server's WriteTimeout would cut the stream (golang/go#16100);
	// ErrNotSupported just means there is no deadline to clear.
	_ = rc.SetWriteDeadline(time.Time{})
	hdr := w.Header()
	hdr.Set("Content-Type", "text/event-stream; charset=utf-8")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	var b strings.Builder
	b.WriteString("retry: 1000\n")
	if version != "" {
		frame(&b, "version", version)
	} else {
		b.WriteString(": connected\n\n")
	}
	if send(w, rc, b.String()) != nil {
		return
	}

	ping := time.NewTicker(h.heartbeat)
	defer ping.Stop()
	for {
		var out string
		select {
		case <-r.Context().Done():
			return
		case <-h.done:
			return
		case <-ping.C:
			out = ": ping\n\n"
		case <-c.wake:
			h.mu.Lock()
			m := c.pending
			c.pending = nil
			h.mu.Unlock()
			if m == nil {
				continue
			}
			out = m.frames()
		}
		if send(w, rc, out) != nil {
			return
		}
	}
}

// frames renders a message as SSE events.
func (m *message) frames() string {
	var b strings.Builder
	if m.reload {
		frame(&b, "reload", m.version)
		return b.String()
	}
	paths := m.css
	if paths == nil {
		paths = []string{}
	}
	data, _ := json.Marshal(struct {
		Version string   `json:"version"`
		Paths   []string `json:"paths"`
	}{m.version, paths})
	frame(&b, "css", string(data))
	return b.String()
}

// frame writes one event; data is kept to one line.
func frame(b *strings.Builder, event, data string) {
	data = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(data)
	fmt.Fprintf(b, "event: %s\ndata: %s\n\n", event, data)
}

func send(w io.Writer, rc *http.ResponseController, s string) error {
	if _, err := io.WriteString(w, s); err != nil {
		return err
	}
	return rc.Flush()
}
