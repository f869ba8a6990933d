package content

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // timezone names must work on machines without a zoneinfo database

	"github.com/BurntSushi/toml"

	"dateline/cmd/internal/problem"
)

// ConfigFile is the path of the site settings, relative to the site.
const ConfigFile = "content/site.toml"

// DefaultBaseURL is base_url when site.toml does not set it: the address
// `dateline serve` listens on by default. Feeds, sitemaps and canonical
// links need an absolute URL, so a site to be published sets its own (or
// builds with --base-url).
const DefaultBaseURL = "http://localhost:1313/"

// defaultLanguages are the languages of a site without [languages], and the
// defaults for the settings of a language a [languages.<key>] table leaves
// out.
var defaultLanguages = []Language{
	{Key: "zh", Tag: "zh-CN", Name: "中文", Title: "深度报道"},
	{Key: "en", Tag: "en", Name: "English", Title: "Features"},
}

// siteFile mirrors content/site.toml.
type siteFile struct {
	BaseURL         string                       `toml:"base_url"`
	Theme           string                       `toml:"theme"`
	Timezone        string                       `toml:"timezone"`
	DefaultLanguage string                       `toml:"default_language"`
	Languages       map[string]languageFile      `toml:"languages"`
	Publisher       Publisher                    `toml:"publisher"`
	Deploy          map[string]deployFile        `toml:"deploy"`
	FrontPageSize   *int                         `toml:"front_page_size"`
	Topics          map[string]map[string]string `toml:"topics"`
	Authors         map[string]map[string]any    `toml:"authors"`
	Series          map[string]map[string]any    `toml:"series"`
	// [embeds] allow: hosts "::: embed" may show besides its built-in
	// providers; each must be a host name (embedHostProblem), and passes
	// to Config.EmbedHosts in lower case.
	Embeds struct {
		Allow []string `toml:"allow"`
	} `toml:"embeds"`
	// RequiredLanguages and Style: see Config.
	RequiredLanguages []string         `toml:"required_languages"`
	Style             map[string]Style `toml:"style"`
}

// Style is a language's house style, [style.<lang>] in site.toml.
type Style struct {
	// Credit is the form every photo credit of a plain name prints in,
	// with {name} for the name: "{name} 摄", "Photo: {name}".
	Credit string `toml:"credit"`
}

type languageFile struct {
	Tag         string `toml:"tag"`
	Name        string `toml:"name"`
	Title       string `toml:"title"`
	Description string `toml:"description"`
}

// DefaultConfig returns the settings of a site without content/site.toml:
// zh (zh-CN, the default) and en, times in UTC, DefaultBaseURL.
func DefaultConfig() *Config {
	cfg := &Config{
		BaseURL:   DefaultBaseURL,
		Location:  time.UTC,
		Languages: slices.Clone(defaultLanguages),

		FrontPageSize: DefaultFrontPageSize,
	}
	cfg.Publisher = Publisher{Name: cfg.Languages[0].Title, URL: cfg.BaseURL}
	cfg.publisherURL = true
	return cfg
}

// LoadConfig reads content/site.toml from fsys, the site root. Without the
// file it returns DefaultConfig. Problems are "content/site.toml:LINE: …":
// unknown settings are warnings, anything that makes the settings unusable
// (malformed TOML, an unknown time zone, a base_url that is not an absolute
// http or https URL, a default_language that is not a language) is an
// error, and then the Config is nil.
func LoadConfig(fsys fs.FS) (*Config, []problem.Problem) {
	data, err := fs.ReadFile(fsys, ConfigFile)
	if errors.Is(err, fs.ErrNotExist) {
		return DefaultConfig(), nil
	}
	if err != nil {
		return nil, []problem.Problem{problem.Errorf(ConfigFile, 0, "cannot read: %v", err)}
	}
	return parseConfig(data)
}

