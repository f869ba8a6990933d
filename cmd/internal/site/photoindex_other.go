//go:build !(linux || android || openbsd || dragonfly || solaris || illumos || darwin || ios || freebsd || netbsd)

package site

import "io/fs"

// statSupported tells whether statOf can read this system's stat: here it
// cannot, and every build reads every file.
const statSupported = false

func statOf(fs.FileInfo) (statKey, bool) { return statKey{}, false }
