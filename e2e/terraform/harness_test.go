// Package terraform drives a real `openecs serve` with the real Terraform
// and the real aliyun/alicloud provider, unchanged: each test copies a
// configuration from testdata/, points the provider at its own server and
// runs apply, plan (which must find no change), further applies with new
// variables, and destroy, then checks the server holds nothing.
//
// Terraform must be on PATH and the provider is unpacked from the shared
// tools folder beside the repository (../shared/tools, or the folder
// OPENECS_SHARED_TOOLS names), and kept in the user's cache folder. Without
// them the tests skip with one line (as they do with go test -short), unless
// OPENECS_TEST_TERRAFORM_REQUIRED=1 (CI), which makes that a failure. Each
// Terraform command has a timeout (OPENECS_TEST_TERRAFORM_TIMEOUT, default
// 5m); OPENECS_TEST_TERRAFORM_TIMES names a file to which every cycle appends
// its time. docs/terraform-tests.md says how to add a configuration.
//
// On a failure the test prints every Terraform command it ran with its
// output, and the server's log, which has one debug line per API call
// (action, HTTP status, code): what the provider asked and what it was told.
package terraform

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/openecs/openecs/client"
	"github.com/openecs/openecs/internal/testbin"
)

const adminToken = "terraform-admin-token"

func TestMain(m *testing.M) {
	// The provider, like the SDK, would send loopback calls through a proxy.
	for _, v := range []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"} {
		os.Unsetenv(v)
	}
	os.Setenv("NO_PROXY", "127.0.0.1,localhost")
	code := m.Run()
	if tempProvider {
		os.RemoveAll(providerDir)
	}
	testbin.Cleanup()
	os.Exit(code)
}

// ---- the tools ---------------------------------------------------------------

var (
	toolsOnce   sync.Once
	terraform   string // path of the terraform binary
	providerDir string // directory holding the unpacked terraform-provider-alicloud
	toolsErr    error  // why the tools are missing
	// tempProvider says providerDir is a temporary folder to remove at the
	// end (there was no user cache folder).
	tempProvider bool
)

// requireTools finds Terraform and unpacks the provider (once per test
// binary). When either is missing the test is skipped with one line, or
// fails if OPENECS_TEST_TERRAFORM_REQUIRED=1.
func requireTools(t *testing.T) {
	t.Helper()
	if testing.Short() && os.Getenv("OPENECS_TEST_TERRAFORM_REQUIRED") != "1" {
		t.Skip("Terraform tests skipped in -short mode")
	}
	toolsOnce.Do(func() { terraform, providerDir, toolsErr = findTools() })
	if toolsErr == nil {
		return
	}
	if os.Getenv("OPENECS_TEST_TERRAFORM_REQUIRED") == "1" {
		t.Fatalf("Terraform tests: %v (OPENECS_TEST_TERRAFORM_REQUIRED=1)", toolsErr)
	}
	t.Skipf("Terraform tests skipped: %v (set OPENECS_TEST_TERRAFORM_REQUIRED=1 to fail instead)", toolsErr)
}

func findTools() (tf, dir string, err error) {
	tf, err = exec.LookPath("terraform")
	if err != nil {
		return "", "", errors.New("terraform is not on PATH")
	}
	shared := os.Getenv("OPENECS_SHARED_TOOLS")
	if shared == "" {
		root, err := repoRoot()
		if err != nil {
			return "", "", err
		}
		shared = filepath.Join(root, "..", "shared", "tools")
	}
	unpack := filepath.Join(shared, "unpack")
	if _, err := os.Stat(unpack); err != nil {
		return "", "", fmt.Errorf("the shared tools are missing (%s)", unpack)
	}
	archives, _ := filepath.Glob(filepath.Join(shared, "terraform-provider-alicloud_*.xz"))
	if len(archives) == 0 {
		return "", "", fmt.Errorf("the provider is missing from %s", shared)
	}
	// Unpacking takes seconds, so the provider is kept in the user's cache,
	// one folder per archive (unpack skips a binary already there).
	if cache, err := os.UserCacheDir(); err == nil {
		dir = filepath.Join(cache, "openecs", strings.TrimSuffix(filepath.Base(archives[len(archives)-1]), ".xz"))
		err = os.MkdirAll(dir, 0o755)
		if err != nil {
			dir = ""
		}
	}
	if dir == "" {
		if dir, err = os.MkdirTemp("", "openecs-tf-provider"); err != nil {
			return "", "", err
		}
		tempProvider = true
	}
	out, err := exec.Command(unpack, "terraform-provider-alicloud", dir).CombinedOutput()
	if err != nil {
		return "", "", fmt.Errorf("unpacking the provider with %s: %v: %s", unpack, err, strings.TrimSpace(string(out)))
	}
	return tf, dir, nil
}

