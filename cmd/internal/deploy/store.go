package deploy

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// Attempts is how many times a request is tried before a deploy gives up
// on it: a dropped connection or a busy store is retried, with backoff.
const Attempts = 4

// maxBackoff bounds the wait between two attempts.
const maxBackoff = 2 * time.Second

// A Store is a connection to the bucket of a Target, through the AWS SDK's
// S3 client. It is safe for concurrent use.
type Store struct {
	t      *Target
	client *s3.Client
}

// Open prepares the client of t's store. Credentials come from the AWS
// SDK's default chain: the environment (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), the shared config and
// credentials files (AWS_PROFILE), then the roles of the machine. Open
// fails when the chain gives none; whether the store takes them shows at
// the first request.
func Open(ctx context.Context, t *Target, concurrency int) (*Store, error) {
	httpClient := awshttp.NewBuildableClient().
		WithTransportOptions(func(tr *http.Transport) { tr.MaxIdleConnsPerHost = max(concurrency, 2) }).
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = 10 * time.Second })
	opts := []func(*config.LoadOptions) error{
		config.WithHTTPClient(httpClient),
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = Attempts
				o.MaxBackoff = maxBackoff
				// Every failing request retries, whatever its neighbours
				// did: the attempts bound the time, not a shared quota.
				o.RateLimiter = ratelimit.None
			})
		}),
	}
	if t.Region != "" {
		opts = append(opts, config.WithRegion(t.Region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("%s: AWS configuration: %v", t, err)
	}
	if cfg.Region == "" {
		if t.Endpoint == "" {
			return nil, fmt.Errorf("%s: no region: add ?region=… to the target's url or set AWS_REGION", t)
		}
		cfg.Region = "us-east-1" // what S3-compatible stores answer to when they have no regions
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return nil, fmt.Errorf("%s: no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (%v)", t, rootCause(err))
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		if t.Endpoint != "" {
			o.BaseEndpoint = aws.String(t.Endpoint)
			o.UsePathStyle = true
		}
		// Content-MD5 on every upload guards the bytes; the SDK's own
		// checksums are left to the operations that require one, which
		// every S3-compatible store understands.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	return &Store{t: t, client: client}, nil
}

// List returns every object under the target's prefix, with the ETags
// the store keeps: one ListObjectsV2 request per thousand objects, no
// object read. The folders at the top of the prefix (assets/, one per
// language) are listed side by side.
func (s *Store) List(ctx context.Context) ([]Object, error) {
	objs, folders, err := s.list(ctx, s.t.Prefix, "/")
	if err != nil {
		return nil, err
	}
	inside := make([][]Object, len(folders))
	err = each(ctx, 8, len(folders), func(ctx context.Context, i int) error {
		var err error
		inside[i], _, err = s.list(ctx, folders[i], "")
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, o := range inside {
		objs = append(objs, o...)
	}
	return objs, nil
}

// Check makes one small request to the bucket: whether the credentials
// are taken, the bucket exists and the store answers.
func (s *Store) Check(ctx context.Context) error {
	in := &s3.ListObjectsV2Input{Bucket: aws.String(s.t.Bucket), MaxKeys: aws.Int32(1)}
	if s.t.Prefix != "" {
		in.Prefix = aws.String(s.t.Prefix)
	}
	if _, err := s.client.ListObjectsV2(ctx, in); err != nil {
		return s.explain("list", err)
	}
	return nil
}

// list lists the objects under prefix; with a delimiter, also the
// folders (common prefixes) it does not descend into.
func (s *Store) list(ctx context.Context, prefix, delimiter string) ([]Object, []string, error) {
	var (
		objs    []Object
		folders []string
	)
	in := &s3.ListObjectsV2Input{Bucket: aws.String(s.t.Bucket)}
	if prefix != "" {
		in.Prefix = aws.String(prefix)
	}
	if delimiter != "" {
		in.Delimiter = aws.String(delimiter)
	}
	pages := s3.NewListObjectsV2Paginator(s.client, in)
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, nil, s.explain("list", err)
		}
		for _, o := range page.Contents {
			objs = append(objs, Object{
				Key:  aws.ToString(o.Key),
				Size: aws.ToInt64(o.Size),
				ETag: strings.Trim(aws.ToString(o.ETag), `"`),
			})
		}
		for _, p := range page.CommonPrefixes {
			folders = append(folders, aws.ToString(p.Prefix))
		}
	}
	return objs, folders, nil
}

// put uploads the file of u from the output folder dir, in one piece (so
// that its ETag is its MD5), with its headers. The store checks the bytes
// against the MD5 of the plan: a file changed since the plan is refused,
// never stored under the wrong hash.
func (s *Store) put(ctx context.Context, dir string, u Upload) error {
	data, err := os.ReadFile(dir + string(os.PathSeparator) + u.Path)
	if err != nil {
		return err
	}
	sum, err := hex.DecodeString(u.MD5)
	if err != nil || len(sum) != md5.Size {
		return fmt.Errorf("%s: bad MD5 %q in the plan", u.Path, u.MD5)
	}
	_, err = s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(s.t.Bucket),
		Key:           aws.String(u.Key),
		Body:          bytes.NewReader(data),
		ContentLength: aws.Int64(int64(len(data))),
		ContentMD5:    aws.String(base64.StdEncoding.EncodeToString(sum)),
		ContentType:   aws.String(ContentType(u.Path)),
		CacheControl:  aws.String(CacheControl(u.Path)),
	})
	if err != nil {
		return s.explain("upload "+u.Key, err)
	}
	return nil
}

