package preview

import (
	"maps"
	"sync"
)

// store holds the built site in memory. A rebuild stages its files and the
// store switches to them in one step, so a request sees either the old site
// or the new one, never a mix.
type store struct {
	mu      sync.RWMutex
	files   map[string][]byte
	version int
}

func (s *store) get(name string) ([]byte, int, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	data, ok := s.files[name]
	return data, s.version, ok
}

func (s *store) snapshot() (map[string][]byte, int) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return maps.Clone(s.files), s.version
}

// replace switches to a whole new site (after a full build).
func (s *store) replace(files map[string][]byte) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files = files
	s.version++
	return s.version
}

// apply switches to the site with the staged files written and the removed
// ones gone (after an incremental rebuild).
func (s *store) apply(written map[string][]byte, removed []string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.files == nil {
		s.files = map[string][]byte{}
	}
	for _, name := range removed {
		delete(s.files, name)
	}
	maps.Copy(s.files, written)
	s.version++
	return s.version
}

// staging collects the files of one build; it is the build's site.Output.
type staging struct {
	mu    sync.Mutex
	files map[string][]byte
}

func newStaging() *staging { return &staging{files: map[string][]byte{}} }

func (s *staging) WriteFile(name string, data []byte) error {
	s.mu.Lock()
	s.files[name] = data
	s.mu.Unlock()
	return nil
}