// repoRoot is the directory of go.mod above the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// ---- the server --------------------------------------------------------------

// Server is one `openecs serve` process with its own data directory and a
// debug-level log.
type Server struct {
	Addr    string // 127.0.0.1:PORT
	DataDir string
	LogPath string
	cmd     *exec.Cmd
	rpc     *client.RPC
	admin   *client.Admin
}

// Endpoint is the server's base URL.
func (s *Server) Endpoint() string { return "http://" + s.Addr }

// startServer runs `openecs serve` on a free port and waits for /readyz.
func startServer(t *testing.T, extra []string) *Server {
	t.Helper()
	bin := testbin.OpenECS(t)
	dir := t.TempDir()
	s := &Server{Addr: testbin.FreeAddr(t), DataDir: filepath.Join(dir, "data"), LogPath: filepath.Join(dir, "serve.log")}
	logf, err := os.Create(s.LogPath)
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"serve", "--addr", s.Addr, "--data", s.DataDir, "--admin-token", adminToken,
		"--log-level", "debug", "--transition-delay", "0s", "--sqlite-synchronous", "NORMAL"}, extra...)
	s.cmd = exec.Command(bin, args...)
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck // it may be gone already
		done := make(chan struct{})
		go func() { s.cmd.Wait(); close(done) }() //nolint:errcheck // the exit status is not the test's concern
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			s.cmd.Process.Kill() //nolint:errcheck
			<-done
		}
		logf.Close()
	})
	s.rpc = &client.RPC{Endpoint: s.Endpoint(), AccessKeyID: "test", AccessKeySecret: "test", RegionID: "cn-hangzhou"}
	s.admin = &client.Admin{Endpoint: s.Endpoint(), Token: adminToken}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.Endpoint() + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) || s.cmd.ProcessState != nil {
			b, _ := os.ReadFile(s.LogPath)
			t.Fatalf("openecs serve did not become ready on %s:\n%s", s.Addr, b)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Call makes a signed API call as the test/test account (the bootstrap
// account the provider uses) and returns the decoded JSON answer; a non-2xx
// answer fails the test.
func (s *Server) Call(t *testing.T, action string, params map[string]string) map[string]any {
	t.Helper()
	resp, err := s.rpc.Call(context.Background(), action, params)
	if err == nil {
		err = resp.Err()
	}
	if err != nil {
		t.Fatalf("%s %v: %v", action, params, err)
	}
	var out map[string]any
	if err := json.Unmarshal(resp.Body, &out); err != nil {
		t.Fatalf("%s: decoding %s: %v", action, resp.Body, err)
	}
	return out
}

// Admin makes an admin API call, decoding the answer into out (unless nil).
func (s *Server) Admin(t *testing.T, method, path string, body, out any) {
	t.Helper()
	if err := s.admin.Do(context.Background(), method, path, body, out); err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
}

// APICall is one call the server answered, from its debug log.
type APICall struct {
	Method, Action, Version, Code string
	Status                        int
}

// Calls lists the API calls the server has answered so far, in order.
func (s *Server) Calls(t *testing.T) []APICall {
	t.Helper()
	b, err := os.ReadFile(s.LogPath)
	if err != nil {
		t.Fatal(err)
	}
	var out []APICall
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.Contains(line, " msg=rpc ") {
			continue
		}
		var c APICall
		for _, field := range strings.Fields(line) {
			k, v, _ := strings.Cut(field, "=")
			switch k {
			case "method":
				c.Method = v
			case "action":
				c.Action = v
			case "version":
				c.Version = v
			case "code":
				c.Code = v
			case "status":
				c.Status, _ = strconv.Atoi(v)
			}
		}
		out = append(out, c)
	}
	return out
}

// Probe counts one kind of resource in a region through the API, for the
// check that a destroyed configuration left nothing behind. Count reads the
// answer; nil reads TotalCount.
type Probe struct {
	Name   string
	Action string
	Params map[string]string // besides RegionId (e.g. Version for the VPC API)
	Count  func(answer map[string]any) int
}

// Probes are what AssertEmpty looks for in every region. A test that creates
// other resources adds the probes that find them (Options.Probes).
var Probes = []Probe{
	{Name: "instances", Action: "DescribeInstances", Params: map[string]string{"PageSize": "100"}},
}

// Holdings counts what the probes find, per "region/probe", leaving out
// zeros.
func (s *Server) Holdings(t *testing.T, probes []Probe) map[string]int {
	t.Helper()
	regions := s.Call(t, "DescribeRegions", nil)
	out := map[string]int{}
	for _, r := range dig[[]any](regions, "Regions", "Region") {
		regionID, _ := r.(map[string]any)["RegionId"].(string)
		for _, p := range probes {
			params := map[string]string{"RegionId": regionID}
			for k, v := range p.Params {
				params[k] = v
			}
			answer := s.Call(t, p.Action, params)
			n := 0
			if p.Count != nil {
				n = p.Count(answer)
			} else if f, ok := answer["TotalCount"].(float64); ok {
				n = int(f)
			}
			if n > 0 {
				out[regionID+"/"+p.Name] = n
			}
		}
	}
	return out
}

// dig walks nested JSON objects by key and returns the value as T (its zero
// value if any step is missing).
func dig[T any](v any, keys ...string) T {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	out, _ := v.(T)
	return out
}

// ---- the workspace -----------------------------------------------------------

// Options configure a workspace.
type Options struct {
	// ServeArgs are extra `openecs serve` flags (e.g. --tls-cert FILE).
	ServeArgs []string
	// SSLCertFile, if set, names the certificate Terraform and the provider
	// trust (SSL_CERT_FILE), given the started server: the provider sends
	// some calls over HTTPS whatever its protocol setting says.
	SSLCertFile func(s *Server) string
	// Timeout bounds each Terraform command (default 5 minutes, or
	// OPENECS_TEST_TERRAFORM_TIMEOUT).
	Timeout time.Duration
	// Probes replace the package's Probes in AssertEmpty.
	Probes []Probe
	// Dir, if set, is a folder to run as it is written instead of
	// testdata/CONFIG (an example users copy): it declares its own provider,
	// for OpenECS's usual address, which the copy points at the test's
	// server (pointAt).
	Dir string
}

// Workspace is a copy of one testdata configuration, with the provider block
// written for its own server, a private HOME and CLI configuration.
type Workspace struct {
	t       *testing.T
	Dir     string
	Server  *Server
	opts    Options
	env     []string
	mu      sync.Mutex
	history bytes.Buffer // every command and its output, printed on failure
	timings []string
	outputs map[string]json.RawMessage // read after the last apply; nil: not yet
}

// New starts a server and prepares testdata/<config> to run against it.
func New(t *testing.T, config string, opts Options) *Workspace {
	t.Helper()
	requireTools(t)
	if opts.Timeout == 0 {
		opts.Timeout = 5 * time.Minute
		if v := os.Getenv("OPENECS_TEST_TERRAFORM_TIMEOUT"); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil {
				t.Fatalf("OPENECS_TEST_TERRAFORM_TIMEOUT=%q: %v", v, err)
			}
			opts.Timeout = d
		}
	}
	if opts.Probes == nil {
		opts.Probes = Probes
	}
	w := &Workspace{t: t, opts: opts, Server: startServer(t, opts.ServeArgs)}
	root := t.TempDir()
	w.Dir = filepath.Join(root, "config")
	if opts.Dir != "" {
		copyExample(t, opts.Dir, w.Dir, w.Server.Addr)
	} else {
		if err := os.CopyFS(w.Dir, os.DirFS(filepath.Join("testdata", config))); err != nil {
			t.Fatalf("copying testdata/%s: %v", config, err)
		}
		if err := os.WriteFile(filepath.Join(w.Dir, "openecs_provider.tf"), []byte(providerBlock(w.Server.Addr)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	home := filepath.Join(root, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(root, "terraform.rc")
	cliConfig := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", "aliyun/alicloud", providerDir)
	if err := os.WriteFile(rc, []byte(cliConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	// A clean environment: nothing of the caller's (TF_LOG, ALICLOUD_* keys,
	// proxies, a real ~/.aliyun profile) reaches Terraform or the provider.
	w.env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "TMPDIR=" + os.TempDir(), "TF_CLI_CONFIG_FILE=" + rc,
		"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0", "NO_PROXY=127.0.0.1,localhost"}
	if opts.SSLCertFile != nil {
		w.env = append(w.env, "SSL_CERT_FILE="+opts.SSLCertFile(w.Server))
	}
	t.Cleanup(w.dumpOnFailure)
	return w
}

// providerBlock points the provider at addr for both ECS and VPC, with the
// settings that keep it from calling anything else.
func providerBlock(addr string) string {
	return fmt.Sprintf(`# Written by the OpenECS test harness.
terraform {
  required_providers {
    alicloud = {
      source = "aliyun/alicloud"
    }
  }
}

provider "alicloud" {
  region                 = "cn-hangzhou"
  access_key             = "test"
  secret_key             = "test"
  protocol               = "HTTP"
  skip_region_validation = true
  account_type           = "Domestic"
  endpoints {
    ecs = %q
    vpc = %q
  }
}
`, addr, addr)
}

// Vars are Terraform input variables (-var name=value).
type Vars map[string]string

func (v Vars) args() []string {
	var out []string
	for k, val := range v {
		out = append(out, "-var", k+"="+val)
	}
	return out
}

// Run runs one Terraform command in the workspace with the timeout and
// returns its combined output and exit code; it fails the test only if the
// command could not run or timed out.
func (w *Workspace) Run(args ...string) (string, int) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), w.opts.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, terraform, args...)
	cmd.Dir, cmd.Env = w.Dir, w.env
	// Its own process group, so a timeout also ends the provider plugin.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	w.mu.Lock()
	fmt.Fprintf(&w.history, "$ terraform %s   (%s)\n%s\n", strings.Join(args, " "), took.Round(time.Millisecond), out.String())
	w.timings = append(w.timings, fmt.Sprintf("%s %s", args[0], took.Round(time.Millisecond)))
	w.mu.Unlock()
	if ctx.Err() != nil {
		w.t.Fatalf("terraform %s timed out after %s", strings.Join(args, " "), w.opts.Timeout)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), exit.ExitCode()
	}
	if err != nil {
		w.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), 0
}

// must runs a command that has to succeed.
func (w *Workspace) must(args ...string) string {
	w.t.Helper()
	out, code := w.Run(args...)
	if code != 0 {
		w.t.Fatalf("terraform %s exited %d", args[0], code)
	}
	return out
}

// Apply runs terraform apply -auto-approve with the variables.
func (w *Workspace) Apply(vars Vars) {
	w.t.Helper()
	w.outputs = nil
	w.must(append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, vars.args()...)...)
}

