// Package e2e drives a real OpenECS server with the official Alibaba Cloud Go
// SDK, as users do. Each test starts its own server (in-process, on a free
// port, with its own database) unless it needs a separate process (crash
// tests exec the real binary).
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openecs/openecs/app"
	"github.com/openecs/openecs/internal/testbin"
)

const adminToken = "e2e-admin-token"

func TestMain(m *testing.M) {
	// The SDK honours HTTP_PROXY even for loopback (docs/protocol.md, "A request").
	for _, v := range []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"} {
		os.Unsetenv(v)
	}
	os.Setenv("NO_PROXY", "127.0.0.1,localhost")
	announcePostgresPass()
	code := m.Run()
	testbin.Cleanup() // the openecs binary the process tests built
	os.Exit(code)
}

// env is one running server with helpers.
type env struct {
	t      *testing.T
	app    *app.App    // nil when the server is another process
	remote string      // that process's address
	ecs    *ecs.Client // the bootstrap account (test/test)
}

// addr is the server's host:port.
func (e *env) addr() string {
	if e.app != nil {
		return e.app.Addr()
	}
	return e.remote
}

// endpoint is the server's base URL.
func (e *env) endpoint() string { return "http://" + e.addr() }

type option func(*app.Config)

func withDelay(d time.Duration) option { return func(c *app.Config) { c.TransitionDelay = d } }
func withGrace(d time.Duration) option { return func(c *app.Config) { c.OverdueGrace = d } }
func withThrottle(rate float64) option {
	return func(c *app.Config) { c.ThrottleRate = rate; c.ThrottleBurst = 1 }
}
func withWall(f func() time.Time) option { return func(c *app.Config) { c.Wall = f } }
func withDataDir(dir string) option      { return func(c *app.Config) { c.DataDir = dir } }

// newEnv starts a server with a zero transition delay (transitions complete
// in the call's commit) unless told otherwise.
func newEnv(t *testing.T, opts ...option) *env {
	t.Helper()
	cfg := app.Defaults()
	cfg.Addr = "127.0.0.1:0"
	cfg.DataDir = t.TempDir()
	cfg.AdminToken = adminToken
	cfg.TransitionDelay = 0
	cfg.Synchronous = "NORMAL"
	cfg.Store = storeURL(t)
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	for _, o := range opts {
		o(&cfg)
	}
	a, err := app.New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("starting OpenECS: %v", err)
	}
	if err := a.Start(); err != nil {
		t.Fatalf("starting OpenECS: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		a.Shutdown(ctx) //nolint:errcheck
	})
	e := &env{t: t, app: a}
	e.ecs = e.client("test", "test")
	return e
}

// storeURL picks the store for this test run: SQLite by default, PostgreSQL
// when OPENECS_TEST_POSTGRES names a server (each test gets its own database).
func storeURL(t *testing.T) string {
	return testPostgresURL(t)
}

// testPostgresURL is replaced by the PostgreSQL side of the suite.
var testPostgresURL = func(t *testing.T) string { return "" }

// sdkMu serialises making SDK clients: the SDK fills a package-level
// endpoint map lazily and unguarded, which parallel tests would race on. A
// client itself is not safe for concurrent calls either (it rewrites its
// timeout on each call), so concurrent tests give each goroutine its own.
var sdkMu sync.Mutex

// client returns an SDK client for an AccessKey pair, pointed at the server.
func (e *env) client(keyID, secret string) *ecs.Client {
	e.t.Helper()
	sdkMu.Lock()
	defer sdkMu.Unlock()
	c, err := ecs.NewClientWithAccessKey("cn-hangzhou", keyID, secret)
	if err != nil {
		e.t.Fatal(err)
	}
	c.Domain = e.addr()
	return c
}

// stsClient returns an SDK client signing with STS credentials.
func (e *env) stsClient(keyID, secret, token string) *ecs.Client {
	e.t.Helper()
	sdkMu.Lock()
	defer sdkMu.Unlock()
	c, err := ecs.NewClientWithStsToken("cn-hangzhou", keyID, secret, token)
	if err != nil {
		e.t.Fatal(err)
	}
	c.Domain = e.addr()
	return c
}

// admin makes an admin API call and decodes the JSON answer; it fails the
// test on a status other than want.
func (e *env) admin(method, path string, body any, want int) map[string]any {
	e.t.Helper()
	status, out := e.adminRaw(method, path, body)
	if status != want {
		e.t.Fatalf("%s %s: status %d, want %d: %v", method, path, status, want, out)
	}
	return out
}