func parseConfig(data []byte) (*Config, []problem.Problem) {
	var ps []problem.Problem
	errorf := func(line int, format string, args ...any) {
		ps = append(ps, problem.Errorf(ConfigFile, line, format, args...))
	}
	if i := invalidUTF8(data); i >= 0 {
		errorf(1+bytes.Count(data[:i], nl), "invalid UTF-8")
		return nil, ps
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if line := tomlTooDeep(data); line > 0 {
		errorf(line, "nested too deeply (more than %d levels)", maxNesting)
		return nil, ps
	}
	var sf siteFile
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&sf)
	if err != nil {
		p := tomlProblem(err, data, "")
		errorf(p.line, "%s", p.text)
		return nil, ps
	}
	lines := tomlLines(data)
	line := func(key string) int {
		for {
			if l, ok := lines[key]; ok {
				return l
			}
			i := strings.LastIndexByte(key, '.')
			if i < 0 {
				return 0
			}
			key = key[:i]
		}
	}
	for _, k := range md.Undecoded() {
		if len(k) > 2 && (k[0] == "authors" || k[0] == "series") {
			continue // decoded as any: parseAuthors and parseSeries check every field
		}
		ps = append(ps, problem.Warnf(ConfigFile, line(k.String()), "unknown setting %q", k.String()))
	}

	cfg := &Config{Theme: strings.TrimSpace(sf.Theme), Location: time.UTC, FrontPageSize: DefaultFrontPageSize}

	// front_page_size
	if n := sf.FrontPageSize; n != nil {
		if *n < 1 || *n > maxFrontPageSize {
			errorf(line("front_page_size"), "front_page_size %d must be between 1 and %d", *n, maxFrontPageSize)
		} else {
			cfg.FrontPageSize = *n
		}
	}

	// base_url
	cfg.BaseURL = DefaultBaseURL
	if s := strings.TrimSpace(sf.BaseURL); md.IsDefined("base_url") {
		u, err := NormalizeBaseURL(s)
		if err != nil {
			errorf(line("base_url"), "base_url %v", err)
		}
		cfg.BaseURL = u
	}

	// timezone
	if tz := strings.TrimSpace(sf.Timezone); tz != "" {
		switch loc, err := time.LoadLocation(tz); {
		case tz == "Local":
			errorf(line("timezone"), "timezone \"Local\" depends on the machine; name the zone, such as \"Asia/Shanghai\"")
		case err != nil:
			errorf(line("timezone"), "unknown timezone %q (use an IANA name such as \"Asia/Shanghai\" or \"UTC\")", tz)
		default:
			cfg.Location = loc
		}
	}

	// languages
	if len(sf.Languages) == 0 {
		if md.IsDefined("languages") {
			errorf(line("languages"), "no languages: add a [languages.<key>] table per language, such as [languages.zh]")
		}
		cfg.Languages = slices.Clone(defaultLanguages)
	}
	for key, lf := range sf.Languages {
		if !ValidSlug(key) {
			errorf(line("languages."+key), "language key %q must be lowercase letters, digits and hyphens, such as \"zh\" or \"pt-br\"", key)
			continue
		}
		l := Language{Key: key, Tag: key, Name: key}
		if i := slices.IndexFunc(defaultLanguages, func(d Language) bool { return d.Key == key }); i >= 0 {
			l = defaultLanguages[i]
		}
		if s := strings.TrimSpace(lf.Tag); s != "" {
			if !validTag(s) {
				errorf(line("languages."+key+".tag"), "languages.%s.tag %q is not a language tag such as \"zh-CN\" or \"en\"", key, s)
			}
			l.Tag = s
		}
		if s := strings.TrimSpace(lf.Name); s != "" {
			l.Name = s
		}
		if s := strings.TrimSpace(lf.Title); s != "" {
			l.Title = s
		}
		l.Description = strings.TrimSpace(lf.Description)
		cfg.Languages = append(cfg.Languages, l)
	}
	def := strings.TrimSpace(sf.DefaultLanguage)
	if def != "" {
		if _, ok := cfg.Language(def); !ok {
			errorf(line("default_language"), "default_language %q is not one of the languages (%s)", def, keys(cfg.Languages))
			def = ""
		}
	}
	if def == "" {
		def = "zh"
		if _, ok := cfg.Language(def); !ok && len(cfg.Languages) > 0 {
			def = slices.MinFunc(cfg.Languages, func(a, b Language) int { return strings.Compare(a.Key, b.Key) }).Key
		}
	}
	sortLanguages(cfg.Languages, def)
	// A language of our own without a title takes the default language's.
	for i := range cfg.Languages {
		if cfg.Languages[i].Title == "" {
			cfg.Languages[i].Title = cmp.Or(cfg.Languages[0].Title, "Dateline")
		}
	}

	// [embeds] allow
	for i, h := range sf.Embeds.Allow {
		if msg := embedHostProblem(h); msg != "" {
			errorf(entryLine(data, line("embeds.allow"), h), "[embeds] allow[%d] %q %s", i, h, msg)
			continue
		}
		cfg.EmbedHosts = append(cfg.EmbedHosts, strings.ToLower(h))
	}

	// publisher
	cfg.Publisher = Publisher{
		Name: strings.TrimSpace(sf.Publisher.Name),
		URL:  strings.TrimSpace(sf.Publisher.URL),
		Logo: strings.TrimSpace(sf.Publisher.Logo),
	}
	if cfg.Publisher.URL != "" {
		if u, err := NormalizeBaseURL(cfg.Publisher.URL); err != nil {
			errorf(line("publisher.url"), "publisher.url %v", err)
		} else {
			cfg.Publisher.URL = u
		}
	}
	if cfg.Publisher.Name == "" && len(cfg.Languages) > 0 {
		cfg.Publisher.Name = cfg.Languages[0].Title
	}
	if cfg.Publisher.URL == "" {
		cfg.Publisher.URL = cfg.BaseURL
		cfg.publisherURL = true
	}

	// deploy targets
	for name, df := range sf.Deploy {
		key := "deploy." + name
		t := DeployTarget{Name: name, URL: strings.TrimSpace(df.URL), NoIndex: df.NoIndex, Line: line(key + ".url")}
		switch {
		case !ValidSlug(name):
			errorf(line(key), "deploy target name %q must be lowercase letters, digits and hyphens, such as \"production\"", name)
		case t.URL == "":
			errorf(line(key), "%s.url is missing (\"s3://BUCKET/PREFIX?region=…&endpoint=…\")", key)
		case !strings.HasPrefix(t.URL, "s3://"):
			errorf(t.Line, "%s.url %q must begin with s3:// (\"s3://BUCKET/PREFIX?region=…&endpoint=…\")", key, t.URL)
		}
		if s := strings.TrimSpace(df.BaseURL); s != "" {
			u, err := NormalizeBaseURL(s)
			if err != nil {
				errorf(line(key+".base_url"), "%s.base_url %v", key, err)
			}
			t.BaseURL = u
		}
		cfg.Deploy = append(cfg.Deploy, t)
	}
	slices.SortFunc(cfg.Deploy, func(a, b DeployTarget) int { return strings.Compare(a.Name, b.Name) })
	// required_languages and [style.<lang>] name languages of the site.
	for _, key := range sf.RequiredLanguages {
		if _, ok := cfg.Language(key); !ok {
			errorf(line("required_languages"), "required_languages: %q is not one of the languages (%s)", key, keys(cfg.Languages))
		}
	}
	cfg.RequiredLanguages = sf.RequiredLanguages
	for key, st := range sf.Style {
		if _, ok := cfg.Language(key); !ok {
			errorf(line("style."+key), "[style.%s]: %q is not one of the languages (%s)", key, key, keys(cfg.Languages))
		}
		if st.Credit != "" && !strings.Contains(st.Credit, "{name}") {
			errorf(line("style."+key+".credit"), "style.%s.credit %q has no {name}", key, st.Credit)
		}
	}
	cfg.Style = sf.Style

	// topics
	ps = append(ps, cfg.parseTopics(sf.Topics, line)...)
	ps = append(ps, cfg.parseAuthors(sf.Authors, line)...)
	ps = append(ps, cfg.parseSeries(sf.Series, line)...)

	problem.Sort(ps)
	if len(problem.Errors(ps, false)) > 0 {
		return nil, ps
	}
	return cfg, ps
}

