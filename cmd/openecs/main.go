// Command openecs is OpenECS: an Alibaba Cloud ECS-compatible compute control
// plane.
//
//	openecs serve                 run the server (127.0.0.1:8686, SQLite under ./openecs-data)
//	openecs call ACTION K=V ...   make a signed ECS API call
//	openecs admin COMMAND ...     drive the admin API (accounts, balance, clock, locks, …)
//	openecs bench [flags]         load a server with signed calls and report calls/s and latency
package main

import (
	"fmt"
	"io"
	"os"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `OpenECS — an Alibaba Cloud ECS-compatible compute control plane.

Usage:
  openecs serve [flags]              run the server (see: openecs serve --help)
  openecs call ACTION [Key=Value…]   make a signed ECS API call (see: openecs call --help)
  openecs admin COMMAND [args…]      drive the admin API (see: openecs admin --help)
  openecs bench [flags]              load a server and report calls/s and latency (see: openecs bench --help)
  openecs version                    print the version

Every flag can also be set with an OPENECS_* environment variable.
`

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "serve":
		return runServe(args[1:], stdout, stderr)
	case "call":
		return runCall(args[1:], stdout, stderr)
	case "admin":
		return runAdmin(args[1:], stdout, stderr)
	case "bench":
		return runBench(args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "openecs", version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "openecs: unknown command %q\n\n%s", args[0], usage)
	return 2
}
