//go:build !unix

package publish

import (
	"errors"
	"os"
)

const noFollow = 0

// Without a way to lock a folder, every
// build stages into a fresh folder.
func sameDevice(a, b string) bool          { return false }
func lockDir(dir string) (*os.File, error) { return nil, errors.ErrUnsupported }
func sharedInode(fi os.FileInfo) bool      { return false }

func lockCache(p string) (*os.File, bool, error) { return nil, false, errors.ErrUnsupported }
func shareLock(f *os.File) error                 { return errors.ErrUnsupported }