func (e *env) adminRaw(method, path string, body any) (int, map[string]any) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.endpoint()+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		e.t.Fatalf("%s %s: decoding the answer: %v", method, path, err)
	}
	return resp.StatusCode, out
}

// account is an account made through the admin API.
type account struct {
	ID     string
	Key    string
	Secret string
	ECS    *ecs.Client
}

func (e *env) newAccount(balance string) *account {
	e.t.Helper()
	out := e.admin("POST", "/admin/v1/accounts", map[string]any{"name": e.t.Name(), "balance": balance}, 201)
	a := &account{ID: out["account_id"].(string), Key: out["access_key_id"].(string), Secret: out["access_key_secret"].(string)}
	a.ECS = e.client(a.Key, a.Secret)
	return a
}

func (e *env) advance(d string) {
	e.t.Helper()
	e.admin("POST", "/admin/v1/clock/advance", map[string]any{"duration": d}, 200)
}

func (e *env) balance(accountID string) string {
	e.t.Helper()
	return e.admin("GET", "/admin/v1/accounts/"+accountID, nil, 200)["balance"].(string)
}

// apiError asserts err is the ECS error code with the HTTP status.
func apiError(t *testing.T, err error, code string, status int) *sdkerrors.ServerError {
	t.Helper()
	if err == nil {
		t.Fatalf("call succeeded; want %s (%d)", code, status)
	}
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("error %v is not a server error; want %s (%d)", err, code, status)
	}
	if se.ErrorCode() != code || se.HttpStatus() != status {
		t.Fatalf("got %s (%d) %q; want %s (%d)", se.ErrorCode(), se.HttpStatus(), se.Message(), code, status)
	}
	return se
}

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("call failed: %v", err)
	}
}

const (
	region = "cn-hangzhou"
	image  = "aliyun_3_x64_20G_alibase_20240819.vhd"
	itype  = "ecs.g7.large"
)

// run creates pay-as-you-go instances with RunInstances and returns their ids.
func run(t *testing.T, c *ecs.Client, amount int, mutate ...func(*ecs.RunInstancesRequest)) []string {
	t.Helper()
	req := ecs.CreateRunInstancesRequest()
	req.RegionId, req.ImageId, req.InstanceType = region, image, itype
	if amount > 1 {
		req.Amount = requestsInt(amount)
	}
	for _, m := range mutate {
		m(req)
	}
	resp, err := c.RunInstances(req)
	ok(t, err)
	if len(resp.InstanceIdSets.InstanceIdSet) != amount {
		t.Fatalf("RunInstances made %d instances, want %d", len(resp.InstanceIdSets.InstanceIdSet), amount)
	}
	return resp.InstanceIdSets.InstanceIdSet
}

// describe returns one instance through DescribeInstances.
func describe(t *testing.T, c *ecs.Client, id string) ecs.Instance {
	t.Helper()
	req := ecs.CreateDescribeInstancesRequest()
	req.RegionId = region
	req.InstanceIds = fmt.Sprintf(`["%s"]`, id)
	resp, err := c.DescribeInstances(req)
	ok(t, err)
	if len(resp.Instances.Instance) != 1 {
		t.Fatalf("DescribeInstances(%s) found %d instances", id, len(resp.Instances.Instance))
	}
	return resp.Instances.Instance[0]
}

func status(t *testing.T, c *ecs.Client, id string) string {
	t.Helper()
	return describe(t, c, id).Status
}

func wantStatus(t *testing.T, c *ecs.Client, id, want string) {
	t.Helper()
	if got := status(t, c, id); got != want {
		t.Fatalf("%s is %s, want %s", id, got, want)
	}
}

func start(c *ecs.Client, id string) error {
	req := ecs.CreateStartInstanceRequest()
	req.InstanceId = id
	_, err := c.StartInstance(req)
	return err
}

func stop(c *ecs.Client, id string, mode string) error {
	req := ecs.CreateStopInstanceRequest()
	req.InstanceId = id
	req.StoppedMode = mode
	_, err := c.StopInstance(req)
	return err
}

func reboot(c *ecs.Client, id string) error {
	req := ecs.CreateRebootInstanceRequest()
	req.InstanceId = id
	_, err := c.RebootInstance(req)
	return err
}

func tempDir(t *testing.T) string { return filepath.Join(t.TempDir(), "data") }
