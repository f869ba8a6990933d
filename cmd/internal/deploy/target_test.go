package deploy

import (
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Target
		err  string // in the error, when one is expected
	}{
		{in: "s3://news-site", want: Target{Bucket: "news-site"}},
		{in: "s3://news-site/", want: Target{Bucket: "news-site"}},
		{in: "s3://news-site/staging", want: Target{Bucket: "news-site", Prefix: "staging/"}},
		{in: "s3://news-site/a/b/?region=eu-west-1", want: Target{Bucket: "news-site", Prefix: "a/b/", Region: "eu-west-1"}},
		{in: "s3://site?endpoint=http://127.0.0.1:7070&region=us-east-1",
			want: Target{Bucket: "site", Region: "us-east-1", Endpoint: "http://127.0.0.1:7070"}},
		{in: "s3://site?endpoint=https://acct.r2.cloudflarestorage.com/&region=auto",
			want: Target{Bucket: "site", Region: "auto", Endpoint: "https://acct.r2.cloudflarestorage.com"}},
		{in: "https://news-site/", err: "is not an S3 URL"},
		{in: "news-site", err: "is not an S3 URL"},
		{in: "s3:news-site", err: "is not an S3 URL"},
		{in: "s3://", err: "bucket \"\" must be"},
		{in: "s3://Site", err: "bucket \"Site\" must be"},
		{in: "s3://key:secret@site", err: "must not hold credentials"},
		{in: "s3://site/a//b", err: "must be a clean path"},
		{in: "s3://site/a/../b", err: "must be a clean path"},
		{in: "s3://site?regoin=x", err: `unknown parameter "regoin"`},
		{in: "s3://site?region=", err: "give region once"},
		{in: "s3://site?region=a&region=b", err: "give region once"},
		{in: "s3://site?endpoint=127.0.0.1:7070", err: "must be an http or https URL"},
		{in: "s3://site?endpoint=ftp://host", err: "must be an http or https URL"},
		{in: "s3://site#x", err: "must not have a fragment"},
	} {
		got, err := ParseURL(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseURL(%q) error = %v; want one containing %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseURL(%q): %v", tc.in, err)
			continue
		}
		if *got != tc.want {
			t.Errorf("ParseURL(%q) = %+v; want %+v", tc.in, *got, tc.want)
		}
	}
}

// FuzzParseURL: no panic, and a target it accepts is one whose keys stay
// under a clean prefix of a valid bucket.
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"s3://site", "s3://site/a/b?region=r&endpoint=http://127.0.0.1:1", "s3://a/../b", "s3://x?%zz", "s3://b/\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tg, err := ParseURL(s)
		if err != nil {
			return
		}
		if !validBucket(tg.Bucket) {
			t.Errorf("ParseURL(%q) accepted bucket %q", s, tg.Bucket)
		}
		if tg.Prefix != "" && (!strings.HasSuffix(tg.Prefix, "/") || strings.HasPrefix(tg.Prefix, "/") || strings.Contains(tg.Prefix, "//")) {
			t.Errorf("ParseURL(%q) prefix = %q", s, tg.Prefix)
		}
	})
}
