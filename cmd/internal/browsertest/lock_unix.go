//go:build unix

package browsertest

import (
	"os"
	"syscall"
)

// lockFile takes an flock on name, exclusive or shared, waiting for it,
// and returns the function that releases it; nil when the file cannot be
// opened (the tests then run unordered, as without the lock).
func lockFile(name string, exclusive bool) func() {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o666)
	if err != nil {
		return nil
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	for {
		err = syscall.Flock(int(f.Fd()), how)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}
}
