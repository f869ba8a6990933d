package deploy

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// A Target is where a site is published: a bucket, a key prefix inside
// it, and how to reach the store.
type Target struct {
	Bucket string
	// Prefix is put before every object key: "" or a path ending in "/"
	// ("staging/"). Nothing outside it is listed, changed or deleted.
	Prefix string
	// Region is the store's region; "" takes it from the AWS environment
	// or profile (AWS_REGION), or "us-east-1" for a store with an Endpoint.
	Region string
	// Endpoint is the store's URL ("http://127.0.0.1:7070",
	// "https://ACCOUNT.r2.cloudflarestorage.com"); "" means AWS S3. With an
	// endpoint, requests use path-style addressing (ENDPOINT/BUCKET/KEY),
	// as S3-compatible stores expect.
	Endpoint string
}

// ParseURL reads a target's url setting:
//
//	s3://BUCKET[/PREFIX][?region=REGION][&endpoint=URL]
//
// The error completes a sentence beginning with the setting's name.
func ParseURL(s string) (*Target, error) {
	const form = "s3://BUCKET/PREFIX?region=…&endpoint=…"
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "s3" || u.Opaque != "" {
		return nil, fmt.Errorf("%q is not an S3 URL (%s)", s, form)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%q must not hold credentials: they come from the AWS environment or profile (AWS_ACCESS_KEY_ID, AWS_PROFILE)", s)
	}
	if u.Fragment != "" {
		return nil, fmt.Errorf("%q must not have a fragment", s)
	}
	if !validBucket(u.Host) {
		return nil, fmt.Errorf("%q: bucket %q must be 3 to 63 lowercase letters, digits, dots and hyphens (%s)", s, u.Host, form)
	}
	t := &Target{Bucket: u.Host, Prefix: strings.Trim(u.Path, "/")}
	if t.Prefix != "" {
		for _, part := range strings.Split(t.Prefix, "/") {
			if part == "" || part == "." || part == ".." {
				return nil, fmt.Errorf("%q: prefix %q must be a clean path", s, t.Prefix)
			}
		}
		t.Prefix += "/"
	}
	q := u.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := q[k]
		if len(v) != 1 || v[0] == "" {
			return nil, fmt.Errorf("%q: give %s once, with a value", s, k)
		}
		switch k {
		case "region":
			t.Region = v[0]
		case "endpoint":
			e, err := url.Parse(v[0])
			if err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" || e.RawQuery != "" || e.Fragment != "" {
				return nil, fmt.Errorf("%q: endpoint %q must be an http or https URL such as \"https://s3.example.net\"", s, v[0])
			}
			t.Endpoint = strings.TrimSuffix(e.String(), "/")
		default:
			return nil, fmt.Errorf("%q: unknown parameter %q (use region and endpoint)", s, k)
		}
	}
	return t, nil
}

// String is the target as a URL without its parameters: "s3://bucket/prefix/".
func (t *Target) String() string { return "s3://" + t.Bucket + "/" + t.Prefix }

// validBucket is a loose check of an S3 bucket name.
func validBucket(s string) bool {
	if len(s) < 3 || len(s) > 63 {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}
