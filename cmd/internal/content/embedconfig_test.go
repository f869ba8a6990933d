package content

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"dateline/cmd/internal/problem"
)

// TestEmbedAllow checks [embeds] allow: host names pass in lower case,
// and every entry that is no host name is an error at its own line of
// site.toml.
func TestEmbedAllow(t *testing.T) {
	tests := []struct {
		name  string
		toml  string
		hosts []string
		ps    []problem.Problem
	}{
		{"hosts", "[embeds]\nallow = [\"graphics.example.cn\", \"Charts.Example.org\", \"a-b.c1.example\"]\n",
			[]string{"graphics.example.cn", "charts.example.org", "a-b.c1.example"}, nil},
		{"no table", "base_url = \"https://a.example/\"\n", nil, nil},
		{"a URL", "[embeds]\nallow = [\"https://graphics.example.cn/chart/\"]\n", nil, []problem.Problem{
			problem.Errorf(ConfigFile, 2, `[embeds] allow[0] "https://graphics.example.cn/chart/" is a URL: write its host alone, "graphics.example.cn"`),
		}},
		{"a host with a path", "[embeds]\nallow = [\"graphics.example.cn/charts\"]\n", nil, []problem.Problem{
			problem.Errorf(ConfigFile, 2, `[embeds] allow[0] "graphics.example.cn/charts" is a URL: write its host alone, such as "graphics.example.cn"`),
		}},
		{"a wildcard", "[embeds]\nallow = [\"*.example.cn\"]\n", nil, []problem.Problem{
			problem.Errorf(ConfigFile, 2, `[embeds] allow[0] "*.example.cn" is a wildcard: list each host, such as "graphics.example.cn"`),
		}},
		{"a lone star", "[embeds]\nallow = [\"*\"]\n", nil, []problem.Problem{
			problem.Errorf(ConfigFile, 2, `[embeds] allow[0] "*" is a wildcard: list each host, such as "graphics.example.cn"`),
		}},
		{"empty and blank", "[embeds]\nallow = [\n  \"ok.example.cn\",\n  \"\",\n  \" \",\n]\n", []string{"ok.example.cn"}, []problem.Problem{
			problem.Errorf(ConfigFile, 4, `[embeds] allow[1] "" is empty: name a host, such as "graphics.example.cn"`),
			problem.Errorf(ConfigFile, 5, `[embeds] allow[2] " " is empty: name a host, such as "graphics.example.cn"`),
		}},
		{"each entry at its line", "base_url = \"https://a.example/\"\n\n[embeds]\nallow = [\n  \"ok.example.cn\",\n  \"bad_host.example.cn\",\n  \"-x.example.cn\",\n  \"x..example.cn\",\n]\n", nil, []problem.Problem{
			problem.Errorf(ConfigFile, 6, `[embeds] allow[1] "bad_host.example.cn" is not a valid host name: '_' is not allowed (write an internationalized name in its xn-- form)`),
			problem.Errorf(ConfigFile, 7, `[embeds] allow[2] "-x.example.cn" is not a valid host name: each dot-separated part has 1 to 63 letters, digits or inner hyphens`),
			problem.Errorf(ConfigFile, 8, `[embeds] allow[3] "x..example.cn" is not a valid host name: each dot-separated part has 1 to 63 letters, digits or inner hyphens`),
		}},
		{"port, IP, single label, spaces, Chinese", "[embeds]\nallow = [\"a.example.cn:8443\", \"10.0.0.1\", \"localhost\", \" a.example.cn\", \"图表.example.cn\"]\n", nil, []problem.Problem{
			problem.Errorf(ConfigFile, 2, `[embeds] allow[0] "a.example.cn:8443" has a port: write the host alone (embeds are https on port 443)`),
			problem.Errorf(ConfigFile, 2, `[embeds] allow[1] "10.0.0.1" is an IP address: name the host`),
			problem.Errorf(ConfigFile, 2, `[embeds] allow[2] "localhost" is not a host name with a domain, such as "graphics.example.cn"`),
			problem.Errorf(ConfigFile, 2, `[embeds] allow[3] " a.example.cn" has spaces around it`),
			problem.Errorf(ConfigFile, 2, `[embeds] allow[4] "图表.example.cn" is not a valid host name: '图' is not allowed (write an internationalized name in its xn-- form)`),
		}},
		{"not a list", "[embeds]\nallow = \"graphics.example.cn\"\n", nil, []problem.Problem{
			problem.Errorf(ConfigFile, 2, "embeds.allow has the wrong type (a list of host names)"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, ps := LoadConfig(siteFS(tt.toml))
			if !slices.Equal(ps, tt.ps) {
				t.Fatalf("LoadConfig(%q) problems:\n%s\nwant:\n%s", tt.toml, list(ps), list(tt.ps))
			}
			if tt.ps != nil {
				if cfg != nil {
					t.Errorf("LoadConfig(%q) gave a Config with errors", tt.toml)
				}
				return
			}
			if !slices.Equal(cfg.EmbedHosts, tt.hosts) {
				t.Errorf("LoadConfig(%q).EmbedHosts = %q; want %q", tt.toml, cfg.EmbedHosts, tt.hosts)
			}
		})
	}
}

func FuzzEmbedHost(f *testing.F) {
	for _, s := range []string{"graphics.example.cn", "", "*", "https://a.b/c", "a..b", "10.0.0.1", "图.cn"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		if embedHostProblem(h) == "" {
			// An accepted host loads, and is the host url.Parse reads
			// in https://h/.
			if u, err := url.Parse("https://" + h + "/"); err != nil || !strings.EqualFold(u.Hostname(), h) {
				t.Errorf("accepted %q, which is not the host of a URL (%v)", h, err)
			}
			if _, ps := LoadConfig(siteFS("[embeds]\nallow = [" + strconv.Quote(h) + "]\n")); len(ps) != 0 {
				t.Errorf("accepted %q but LoadConfig gave %v", h, ps)
			}
		}
	})
}