// remove deletes one object. A key the store no longer holds is no error.
func (s *Store) remove(ctx context.Context, key string) error {
	_, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{
		Bucket: aws.String(s.t.Bucket),
		Key:    aws.String(key),
	})
	if err != nil {
		return s.explain("delete "+key, err)
	}
	return nil
}

// where names the store in messages.
func (s *Store) where() string {
	if s.t.Endpoint != "" {
		return s.t.Endpoint
	}
	return "AWS S3"
}

// explain turns an error of the SDK into one line that says what to do.
func (s *Store) explain(op string, err error) error {
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("%s: %s: interrupted", s.t, op)
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch code := ae.ErrorCode(); code {
		case "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken",
			"InvalidClientTokenId", "AuthorizationHeaderMalformed", "Unauthorized",
			"XAdminUserNotFound": // VersityGW's word for an unknown key
			return fmt.Errorf("%s: %s refused the credentials (%s): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE", s.t, s.where(), code)
		case "AccessDenied", "Forbidden":
			return fmt.Errorf("%s: %s: access denied: the credentials may not use this bucket", s.t, op)
		case "NoSuchBucket":
			return fmt.Errorf("%s: bucket %q does not exist at %s", s.t, s.t.Bucket, s.where())
		}
		var re *awshttp.ResponseError
		if errors.As(err, &re) && (re.HTTPStatusCode() == 401 || re.HTTPStatusCode() == 403) {
			// Another store's word for a key it does not take.
			return fmt.Errorf("%s: %s refused the credentials (%s: %s): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE",
				s.t, s.where(), ae.ErrorCode(), ae.ErrorMessage())
		}
		switch code := ae.ErrorCode(); code {
		default:
			msg := ae.ErrorMessage()
			if msg == "" {
				msg = "failed"
			}
			return fmt.Errorf("%s: %s: %s (%s)", s.t, op, msg, code)
		}
	}
	var attempts *retry.MaxAttemptsError
	tries := ""
	if errors.As(err, &attempts) {
		tries = fmt.Sprintf(" after %d attempts", attempts.Attempt)
	}
	var dns *net.DNSError
	var op2 *net.OpError
	switch {
	case errors.As(err, &dns):
		return fmt.Errorf("%s: cannot reach %s%s: no such host %s", s.t, s.where(), tries, dns.Name)
	case errors.As(err, &op2) && op2.Op == "dial":
		return fmt.Errorf("%s: cannot reach %s%s: %v", s.t, s.where(), tries, rootCause(op2))
	case errors.As(err, &op2), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%s: %s: the connection to %s was dropped%s: %v", s.t, op, s.where(), tries, rootCause(err))
	}
	return fmt.Errorf("%s: %s%s: %v", s.t, op, tries, rootCause(err))
}

// rootCause is the innermost error of a chain, whose message says what
// happened without the SDK's layers of context.
func rootCause(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}
