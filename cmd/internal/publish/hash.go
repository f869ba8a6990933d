package publish

import (
	"crypto/sha256"
	"encoding/hex"
	"path"
	"strings"
)

// hashLen is the number of hex digits of the content hash in a file name:
// 40 bits, far more than enough to tell the versions of one file apart.
const hashLen = 10

// Hash returns the hex content hash used in file names.
func Hash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])[:hashLen]
}

// HashedName inserts the content hash of data before the extension of name:
// "css/style.css" → "css/style.3f2a1b9c0d.css".
func HashedName(name string, data []byte) string {
	return WithHash(name, Hash(data))
}

// WithHash inserts hash before the extension of name.
func WithHash(name, hash string) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hash + ext
}
