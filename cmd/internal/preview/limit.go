package preview

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// limits bound what clients can hold of the server: a browser keeps idle
// keep-alive connections open for minutes, and a client that opens
// connections without end would otherwise run the process out of file
// descriptors.
type limits struct {
	// conns is how many connections the server holds at once. At the cap
	// the connection idle longest is closed to take a new one, so normal
	// requests keep being answered; when none is idle (every one is in a
	// request or an event stream), new connections wait.
	conns int
	// idle closes a keep-alive connection after this long without a
	// request. Event streams are requests: they are never idle, and the
	// hub bounds them (livereload.MaxStreams, well under conns).
	idle time.Duration
}

var defaultLimits = limits{conns: 256, idle: 2 * time.Minute}

// httpServer returns the server that serves h, and ln under lim's
// connection cap, to serve it on. It sets no ReadTimeout or WriteTimeout:
// they would cut event streams (the hub clears the write deadline of its
// own); ReadHeaderTimeout closes a connection that sends no request.
func httpServer(h http.Handler, ln net.Listener, lim limits) (*http.Server, net.Listener) {
	cl := &connLimit{Listener: ln, max: lim.conns, conns: map[net.Conn]*connInfo{}}
	cl.cond = sync.NewCond(&cl.mu)
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       lim.idle,
		ConnState:         cl.state,
	}
	return srv, cl
}

// A connLimit is a listener that holds at most max connections, closing
// the one idle longest to take a new one. The server tells it which are
// idle through its ConnState hook (state).
type connLimit struct {
	net.Listener
	max int

	mu     sync.Mutex
	cond   *sync.Cond // signalled when a connection goes idle or ends
	conns  map[net.Conn]*connInfo
	closed bool
}

type connInfo struct {
	busy  bool      // in a request
	since time.Time // idle since (accepted, or last request done)
}

func (l *connLimit) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for len(l.conns) >= l.max && !l.closed {
		if old := l.idlest(); old != nil {
			old.Close()
			delete(l.conns, old)
			continue
		}
		l.cond.Wait()
	}
	if l.closed {
		c.Close()
		return nil, net.ErrClosed
	}
	l.conns[c] = &connInfo{since: time.Now()}
	return c, nil
}

// idlest returns the connection idle longest, or nil when all are busy.
func (l *connLimit) idlest() net.Conn {
	var best net.Conn
	var since time.Time
	for c, ci := range l.conns {
		if !ci.busy && (best == nil || ci.since.Before(since)) {
			best, since = c, ci.since
		}
	}
	return best
}

func (l *connLimit) Close() error {
	l.mu.Lock()
	l.closed = true
	l.cond.Broadcast()
	l.mu.Unlock()
	return l.Listener.Close()
}

// state is the server's ConnState hook.
func (l *connLimit) state(c net.Conn, s http.ConnState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ci := l.conns[c]
	switch s {
	case http.StateActive:
		if ci != nil {
			ci.busy = true
		}
	case http.StateIdle:
		if ci != nil {
			ci.busy, ci.since = false, time.Now()
		}
		l.cond.Signal()
	case http.StateHijacked, http.StateClosed:
		delete(l.conns, c)
		l.cond.Signal()
	}
}
