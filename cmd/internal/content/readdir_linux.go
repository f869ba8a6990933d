package content

import (
	"encoding/binary"
	"io/fs"
	"os"
	"syscall"
)

// File types in a linux_dirent64's d_type.
const (
	dtUnknown = 0
	dtFIFO    = 1
	dtChr     = 2
	dtDir     = 4
	dtBlk     = 6
	dtReg     = 8
	dtLnk     = 10
	dtSock    = 12
)

// readDirDirect lists the folder name (a valid fs path) of os.DirFS(root)
// as os.ReadDir does, with the same errors, but unsorted and with three
// kinds of system call (open, getdents64 until it returns nothing, close):
// an *os.File also costs a cleanup, the poller's bookkeeping and a
// DirEntry for each name. It reads into *buf, keeping it for the next
// folder. It returns false, and no error, when the file system does not
// give every entry's type, to leave the folder to fs.ReadDir, which stats
// such entries.
func readDirDirect(root, name string, buf *[]byte) ([]dirEntry, bool, error) {
	full := root + "/" + name
	if os.IsPathSeparator(root[len(root)-1]) {
		full = root + name
	}
	fd, err := syscall.Open(full, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_DIRECTORY, 0)
	for err == syscall.EINTR {
		fd, err = syscall.Open(full, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_DIRECTORY, 0)
	}
	if err != nil {
		return nil, true, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	b := (*buf)[:cap(*buf)]
	if len(b) < readDirectMin {
		b = make([]byte, readDirectMin)
		*buf = b
	}
	var out []dirEntry
	for {
		n, err := syscall.Getdents(fd, b)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, true, &fs.PathError{Op: "readdirent", Path: name, Err: err}
		}
		if n <= 0 {
			return out, true, nil
		}
		// struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen;
		// u8 d_type; char d_name[]; }, d_name ending in a NUL.
		for rec := b[:n]; len(rec) >= 19; {
			size := int(binary.NativeEndian.Uint16(rec[16:]))
			if size < 19 || size > len(rec) {
				return nil, false, nil // not what the kernel writes: let os read it
			}
			ino, typ, nameb := binary.NativeEndian.Uint64(rec), rec[18], rec[19:size]
			rec = rec[size:]
			for i, c := range nameb {
				if c == 0 {
					nameb = nameb[:i]
					break
				}
			}
			if ino == 0 || string(nameb) == "." || string(nameb) == ".." {
				continue // as os skips them
			}
			var mode fs.FileMode
			switch typ {
			case dtReg:
			case dtDir:
				mode = fs.ModeDir
			case dtLnk:
				mode = fs.ModeSymlink
			case dtFIFO:
				mode = fs.ModeNamedPipe
			case dtSock:
				mode = fs.ModeSocket
			case dtChr:
				mode = fs.ModeDevice | fs.ModeCharDevice
			case dtBlk:
				mode = fs.ModeDevice
			default: // dtUnknown: this file system wants a stat per name
				return nil, false, nil
			}
			out = append(out, dirEntry{name: string(nameb), typ: mode})
		}
	}
}
