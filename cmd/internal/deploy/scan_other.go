//go:build !linux

package deploy

import "io/fs"

// keyOf: without the change time and inode (read on Linux), a file's
// metadata cannot be trusted to change with its bytes; every file is read.
func keyOf(path string, fi fs.FileInfo) (statKey, bool) { return statKey{}, false }
