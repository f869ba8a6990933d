package deploy

import (
	"fmt"
	"slices"
	"testing"
)

func TestNewPlan(t *testing.T) {
	tg := &Target{Bucket: "site", Prefix: "news/"}
	local := []File{
		{Path: "assets/css/site.1111111111.css", Size: 10, MD5: "aa"},
		{Path: "assets/photos/new.2222222222.jpg", Size: 20, MD5: "bb"},
		{Path: "en/feed.xml", Size: 5, MD5: "cc"},
		{Path: "en/index.html", Size: 7, MD5: "dd"},
		{Path: "en/new-report/index.html", Size: 8, MD5: "ee"},
		{Path: "en/old-report/index.html", Size: 9, MD5: "ff"},
		{Path: "robots.txt", Size: 3, MD5: "11"},
		{Path: "sitemap.xml", Size: 4, MD5: "22"},
		{Path: "sitemap-lists.xml", Size: 4, MD5: "33"},
	}
	stored := []Object{
		{Key: "news/assets/css/site.1111111111.css", Size: 10, ETag: "AA"}, // same (ETag case differs)
		{Key: "news/assets/photos/gone.3333333333.jpg", Size: 30, ETag: "x"},
		{Key: "news/en/feed.xml", Size: 5, ETag: "old"},
		{Key: "news/en/index.html", Size: 6, ETag: "dd"}, // same hash, other size: changed
		{Key: "news/en/old-report/index.html", Size: 9, ETag: "ff"},
		{Key: "news/en/gone-report/index.html", Size: 9, ETag: "y"},
		{Key: "news/en/gone-report/data.csv", Size: 2, ETag: "z"},
		{Key: "news/robots.txt", Size: 3, ETag: "11"},
	}
	p := NewPlan(tg, local, stored)
	var ups []string
	for _, u := range p.Uploads {
		ups = append(ups, fmt.Sprintf("%s %s", u.Stage, u.Key))
	}
	wantUps := []string{
		"assets news/assets/photos/new.2222222222.jpg",
		"new pages news/en/new-report/index.html",
		"changed pages news/en/index.html",
		"feeds and sitemap news/en/feed.xml",
		"feeds and sitemap news/sitemap-lists.xml",
		"sitemap index news/sitemap.xml",
	}
	if !slices.Equal(ups, wantUps) {
		t.Errorf("uploads:\n%q\nwant\n%q", ups, wantUps)
	}
	var dels []string
	for _, o := range p.Deletes {
		dels = append(dels, o.Key)
	}
	wantDels := []string{
		"news/en/gone-report/index.html",
		"news/en/gone-report/data.csv",
		"news/assets/photos/gone.3333333333.jpg",
	}
	if !slices.Equal(dels, wantDels) {
		t.Errorf("deletes = %q; want %q", dels, wantDels)
	}
	if p.Unchanged != 3 || p.UnchangedBytes != 22 {
		t.Errorf("unchanged = %d (%d B); want 3 (22 B)", p.Unchanged, p.UnchangedBytes)
	}
	if p.UploadBytes() != 20+8+7+5+4+4 || p.DeleteBytes() != 41 {
		t.Errorf("bytes: upload %d, delete %d; want 48, 41", p.UploadBytes(), p.DeleteBytes())
	}

	same := NewPlan(tg, local[:1], stored[:1])
	if !same.Empty() {
		t.Errorf("a bucket holding the site: plan not empty: %+v", same)
	}
}