// deployFile mirrors a [deploy.NAME] table.
type deployFile struct {
	URL     string `toml:"url"`
	BaseURL string `toml:"base_url"`
	NoIndex bool   `toml:"noindex"`
}

// A DeployTarget is a [deploy.NAME] table: where `dateline deploy
// --target NAME` publishes the site. The deploy package reads URL;
// credentials never come from site.toml.
type DeployTarget struct {
	Name    string
	URL     string // "s3://BUCKET/PREFIX?region=…&endpoint=…"
	BaseURL string // "" keeps the site's base_url; else normalized, ending in "/"
	NoIndex bool   // a staging copy: robots.txt disallows all, every page noindex
	Line    int    // of url in content/site.toml, for messages
}

// expectedType describes what a setting holds, for type errors.
func expectedType(key string) string {
	switch {
	case key == "languages":
		return "a [languages.<key>] table per language"
	case key == "publisher":
		return "a [publisher] table"
	case strings.HasPrefix(key, "languages.") && strings.Count(key, ".") == 1:
		return "a table of tag, name, title and description"
	case key == "deploy":
		return "a [deploy.<name>] table per target"
	case strings.HasPrefix(key, "deploy.") && strings.Count(key, ".") == 1:
		return "a table of url, base_url and noindex"
	case strings.HasPrefix(key, "deploy.") && strings.HasSuffix(key, ".noindex"):
		return "true or false"
	case key == "front_page_size":
		return "a whole number such as 24"
	case key == "embeds":
		return "an [embeds] table with allow = [\"graphics.example.cn\"]"
	case key == "embeds.allow":
		return "a list of host names"
	case key == "authors":
		return "an [authors.<key>] table per person"
	case key == "topics":
		return "a [topics.<key>] table per topic"
	case strings.HasPrefix(key, "topics.") && strings.Count(key, ".") == 1:
		return "a table of names by language: zh = \"防汛\""
	}
	return "text in quotes"
}