// PlanClean runs terraform plan -detailed-exitcode and fails unless it finds
// no change (exit 0): what was applied reads back exactly as configured.
func (w *Workspace) PlanClean(vars Vars) {
	w.t.Helper()
	out, code := w.Run(append([]string{"plan", "-detailed-exitcode", "-input=false", "-no-color"}, vars.args()...)...)
	switch code {
	case 0:
	case 2:
		w.t.Fatalf("terraform plan wants changes after apply:\n%s", out)
	default:
		w.t.Fatalf("terraform plan exited %d", code)
	}
}

// Destroy runs terraform destroy -auto-approve with the variables.
func (w *Workspace) Destroy(vars Vars) {
	w.t.Helper()
	w.outputs = nil
	w.must(append([]string{"destroy", "-auto-approve", "-input=false", "-no-color"}, vars.args()...)...)
}

// Output decodes the output NAME into v. The outputs are read with one
// `terraform output -json` after each apply.
func (w *Workspace) Output(name string, v any) {
	w.t.Helper()
	if w.outputs == nil {
		out, code := w.Run("output", "-json")
		if code != 0 {
			w.t.Fatalf("terraform output exited %d", code)
		}
		var all map[string]struct{ Value json.RawMessage }
		if err := json.Unmarshal([]byte(out), &all); err != nil {
			w.t.Fatalf("terraform output -json: %v: %s", err, out)
		}
		w.outputs = map[string]json.RawMessage{}
		for k, o := range all {
			w.outputs[k] = o.Value
		}
	}
	raw, ok := w.outputs[name]
	if !ok {
		w.t.Fatalf("no output %q", name)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		w.t.Fatalf("output %s: %v: %s", name, err, raw)
	}
}

