//go:build !unix

package browsertest

// lockFile does not lock where flock is missing: the tests run unordered.
func lockFile(name string, exclusive bool) func() { return nil }
