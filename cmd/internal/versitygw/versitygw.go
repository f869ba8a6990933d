// Package versitygw runs VersityGW (github.com/versity/versitygw,
// Apache-2.0), an S3-compatible gateway, for tests: the real store that
// `dateline deploy` is tested against, on a loopback port, with its posix
// backend in a temporary folder.
//
// The binary is found on PATH, in GOBIN or in GOPATH/bin (where .ci/run
// installs it). Without it a test is skipped with the command that
// installs it, and fails under CI=true.
package versitygw

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Install is the command that installs the gateway.
const Install = "go install github.com/versity/versitygw/cmd/versitygw@v1.8.0"

// The gateway's root credentials.
const (
	AccessKey = "datelinetestkey"
	SecretKey = "datelinetestsecret0123456789"
)

// A Gateway is a running VersityGW.
type Gateway struct {
	t    testing.TB
	bin  string
	root string // the posix backend's folder: one folder per bucket
	addr string // 127.0.0.1:PORT

	mu   sync.Mutex
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan struct{}
}

// Start starts a gateway on a free loopback port, stopped when the test
// ends.
func Start(t testing.TB) *Gateway {
	t.Helper()
	bin := find()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("versitygw is not installed (.ci/run installs it: %s)", Install)
		}
		t.Skipf("versitygw is not installed; to run this test: %s", Install)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	g := &Gateway{t: t, bin: bin, root: t.TempDir(), addr: addr}
	g.Restart()
	t.Cleanup(g.Stop)
	return g
}

// find returns the path of the versitygw binary, or "".
func find() string {
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p
	}
	var dirs []string
	if d := os.Getenv("GOBIN"); d != "" {
		dirs = append(dirs, d)
	}
	if d := os.Getenv("GOPATH"); d != "" {
		dirs = append(dirs, filepath.Join(filepath.SplitList(d)[0], "bin"))
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, "go", "bin"))
	}
	for _, d := range dirs {
		p := filepath.Join(d, "versitygw")
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// Endpoint is the gateway's URL: "http://127.0.0.1:PORT".
func (g *Gateway) Endpoint() string { return "http://" + g.addr }

// Root is the folder of the posix backend.
func (g *Gateway) Root() string { return g.root }

// Restart starts the gateway again (after Stop) on the same port and
// folder, and waits until it accepts connections.
func (g *Gateway) Restart() {
	g.t.Helper()
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cmd != nil {
		g.t.Fatal("versitygw: Restart of a running gateway")
	}
	out := &bytes.Buffer{}
	cmd := exec.Command(g.bin, "--port", g.addr, "--quiet", "posix", g.root)
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+AccessKey, "ROOT_SECRET_KEY="+SecretKey)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		g.t.Fatalf("versitygw: %v", err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", g.addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-done:
			g.t.Fatalf("versitygw exited: %s", out)
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-done
			g.t.Fatalf("versitygw does not listen on %s: %s", g.addr, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
	g.cmd, g.out, g.done = cmd, out, done
}

// Stop kills the gateway and waits for it to end. Safe to call twice.
func (g *Gateway) Stop() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cmd == nil {
		return
	}
	g.cmd.Process.Kill()
	<-g.done
	g.cmd = nil
}

// Client returns an S3 client of the gateway with its root credentials,
// for tests to set up and inspect buckets.
func (g *Gateway) Client() *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(g.Endpoint()),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKey, SecretKey, ""),
	})
}

// CreateBucket makes a bucket.
func (g *Gateway) CreateBucket(name string) {
	g.t.Helper()
	_, err := g.Client().CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)})
	if err != nil {
		g.t.Fatalf("create bucket %s: %v", name, err)
	}
}

// UseCredentials sets the AWS environment of the test so that the SDK's
// default chain finds key and secret there and looks nowhere else: no
// profile, no config file, no instance metadata.
func UseCredentials(t testing.TB, key, secret string) {
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID":           key,
		"AWS_SECRET_ACCESS_KEY":       secret,
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_CONFIG_FILE":             filepath.Join(t.TempDir(), "no-config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(t.TempDir(), "no-credentials"),
	} {
		t.Setenv(k, v)
	}
	for _, k := range []string{"AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
		"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
		"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
}
