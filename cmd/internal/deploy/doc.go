// Package deploy publishes a built site to an S3-compatible object store:
// AWS S3, Cloudflare R2, MinIO, Ceph, Versity.
//
// A deploy compares, then uploads in an order that never breaks a live
// page:
//
//   - Scan hashes the files of the output folder (MD5, what a store gives
//     as the ETag of an object uploaded in one piece).
//   - Store.List lists the objects under the target's prefix with their
//     ETags: no object is read, so deciding that nothing changed costs one
//     request per thousand objects.
//   - NewPlan keeps what the bucket already holds and stages the rest:
//     content-hashed assets, other files, pages new to the bucket, pages
//     that change, then feeds and the sitemap; objects no file has are
//     deleted, pages before the assets they named.
//   - Plan.Apply runs the stages one after the other with bounded
//     concurrency and the S3 client's bounded retries, and deletes only
//     once every upload has succeeded. An interrupted deploy leaves whole
//     objects only; the next one finds them and uploads the rest.
//
// Each object gets the Cache-Control of the _headers policy the build
// writes (CacheControl) and a Content-Type with charset=utf-8 for text
// (ContentType). The S3 client is aws-sdk-go-v2's; credentials come from
// the AWS environment and profile chain, never from the site.
package deploy