// sortLanguages puts the default language first, then the others by key.
func sortLanguages(ls []Language, def string) {
	slices.SortFunc(ls, func(a, b Language) int {
		switch {
		case a.Key == b.Key:
			return 0
		case a.Key == def:
			return -1
		case b.Key == def:
			return 1
		}
		return strings.Compare(a.Key, b.Key)
	})
}

func keys(ls []Language) string {
	ks := make([]string, len(ls))
	for i, l := range ls {
		ks[i] = l.Key
	}
	return strings.Join(ks, ", ")
}

// validTag is a loose check of a BCP 47 tag: ASCII letters and digits in
// hyphen-separated parts of 1 to 8, the first all letters.
func validTag(s string) bool {
	for i, part := range strings.Split(s, "-") {
		if len(part) == 0 || len(part) > 8 {
			return false
		}
		for _, c := range []byte(part) {
			letter := c|0x20 >= 'a' && c|0x20 <= 'z'
			if !letter && (i == 0 || c < '0' || c > '9') {
				return false
			}
		}
	}
	return true
}

// NormalizeBaseURL checks that s is an absolute http or https URL and
// returns it with a path ending in "/". The error completes a sentence
// beginning with the setting's name ("base_url …").
func NormalizeBaseURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		hint := ""
		if err == nil && u.Scheme == "" && s != "" && !strings.HasPrefix(s, "/") {
			hint = fmt.Sprintf(" (such as \"https://%s\")", strings.TrimSuffix(s, "/")+"/")
		}
		return "", fmt.Errorf("%q must be an absolute http or https URL%s", s, hint)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q must not have a query or fragment", s)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		u.RawPath = ""
	}
	return u.String(), nil
}

// SetBaseURL replaces BaseURL (for --base-url), normalized like base_url,
// and the publisher URL with it when site.toml does not set one.
func (c *Config) SetBaseURL(s string) error {
	u, err := NormalizeBaseURL(s)
	if err != nil {
		return fmt.Errorf("base URL %w", err)
	}
	c.BaseURL = u
	if c.publisherURL {
		c.Publisher.URL = u
	}
	return nil
}

// embedHostProblem says what keeps h, an entry of [embeds] allow, from
// being a host name that "::: embed" can match, or "" when it is one: a
// name of two or more dot-separated labels of letters, digits and inner
// hyphens, as in "graphics.example.cn". A URL, a port, a wildcard, an IP
// address and an empty string are refused, each with its remedy.
func embedHostProblem(h string) string {
	switch {
	case strings.TrimSpace(h) == "":
		return "is empty: name a host, such as \"graphics.example.cn\""
	case strings.Contains(h, "://") || strings.ContainsAny(h, "/?#"):
		if u, err := url.Parse(h); err == nil && u.Hostname() != "" {
			return fmt.Sprintf("is a URL: write its host alone, %q", u.Hostname())
		}
		return "is a URL: write its host alone, such as \"graphics.example.cn\""
	case strings.Contains(h, "*"):
		return "is a wildcard: list each host, such as \"graphics.example.cn\""
	case strings.Contains(h, ":"):
		return "has a port: write the host alone (embeds are https on port 443)"
	case strings.TrimSpace(h) != h:
		return "has spaces around it"
	case len(h) > 253:
		return "is longer than a host name can be (253 characters)"
	}
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return "is not a host name with a domain, such as \"graphics.example.cn\""
	}
	allDigits := true
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return "is not a valid host name: each dot-separated part has 1 to 63 letters, digits or inner hyphens"
		}
		for _, r := range l {
			switch {
			case r >= '0' && r <= '9':
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '-':
				allDigits = false
			default:
				return fmt.Sprintf("is not a valid host name: %q is not allowed (write an internationalized name in its xn-- form)", r)
			}
		}
	}
	if allDigits {
		return "is an IP address: name the host"
	}
	return ""
}

// entryLine returns the line of data, from line from (the array's key)
// to the line closing the array, that holds the TOML string s in quotes,
// else from.
func entryLine(data []byte, from int, s string) int {
	quoted := [][]byte{[]byte(`"` + s + `"`), []byte("'" + s + "'")}
	for n, l := range bytes.Split(data, nl) {
		if n+1 < from {
			continue
		}
		for _, q := range quoted {
			if bytes.Contains(l, q) {
				return n + 1
			}
		}
		if bytes.IndexByte(l, ']') >= 0 {
			break
		}
	}
	return from
}