// AssertEmpty fails if the server still holds anything the probes find.
func (w *Workspace) AssertEmpty() {
	w.t.Helper()
	if left := w.Server.Holdings(w.t, w.opts.Probes); len(left) > 0 {
		w.t.Fatalf("after destroy the server still holds %v", left)
	}
}

// Step is one apply of a cycle: what to change on the server first (Before,
// optional), its variables, and the checks to run once the apply and a
// clean plan are done.
type Step struct {
	Name   string
	Before func(t *testing.T, w *Workspace)
	Vars   Vars
	Check  func(t *testing.T, w *Workspace)
}

// Cycle runs the life of a configuration: for each step apply, plan (no
// changes) and check; then destroy with the last step's variables and check
// that the server holds nothing. It returns how long the whole cycle took.
func (w *Workspace) Cycle(steps ...Step) time.Duration {
	w.t.Helper()
	start := time.Now()
	var vars Vars
	for i, s := range steps {
		vars = s.Vars
		if s.Before != nil {
			s.Before(w.t, w)
		}
		stepStart := time.Now()
		w.Apply(vars)
		w.PlanClean(vars)
		if s.Check != nil {
			s.Check(w.t, w)
		}
		w.t.Logf("step %d %q: apply + plan in %s", i+1, s.Name, time.Since(stepStart).Round(time.Millisecond))
	}
	w.Destroy(vars)
	w.StateEmpty()
	w.AssertEmpty()
	w.AssertServed()
	took := time.Since(start)
	line := fmt.Sprintf("%s: cycle of %d step(s) in %s (%s)", w.t.Name(), len(steps), took.Round(time.Millisecond), strings.Join(w.timings, ", "))
	w.t.Log(line)
	// CI collects the times of every cycle in one file.
	if path := os.Getenv("OPENECS_TEST_TERRAFORM_TIMES"); path != "" {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			_, err = fmt.Fprintln(f, line)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			w.t.Errorf("recording the cycle time in %s: %v", path, err)
		}
	}
	return took
}

