//go:build unix

package publish

import (
	"os"
	"syscall"
)

// noFollow makes opening a file fail when its name is a symbolic link.
const noFollow = syscall.O_NOFOLLOW

// lockDir takes an exclusive lock on a folder, failing at once when another
// process holds it. Closing the returned file releases it.
func lockDir(dir string) (*os.File, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// sharedInode reports whether a file has other names (hard links).
func sharedInode(fi os.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && st.Nlink > 1
}

// stampOf returns a file's stamp.
func stampOf(fi os.FileInfo) Stamp {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return Stamp{}
	}
	return Stamp{Size: fi.Size(), ModTime: fi.ModTime().UnixNano(), Dev: uint64(st.Dev), Ino: uint64(st.Ino)}
}
