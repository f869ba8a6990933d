package deploy

import (
	"io/fs"
	"syscall"
)

// keyOf returns the statKey of the file at path; ok is false when the
// metadata cannot tell one version of the file from another.
func keyOf(path string, fi fs.FileInfo) (statKey, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return statKey{}, false
	}
	return statKey{path: path, size: fi.Size(), mtime: fi.ModTime().UnixNano(), ctime: st.Ctim.Nano(), ino: st.Ino}, true
}
