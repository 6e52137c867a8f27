package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/openecs/openecs/client"
)

const callUsage = `Usage: openecs call [flags] ACTION [Key=Value ...]

Makes one ECS API call (version 2014-05-26), signed the way the official
SDKs sign it, and prints the answer. Each Key=Value becomes a request
parameter: the value may contain '=', and "Key=" sends an empty value. Lists
and structs use the wire names, e.g. InstanceId.1=i-a InstanceId.2=i-b or
Tag.1.Key=env Tag.1.Value=dev. RegionId defaults to --region.
Version=2016-04-28 calls the VPC API on the same endpoint instead (CreateVpc,
DescribeVSwitches, …).

--signature picks the scheme:
  v1  signature v1.0 (HMAC-SHA1): every common parameter and the signature
      in the query, as the legacy Go SDK, pop-core, the aliyun CLI and
      Terraform sign (the default)
  v3  ACS3-HMAC-SHA256: the parameters in the query, the action, version,
      date and nonce in x-acs-* headers and the signature in an
      Authorization header, as the V2.0 SDKs sign by default

Exit status: 0 for a 2xx answer, 1 for an error answer (its body is still
printed) or a failed request, 2 for a usage error.

Examples:
  openecs call DescribeRegions
  openecs call RunInstances RegionId=cn-hangzhou ImageId=aliyun_3_x64_20G_alibase_20240819.vhd InstanceType=ecs.g7.large
  openecs call StartInstance InstanceId=i-...
  openecs call DescribeInstances InstanceIds='["i-a","i-b"]' PageSize=50
  openecs call --format xml --method GET DescribeZones
  openecs call CreateVpc Version=2016-04-28 CidrBlock=10.0.0.0/16
  openecs call --signature v3 DescribeInstances RegionId=cn-hangzhou PageSize=50
  ID=$(openecs call --query 'InstanceIdSets.InstanceIdSet[0]' RunInstances ImageId=… InstanceType=…)

Flags:
`

// envDefault returns the value of an OPENECS_* variable, or def when it is
// unset or empty.
func envDefault(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// stringFlag defines a string flag whose default comes from env, then def.
func stringFlag(fs *flag.FlagSet, p *string, name, env, def, help string) {
	fs.StringVar(p, name, envDefault(env, def), help+" ($"+env+")")
}

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// looksLikeFlag reports whether a command-line word is a flag: it starts with
// '-' and is neither "-" alone nor a negative number such as -5.00.
func looksLikeFlag(s string) bool {
	if len(s) < 2 || s[0] != '-' {
		return false
	}
	c := s[1]
	return !(c >= '0' && c <= '9' || c == '.')
}

// parseArgs parses flags wherever they appear among the positional
// arguments (so "accounts patch ID --economical=false" works); "--" ends the
// flags. It returns the positional arguments, or flag.ErrHelp, or the
// parsing error (already reported on the FlagSet's output).
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !looksLikeFlag(a) {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		// A flag that takes a value takes the next word, whatever it is.
		if f := fs.Lookup(name); f != nil && !isBoolFlag(f) && i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	if err := fs.Parse(flags); err != nil {
		return nil, err
	}
	return pos, nil
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// writeBody prints an answer body: JSON indented, anything else as it is.
func writeBody(w io.Writer, body []byte) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return
	}
	var buf bytes.Buffer
	if json.Valid(trimmed) && json.Indent(&buf, trimmed, "", "  ") == nil {
		buf.WriteByte('\n')
		w.Write(buf.Bytes())
		return
	}
	w.Write(trimmed)
	io.WriteString(w, "\n")
}

// parseParams turns Key=Value words into parameters.
func parseParams(words []string) (map[string]string, error) {
	params := make(map[string]string, len(words))
	for _, w := range words {
		k, v, ok := strings.Cut(w, "=")
		if !ok {
			return nil, usagef("argument %q is not Key=Value (write %s= to send an empty value)", w, w)
		}
		if k == "" {
			return nil, usagef("argument %q has no key before '='", w)
		}
		if _, dup := params[k]; dup {
			return nil, usagef("parameter %s is given twice (lists are Name.1=… Name.2=…)", k)
		}
		params[k] = v
	}
	return params, nil
}

func runCall(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("openecs call", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // printed below, to stdout for --help
	var c client.RPC
	var format, query string
	stringFlag(fs, &c.Endpoint, "endpoint", "OPENECS_ENDPOINT", client.DefaultEndpoint, "server URL")
	stringFlag(fs, &c.AccessKeyID, "access-key-id", "OPENECS_ACCESS_KEY_ID", "test", "AccessKey ID")
	stringFlag(fs, &c.AccessKeySecret, "access-key-secret", "OPENECS_ACCESS_KEY_SECRET", "test", "AccessKey secret")
	stringFlag(fs, &c.SecurityToken, "security-token", "OPENECS_SECURITY_TOKEN", "", "STS security token (with STS credentials)")
	stringFlag(fs, &c.RegionID, "region", "OPENECS_REGION", "cn-hangzhou", "RegionId when no RegionId=… is given")
	stringFlag(fs, &format, "format", "OPENECS_FORMAT", "json", "answer format: json or xml")
	stringFlag(fs, &c.Method, "method", "OPENECS_METHOD", "POST", "HTTP method: POST or GET")
	stringFlag(fs, &c.Signature, "signature", "OPENECS_SIGNATURE", "v1", "signature scheme: v1 (v1.0, HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)")
	fs.StringVar(&query, "query", "", queryHelp)
	printUsage := func(w io.Writer) {
		fmt.Fprint(w, callUsage)
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(stderr)
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "openecs call: %v\n\n", err)
		printUsage(stderr)
		return 2
	}

	pos, err := parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printUsage(stdout)
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr)
		printUsage(stderr)
		return 2
	}
	if len(pos) == 0 {
		return fail(usagef("no ACTION given"))
	}
	action := pos[0]
	if strings.Contains(action, "=") {
		return fail(usagef("the first argument must be the ACTION, not %q", action))
	}
	params, err := parseParams(pos[1:])
	if err != nil {
		return fail(err)
	}
	c.Format = strings.ToUpper(format)
	if c.Format != "JSON" && c.Format != "XML" {
		return fail(usagef("--format %q: use json or xml", format))
	}
	c.Method = strings.ToUpper(c.Method)
	if c.Method != "POST" && c.Method != "GET" {
		return fail(usagef("--method %q: use POST or GET", c.Method))
	}
	c.Signature = strings.ToLower(c.Signature)
	if c.Signature != client.SignatureV1 && c.Signature != client.SignatureV3 {
		return fail(usagef("--signature %q: use v1 or v3", c.Signature))
	}
	q, err := compileQuery(query)
	if err != nil {
		return fail(err)
	}
	if q != nil && c.Format != "JSON" {
		return fail(usagef("--query reads JSON answers: drop --format %s", format))
	}

	resp, err := c.Call(context.Background(), action, params)
	if err != nil {
		fmt.Fprintf(stderr, "openecs call: %v\n", err)
		return 1
	}
	if err := resp.Err(); err != nil {
		writeBody(stdout, resp.Body)
		fmt.Fprintf(stderr, "openecs call: %s failed: %v\n", action, err)
		return 1
	}
	if q != nil {
		if err := writeQueried(stdout, q, resp.Body); err != nil {
			fmt.Fprintf(stderr, "openecs call: %v\n", err)
			return 1
		}
		return 0
	}
	writeBody(stdout, resp.Body)
	return 0
}