// AssertServed fails if the server answered any call of the provider with a
// 5xx (which the provider retries for minutes), or with InvalidAction.NotFound
// or InvalidVersion (an action OpenECS does not serve).
func (w *Workspace) AssertServed() {
	w.t.Helper()
	for _, c := range w.Server.Calls(w.t) {
		if c.Status >= 500 || c.Code == "InvalidAction.NotFound" || c.Code == "InvalidVersion" {
			w.t.Errorf("the server answered %s (version %s) with %d %s", c.Action, c.Version, c.Status, c.Code)
		}
	}
}

// StateEmpty fails if Terraform's state still holds a resource (data
// sources may stay: they own nothing).
func (w *Workspace) StateEmpty() {
	w.t.Helper()
	out, code := w.Run("state", "list")
	if code != 0 {
		w.t.Fatalf("terraform state list exited %d", code)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line != "" && !strings.HasPrefix(line, "data.") {
			w.t.Fatalf("after destroy the state still holds %q", line)
		}
	}
}

// dumpOnFailure prints the Terraform transcript and the server's log.
func (w *Workspace) dumpOnFailure() {
	if !w.t.Failed() {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.t.Logf("---- Terraform commands and their output ----\n%s", w.history.String())
	b, err := os.ReadFile(w.Server.LogPath)
	if err != nil {
		w.t.Logf("reading the server log: %v", err)
		return
	}
	lines := strings.Split(string(b), "\n")
	const keep = 600
	if len(lines) > keep {
		lines = append([]string{"… " + strconv.Itoa(len(lines)-keep) + " earlier lines left out"}, lines[len(lines)-keep:]...)
	}
	w.t.Logf("---- the server's log (%s) ----\n%s", w.Server.LogPath, strings.Join(lines, "\n"))
}
