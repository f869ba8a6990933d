//go:build linux || darwin

package content

import (
	"bytes"
	"io/fs"
	"os"
	"reflect"
	"syscall"

	"dateline/cmd/internal/problem"
)

// dirFSType is the type of the file systems os.DirFS returns.
var dirFSType = reflect.TypeOf(os.DirFS("."))

// osDir returns the folder that fsys reads when fsys is an os.DirFS (the
// type is a string holding the folder, as its Open joins names to).
func osDir(fsys fs.FS) (string, bool) {
	v := reflect.ValueOf(fsys)
	if v.Type() != dirFSType || v.Kind() != reflect.String || v.Len() == 0 {
		return "", false
	}
	return v.String(), true
}

// readDirectMin is the least size of a reading buffer: more than almost
// every edition file.
const readDirectMin = 64 << 10

// readDirect reads the file name (a valid fs path) of os.DirFS(root) as
// readFile does, with the same problems, but with four system calls (open,
// read, read to find the end, close): an *os.File also sets and clears
// O_NONBLOCK, tries the poller and stats the file, nine calls in all. It
// reads into *buf, growing it as needed and keeping it for the next file,
// and returns a copy of exactly the file's bytes.
func readDirect(root, name string, buf *[]byte) ([]byte, problem.Problem, bool) {
	full := root + "/" + name
	if os.IsPathSeparator(root[len(root)-1]) {
		full = root + name
	}
	fd, err := syscall.Open(full, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	for err == syscall.EINTR {
		fd, err = syscall.Open(full, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	}
	if err != nil {
		return nil, problem.Errorf(name, 0, "cannot read: %v", err), false
	}
	defer syscall.Close(fd)
	b := (*buf)[:cap(*buf)]
	if len(b) < readDirectMin {
		b = make([]byte, readDirectMin)
	}
	// Read one byte past the limit, so that a file too large is found
	// without reading all of it.
	const limit = MaxFileSize + 1
	n := 0
	for n < limit {
		if n == len(b) {
			b = append(b, make([]byte, len(b))...)
		}
		m, err := syscall.Read(fd, b[n:min(len(b), limit)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			*buf = b
			return nil, problem.Errorf(name, 0, "cannot read: %v", err), false
		}
		if m == 0 {
			break
		}
		n += m
	}
	*buf = b
	if n > MaxFileSize {
		size := int64(n)
		var st syscall.Stat_t
		if syscall.Fstat(fd, &st) == nil && st.Size > size {
			size = st.Size
		}
		return nil, tooLargeProblem(name, size), false
	}
	return bytes.Clone(b[:n]), problem.Problem{}, true
}
