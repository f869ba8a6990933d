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

// lockCache opens (or makes) the file p and locks it: exclusively when
// it can at once (alone), else shared, which waits only while another
// process holds it exclusively (as it cleans up; then it shares it too).
func lockCache(p string) (f *os.File, alone bool, err error) {
	f, err = os.OpenFile(p, os.O_RDWR|os.O_CREATE|noFollow, 0o644)
	if err != nil {
		return nil, false, err
	}
	fd := int(f.Fd())
	alone = syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB) == nil
	if !alone {
		if err := syscall.Flock(fd, syscall.LOCK_SH); err != nil {
			f.Close()
			return nil, false, err
		}
	}
	return f, alone, nil
}

// shareLock turns the exclusive lock lockShared took into a shared one.
func shareLock(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_SH) }
