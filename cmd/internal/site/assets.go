package site

import (
	"path"
	"regexp"
	"strings"

	"dateline/cmd/internal/problem"
	"dateline/cmd/internal/publish"
)

// cssURL matches url(…) references in a stylesheet.
var cssURL = regexp.MustCompile(`url\(\s*(['"]?)([^'")]+)(['"]?)\s*\)`)

// rootFiles are theme static files published at the site root under their
// own names, since browsers ask for them there: /favicon.ico.
var rootFiles = map[string]bool{"favicon.ico": true}

// writeAssets publishes the theme's static files under content-hashed
// names: first every file that is not a stylesheet, then the stylesheets,
// whose url() references are rewritten to the hashed names first (so a
// stylesheet's hash changes when a file it uses changes).
func (b *Builder) writeAssets(out Output) error {
	static := b.set.Static()
	b.assets = map[string]string{}
	b.css, b.js = nil, nil
	write := func(name string, data []byte) error {
		data, err := b.min.File(name, data)
		if err != nil {
			b.global = append(b.global, problem.Errorf(b.themeDir+"/static/"+name, 0, "%v", err))
			return nil
		}
		outName := publish.HashedName("assets/"+name, data)
		if rootFiles[name] {
			outName = name
		}
		b.assets[name] = outName
		return out.WriteFile(outName, data)
	}
	for _, f := range static {
		if path.Ext(f.Path) != ".css" {
			if err := write(f.Path, f.Data); err != nil {
				return err
			}
		}
	}
	for _, f := range static {
		if path.Ext(f.Path) == ".css" {
			data := cssURL.ReplaceAllFunc(f.Data, func(m []byte) []byte {
				sub := cssURL.FindSubmatch(m)
				ref := string(sub[2])
				if strings.Contains(ref, ":") || strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, "#") {
					return m
				}
				target := path.Join(path.Dir(f.Path), ref)
				hashed, ok := b.assets[target]
				if !ok {
					b.global = append(b.global, problem.Warnf(b.themeDir+"/static/"+f.Path, 0, "url(%s): no such file in the theme", ref))
					return m
				}
				return []byte("url(" + b.rel("/"+hashed) + ")")
			})
			if err := write(f.Path, data); err != nil {
				return err
			}
		}
	}
	if n, ok := b.assets["favicon.svg"]; ok {
		b.icon = b.rel("/" + n)
	}
	if n, ok := b.assets["favicon.ico"]; ok {
		b.iconICO = b.rel("/" + n)
	}
	b.logo = b.themeLogo()
	// Stylesheets and scripts load in the order of their source names.
	for _, f := range static {
		outName, ok := b.assets[f.Path]
		switch {
		case !ok:
		case strings.HasPrefix(f.Path, "css/") && path.Ext(f.Path) == ".css":
			b.css = append(b.css, b.rel("/"+outName))
		case strings.HasPrefix(f.Path, "js/") && path.Ext(f.Path) == ".js":
			b.js = append(b.js, b.rel("/"+outName))
		}
	}
	return nil
}
