package watch

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
)

// The kernel settings that cap inotify, as Linux exposes them.
const (
	maxWatchesFile   = "/proc/sys/fs/inotify/max_user_watches"
	maxInstancesFile = "/proc/sys/fs/inotify/max_user_instances"
)

// A limitErr is a watcher error with its remedy spelled out.
type limitErr struct {
	msg string
	err error
}

func (e *limitErr) Error() string { return e.msg }
func (e *limitErr) Unwrap() error { return e.err }

// limitError explains err from watching dir ("" when the watcher itself
// could not start). When a kernel limit was hit it names the setting, its
// current value (read with read) and the way out.
func limitError(err error, dir string, read func(string) ([]byte, error)) error {
	prefix := "watch"
	if dir != "" {
		prefix += " " + dir
	}
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return &limitErr{
			msg: fmt.Sprintf("%s: too many watched folders: raise fs.inotify.max_user_watches (now %s; e.g. sysctl fs.inotify.max_user_watches=524288) or use --poll",
				prefix, current(read, maxWatchesFile)),
			err: err,
		}
	case errors.Is(err, syscall.EMFILE):
		return &limitErr{
			msg: fmt.Sprintf("%s: too many inotify instances: raise fs.inotify.max_user_instances (now %s; e.g. sysctl fs.inotify.max_user_instances=512) or use --poll",
				prefix, current(read, maxInstancesFile)),
			err: err,
		}
	}
	return fmt.Errorf("%s: %w", prefix, err)
}

// current returns a kernel setting's value, or "unknown".
func current(read func(string) ([]byte, error), name string) string {
	b, err := read(name)
	if v := strings.TrimSpace(string(b)); err == nil && v != "" {
		return v
	}
	return "unknown"
}
