//go:build linux || android || openbsd || dragonfly || solaris || illumos

package site

import (
	"io/fs"
	"syscall"
)

// statSupported tells whether statOf can read this system's stat.
const statSupported = true

// statOf returns the stat of a file as the photo index records it, when
// the file system gave one (os.DirFS does; fstest.MapFS does not).
func statOf(fi fs.FileInfo) (statKey, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st == nil || !fi.Mode().IsRegular() {
		return statKey{}, false
	}
	return statKey{Size: fi.Size(), Mtime: st.Mtim.Nano(), Ctime: st.Ctim.Nano(), Ino: uint64(st.Ino), Dev: uint64(st.Dev)}, true
}
