//go:build darwin || ios || freebsd || netbsd

package publish

import (
	"os"
	"syscall"
)

// stampOf returns a file's stamp (the zero Stamp when the system gave no
// stat: Keep never carries such a file over).
func stampOf(fi os.FileInfo) Stamp {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st == nil {
		return Stamp{}
	}
	return Stamp{Size: fi.Size(), ModTime: st.Mtimespec.Nano(), CTime: st.Ctimespec.Nano(), Dev: uint64(st.Dev), Ino: uint64(st.Ino)}
}
