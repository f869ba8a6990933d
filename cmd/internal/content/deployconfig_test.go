package content

import (
	"reflect"
	"strings"
	"testing"
)

// TestDeployTargets reads [deploy.NAME] tables: url, base_url (normalized)
// and noindex, by name, with the url's line; and says what is wrong with
// a bad one at its line.
func TestDeployTargets(t *testing.T) {
	cfg, ps := parseConfig([]byte(`base_url = "https://news.example.org/"

[deploy.staging]
url = "s3://news/staging?endpoint=http://127.0.0.1:7070"
base_url = "https://staging.example.org"
noindex = true

[deploy.production]
url = "s3://news?region=eu-west-1"
`))
	if cfg == nil || len(ps) > 0 {
		t.Fatalf("parseConfig: %v", ps)
	}
	want := []DeployTarget{
		{Name: "production", URL: "s3://news?region=eu-west-1", Line: 9},
		{Name: "staging", URL: "s3://news/staging?endpoint=http://127.0.0.1:7070", BaseURL: "https://staging.example.org/", NoIndex: true, Line: 4},
	}
	if !reflect.DeepEqual(cfg.Deploy, want) {
		t.Errorf("Deploy = %+v\nwant %+v", cfg.Deploy, want)
	}

	for _, tc := range []struct{ toml, want string }{
		{"[deploy.prod]\nbase_url = \"https://x.org/\"\n", "content/site.toml:1: deploy.prod.url is missing"},
		{"[deploy.prod]\nurl = \"https://bucket/\"\n", "content/site.toml:2: deploy.prod.url \"https://bucket/\" must begin with s3://"},
		{"[deploy.Prod]\nurl = \"s3://b\"\n", "content/site.toml:1: deploy target name \"Prod\" must be lowercase"},
		{"[deploy.prod]\nurl = \"s3://b\"\nbase_url = \"staging.org\"\n", "content/site.toml:3: deploy.prod.base_url \"staging.org\" must be an absolute http or https URL"},
		{"[deploy.prod]\nurl = \"s3://b\"\nnoindex = \"yes\"\n", "deploy.prod.noindex has the wrong type (true or false)"},
		{"[deploy.prod]\nurl = \"s3://b\"\nkey = \"secret\"\n", "content/site.toml:3: warning: unknown setting \"deploy.prod.key\""},
	} {
		_, ps := parseConfig([]byte(tc.toml))
		var got []string
		for _, p := range ps {
			got = append(got, p.String())
		}
		if !strings.Contains(strings.Join(got, "\n"), tc.want) {
			t.Errorf("parseConfig(%q) problems = %q; want %q", tc.toml, got, tc.want)
		}
	}
}
