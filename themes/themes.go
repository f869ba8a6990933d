// Package themes holds the themes compiled into the dateline binary: only
// the default theme, in the folder default/ beside this file. A site uses it
// unless content/site.toml names another theme under the site's themes/.
//
// The layout of a theme folder is documented in package
// dateline/cmd/internal/theme.
package themes

import (
	"embed"
	"io/fs"
)

//go:embed default
var files embed.FS

// Default returns the default theme as a file system rooted at the theme
// folder: layouts/report.html, i18n/zh.toml, static/css/…
func Default() fs.FS {
	sub, err := fs.Sub(files, "default")
	if err != nil {
		// fs.Sub fails only for an invalid path; "default" is valid.
		panic(err)
	}
	return sub
}
