// Package replicas tests OpenECS as several replicas on one PostgreSQL
// database: shared clock, nonces and idempotency tokens, scheduled work
// claimed once, database outages, and a three-process crash test under load
// from the official SDK. Every test needs OPENECS_TEST_POSTGRES (they skip
// without it, and fail with OPENECS_TEST_POSTGRES_REQUIRED=1).
package replicas

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/adminapi"
	"github.com/openecs/openecs/app"
	"github.com/openecs/openecs/client"
	"github.com/openecs/openecs/internal/testbin"
	"github.com/openecs/openecs/postgres/pgtest"
)

const (
	adminToken = "replicas-admin-token"
	region     = "cn-hangzhou"
	image      = "aliyun_3_x64_20G_alibase_20240819.vhd"
	itype      = "ecs.g7.large"
)

func TestMain(m *testing.M) {
	// The SDK honours HTTP_PROXY even for loopback (docs/protocol.md, "A request").
	for _, v := range []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"} {
		os.Unsetenv(v)
	}
	os.Setenv("NO_PROXY", "127.0.0.1,localhost")
	pgtest.Main(m, "the replica tests", testbin.Cleanup)
}

// replica is one in-process OpenECS on the shared database.
type replica struct {
	app   *app.App
	addr  string
	admin *client.Admin
}

// cluster is n in-process replicas on one fresh database.
type cluster struct {
	t        *testing.T
	url      string
	replicas []*replica
}

type option func(*app.Config)

func withDelay(d time.Duration) option { return func(c *app.Config) { c.TransitionDelay = d } }

// withTimeouts sets the PostgreSQL connect and query timeouts.
func withTimeouts(d time.Duration) option {
	return func(c *app.Config) { c.PGConnectTimeout, c.PGQueryTimeout = d, d }
}

// config is what every replica of a test runs with.
func config(t *testing.T, url string, opts ...option) app.Config {
	cfg := app.Defaults()
	cfg.Addr = "127.0.0.1:0"
	cfg.DataDir = t.TempDir()
	cfg.AdminToken = adminToken
	cfg.TransitionDelay = 0
	cfg.Store = url
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	for _, o := range opts {
		o(&cfg)
	}
	return cfg
}

// newCluster starts n replicas on a fresh database, all at once (as a
// deployment does), with their schedulers running unless scheduler is false.
func newCluster(t *testing.T, n int, scheduler bool, opts ...option) *cluster {
	t.Helper()
	c := &cluster{t: t, url: pgtest.NewDatabase(t), replicas: make([]*replica, n)}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.replicas[i], errs[i] = c.start(scheduler, opts...)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("starting replica %d: %v", i, err)
		}
	}
	return c
}

// start starts one more replica.
func (c *cluster) start(scheduler bool, opts ...option) (*replica, error) {
	a, err := app.New(context.Background(), config(c.t, c.url, opts...))
	if err != nil {
		return nil, err
	}
	addr := ""
	if scheduler {
		if err := a.Start(); err != nil {
			return nil, err
		}
		addr = a.Addr()
	} else {
		// Serve the handler without the background scheduler: only calls
		// move this replica (its clock, its jobs).
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		srv := &http.Server{Handler: a.Handler()}
		go srv.Serve(ln) //nolint:errcheck
		c.t.Cleanup(func() { srv.Close() })
		addr = ln.Addr().String()
	}
	c.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		a.Shutdown(ctx) //nolint:errcheck
	})
	return &replica{app: a, addr: addr, admin: &client.Admin{Endpoint: "http://" + addr, Token: adminToken}}, nil
}

// sdk returns an SDK client for the AccessKey pair, pointed at replica i.
func (c *cluster) sdk(i int, key, secret string) *ecs.Client {
	c.t.Helper()
	return sdkClient(c.t, c.replicas[i].addr, key, secret)
}

func sdkClient(t testing.TB, addr, key, secret string) *ecs.Client {
	t.Helper()
	cl, err := ecs.NewClientWithAccessKey(region, key, secret)
	if err != nil {
		t.Fatal(err)
	}
	cl.Domain = addr
	return cl
}

// account makes an account (through replica 0) and returns its key pair.
func (c *cluster) account(balance string) (id, key, secret string) {
	c.t.Helper()
	a, err := c.replicas[0].admin.CreateAccount(context.Background(), adminapi.CreateAccount{Name: c.t.Name(), Balance: ptr(openecs.MustMoney(balance))})
	if err != nil {
		c.t.Fatalf("creating an account: %v", err)
	}
	return a.AccountID, a.AccessKeyID, a.AccessKeySecret
}

// runInstance creates one pay-as-you-go instance and returns its id.
func runInstance(cl *ecs.Client, token string) (string, error) {
	req := ecs.CreateRunInstancesRequest()
	req.RegionId, req.ImageId, req.InstanceType = region, image, itype
	req.ClientToken = token
	resp, err := cl.RunInstances(req)
	if err != nil {
		return "", err
	}
	if len(resp.InstanceIdSets.InstanceIdSet) != 1 {
		return "", fmt.Errorf("RunInstances made %d instances, want 1", len(resp.InstanceIdSets.InstanceIdSet))
	}
	return resp.InstanceIdSets.InstanceIdSet[0], nil
}

func describe(t testing.TB, cl *ecs.Client, id string) ecs.Instance {
	t.Helper()
	req := ecs.CreateDescribeInstancesRequest()
	req.RegionId = region
	req.InstanceIds = fmt.Sprintf(`["%s"]`, id)
	resp, err := cl.DescribeInstances(req)
	if err != nil {
		t.Fatalf("DescribeInstances(%s): %v", id, err)
	}
	if len(resp.Instances.Instance) != 1 {
		t.Fatalf("DescribeInstances(%s) found %d instances", id, len(resp.Instances.Instance))
	}
	return resp.Instances.Instance[0]
}

func describeReq() *ecs.DescribeInstancesRequest {
	req := ecs.CreateDescribeInstancesRequest()
	req.RegionId = region
	return req
}

func stop(cl *ecs.Client, id string) error {
	req := ecs.CreateStopInstanceRequest()
	req.InstanceId = id
	req.StoppedMode = "KeepCharging"
	_, err := cl.StopInstance(req)
	return err
}

func start(cl *ecs.Client, id string) error {
	req := ecs.CreateStartInstanceRequest()
	req.InstanceId = id
	_, err := cl.StartInstance(req)
	return err
}

func reboot(cl *ecs.Client, id string) error {
	req := ecs.CreateRebootInstanceRequest()
	req.InstanceId = id
	_, err := cl.RebootInstance(req)
	return err
}

// apiCode returns the ECS error code and HTTP status of an SDK error ("" if
// err is not an answer from the server).
func apiCode(err error) (string, int) {
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		return se.ErrorCode(), se.HttpStatus()
	}
	return "", 0
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
