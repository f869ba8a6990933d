package preview

import (
	"maps"
	"slices"
	"strings"
	"sync"

	"dateline/cmd/internal/problem"
)

// store holds the built site in memory together with the problems of the
// build that made it. A rebuild stages its files and the store switches to
// them in one step, so a request sees either the old site or the new one,
// never a mix, and always with the problems of the site it sees.
type store struct {
	mu       sync.RWMutex
	files    map[string][]byte
	problems []problem.Problem
	version  int
}

// get returns a file of the site, and the version and problems of the build
// it belongs to.
func (s *store) get(name string) (data []byte, version int, problems []problem.Problem, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	data, ok = s.files[name]
	return data, s.version, s.problems, ok
}

// has reports whether the site holds a file.
func (s *store) has(name string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.files[name]
	return ok
}

// state returns the current version and problems.
func (s *store) state() (version int, problems []problem.Problem) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.version, s.problems
}

// names returns the sorted names of the site's files.
func (s *store) names() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Sorted(maps.Keys(s.files))
}

// pages returns the current version and its HTML pages (the map is the
// caller's; the data is shared and never changed).
func (s *store) pages() (version int, pages map[string][]byte) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	pages = map[string][]byte{}
	for name, data := range s.files {
		if strings.HasSuffix(name, ".html") {
			pages[name] = data
		}
	}
	return s.version, pages
}

// replace switches to a whole new site (after a full build that succeeded).
func (s *store) replace(files map[string][]byte, problems []problem.Problem) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files = files
	s.problems = problems
	s.version++
	return s.version
}

// apply switches to the site with the removed files gone and the staged
// ones written (after an incremental rebuild).
func (s *store) apply(written map[string][]byte, removed []string, problems []problem.Problem) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.files == nil {
		s.files = map[string][]byte{}
	}
	for _, name := range removed {
		delete(s.files, name)
	}
	maps.Copy(s.files, written)
	s.problems = problems
	s.version++
	return s.version
}

// overlay writes the staged files over the current site and keeps the
// others (after a full build that failed, so that the editor keeps reading
// the last good pages under the error overlay). It reports whether a file
// the build did not write was kept: such a file may no longer belong to
// the site, and the next build must be a full one.
func (s *store) overlay(written map[string][]byte, problems []problem.Problem) (version int, kept bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.files == nil {
		s.files = map[string][]byte{}
	}
	for name := range s.files {
		if _, ok := written[name]; !ok {
			kept = true
			break
		}
	}
	maps.Copy(s.files, written)
	s.problems = problems
	s.version++
	return s.version, kept
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
