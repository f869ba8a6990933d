package deploy

import (
	"path"
	"strings"

	"dateline/cmd/internal/publish"
)

// isAsset reports whether the file at slash path p is content-hashed: every
// such file, and nothing else, lives under publish.AssetsDir.
func isAsset(p string) bool {
	return strings.HasPrefix("/"+p, publish.AssetsDir)
}

// CacheControl returns the Cache-Control of the file at slash path p: the
// policy of the _headers file the build writes (publish.Headers), immutable
// for content-hashed assets and short and revalidated for the rest.
func CacheControl(p string) string {
	if isAsset(p) {
		return publish.Immutable
	}
	return publish.Revalidate
}

// contentTypes maps the extensions a built site holds to their media
// types. A fixed table, not mime.TypeByExtension, whose answers depend on
// the machine's /etc/mime.types.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".htm":         "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".txt":         "text/plain; charset=utf-8",
	".md":          "text/markdown; charset=utf-8",
	".csv":         "text/csv; charset=utf-8",
	".xml":         "application/xml; charset=utf-8",
	".json":        "application/json; charset=utf-8",
	".webmanifest": "application/manifest+json; charset=utf-8",
	".svg":         "image/svg+xml; charset=utf-8",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".png":         "image/png",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".ico":         "image/x-icon",
	".woff2":       "font/woff2",
	".woff":        "font/woff",
	".ttf":         "font/ttf",
	".otf":         "font/otf",
	".pdf":         "application/pdf",
	".wasm":        "application/wasm",
	".mp3":         "audio/mpeg",
	".mp4":         "video/mp4",
	".webm":        "video/webm",
	".zip":         "application/zip",
}

// ContentType returns the Content-Type of the file at slash path p: text
// types with charset=utf-8 (every text file a build writes is UTF-8),
// Atom for the feeds, and application/octet-stream for what it does not
// know.
func ContentType(p string) string {
	if path.Base(p) == "feed.xml" {
		return "application/atom+xml; charset=utf-8"
	}
	if t, ok := contentTypes[strings.ToLower(path.Ext(p))]; ok {
		return t
	}
	return "application/octet-stream"
}
