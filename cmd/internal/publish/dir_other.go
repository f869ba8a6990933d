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

// Without inode numbers a file's stamp cannot tell versions apart: Keep
// never carries a file over.
func stampOf(fi os.FileInfo) Stamp { return Stamp{} }
