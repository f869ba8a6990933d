//go:build !(linux || darwin)

package content

import (
	"io/fs"

	"dateline/cmd/internal/problem"
)

// osDir reports no folder: readFile reads through the fs.FS.
func osDir(fs.FS) (string, bool) { return "", false }

func readDirect(string, string, *[]byte) ([]byte, problem.Problem, bool) {
	panic("unreachable")
}
