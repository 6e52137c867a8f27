package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/adminapi"
	"github.com/openecs/openecs/client"
	"github.com/openecs/openecs/service"
)

// adminRun carries out a command once its flags are parsed; args are its
// positional arguments, already counted.
type adminRun func(ctx context.Context, a *client.Admin, args []string) (any, error)

// adminCommand is one line of the command table. setup defines the
// command's own flags and returns what runs it.
type adminCommand struct {
	name     string   // "accounts create"
	synopsis string   // the arguments, for the usage line
	summary  string   // one line of help
	args     []string // names of the positional arguments, all required
	setup    func(fs *flag.FlagSet) adminRun
}

// noFlags is the setup of a command without flags of its own.
func noFlags(run adminRun) func(*flag.FlagSet) adminRun {
	return func(*flag.FlagSet) adminRun { return run }
}

// adminCommands is the table of `openecs admin` commands.
var adminCommands = []adminCommand{
	{"accounts create", "--name NAME --balance AMOUNT [--economical]", "create an account and its first AccessKey pair", nil,
		func(fs *flag.FlagSet) adminRun {
			name := fs.String("name", "", "account name (required)")
			balance := fs.String("balance", "", "opening balance in CNY, e.g. 100.00 (required)")
			econ := fs.Bool("economical", false, "economical mode: StopInstance without StoppedMode stops charging")
			return func(ctx context.Context, a *client.Admin, _ []string) (any, error) {
				if *name == "" || *balance == "" {
					return nil, usagef("--name and --balance are required")
				}
				amount, err := parseAmount("--balance", *balance)
				if err != nil {
					return nil, err
				}
				return a.CreateAccount(ctx, adminapi.CreateAccount{Name: *name, Balance: &amount, EconomicalMode: *econ})
			}
		}},
	{"accounts show", "ID", "show an account's balance, arrears state and settings", []string{"ID"},
		noFlags(func(ctx context.Context, a *client.Admin, args []string) (any, error) {
			return a.Account(ctx, args[0])
		})},
	{"accounts patch", "ID [--economical=true|false] [--unauthorized-types T,…] [--unauthorized-regions R,…] [--name NAME]",
		"change account settings (only the flags given are sent)", []string{"ID"},
		func(fs *flag.FlagSet) adminRun {
			fs.Bool("economical", false, "economical mode on or off")
			fs.String("unauthorized-types", "", "comma-separated instance types the account may not buy (empty: none)")
			fs.String("unauthorized-regions", "", "comma-separated regions the account may not use (empty: none)")
			fs.String("name", "", "new account name")
			return func(ctx context.Context, a *client.Admin, args []string) (any, error) {
				var patch adminapi.AccountPatch
				given := 0
				fs.Visit(func(f *flag.Flag) {
					v := f.Value.String()
					switch f.Name {
					case "economical":
						econ := v == "true"
						patch.EconomicalMode = &econ
					case "unauthorized-types":
						types := splitList(v)
						patch.UnauthorizedInstanceTypes = &types
					case "unauthorized-regions":
						regions := splitList(v)
						patch.UnauthorizedRegions = &regions
					case "name":
						patch.Name = &v
					default:
						return
					}
					given++
				})
				if given == 0 {
					return nil, usagef("nothing to change: give at least one setting flag")
				}
				return a.PatchAccount(ctx, args[0], patch)
			}
		}},
	{"balance set", "ID AMOUNT", "set an account's balance (may be negative, e.g. -5.00)", []string{"ID", "AMOUNT"},
		noFlags(func(ctx context.Context, a *client.Admin, args []string) (any, error) {
			amount, err := parseAmount("AMOUNT", args[1])
			if err != nil {
				return nil, err
			}
			return a.SetBalance(ctx, args[0], amount)
		})},
	{"balance add", "ID AMOUNT", "top up an account's balance by a positive AMOUNT (to take money away, use balance set)", []string{"ID", "AMOUNT"},
		noFlags(func(ctx context.Context, a *client.Admin, args []string) (any, error) {
			amount, err := parseAmount("AMOUNT", args[1])
			if err != nil {
				return nil, err
			}
			return a.AddBalance(ctx, args[0], amount)
		})},
	{"bill", "ID", "show an account's balance, arrears state, hourly charges and orders", []string{"ID"},
		noFlags(bill)},
	{"keys create", "ACCOUNT_ID [--allow Action1,Action2]", "make another AccessKey pair", []string{"ACCOUNT_ID"},
		func(fs *flag.FlagSet) adminRun {
			allow := fs.String("allow", "", "comma-separated actions the key may call (default: any)")
			return func(ctx context.Context, a *client.Admin, args []string) (any, error) {
				return a.CreateKey(ctx, args[0], splitList(*allow))
			}
		}},
	{"sts create", "ACCOUNT_ID [--duration 1h]", "issue temporary STS credentials", []string{"ACCOUNT_ID"},
		func(fs *flag.FlagSet) adminRun {
			d := fs.String("duration", "", "how long they stay valid, e.g. 1h (default: the server's)")
			return func(ctx context.Context, a *client.Admin, args []string) (any, error) {
				if *d != "" {
					if _, err := parsePositiveDuration(*d); err != nil {
						return nil, err
					}
				}
				return a.CreateSTS(ctx, args[0], adminapi.CreateCredentials{Duration: *d})
			}
		}},
	{"clock show", "", "show the virtual clock", nil,
		noFlags(func(ctx context.Context, a *client.Admin, _ []string) (any, error) { return a.Clock(ctx) })},
	{"clock advance", "DURATION", "move the virtual clock forward, e.g. 360h; answers once due jobs have run", []string{"DURATION"},
		noFlags(func(ctx context.Context, a *client.Admin, args []string) (any, error) {
			if _, err := parsePositiveDuration(args[0]); err != nil {
				return nil, err
			}
			return a.Advance(ctx, args[0])
		})},
	{"locks add", "INSTANCE_ID REASON", "lock an instance (REASON: security, …)", []string{"INSTANCE_ID", "REASON"},
		noFlags(func(ctx context.Context, a *client.Admin, args []string) (any, error) {
			return a.Lock(ctx, args[0], openecs.LockReason(args[1]))
		})},
	{"locks remove", "INSTANCE_ID REASON", "remove a lock from an instance", []string{"INSTANCE_ID", "REASON"},
		noFlags(func(ctx context.Context, a *client.Admin, args []string) (any, error) {
			return a.Unlock(ctx, args[0], openecs.LockReason(args[1]))
		})},
	{"instances show", "ID", "show everything about an instance, disks included", []string{"ID"},
		noFlags(func(ctx context.Context, a *client.Admin, args []string) (any, error) {
			return a.Instance(ctx, args[0])
		})},
	{"capacity set", "ZONE TYPE N|unlimited", "set the free slots of an instance type in a zone", []string{"ZONE", "TYPE", "N"},
		noFlags(func(ctx context.Context, a *client.Admin, args []string) (any, error) {
			var avail *int
			if args[2] != "unlimited" {
				n, err := strconv.Atoi(args[2])
				if err != nil || n < 0 {
					return nil, usagef("capacity %q: give a count ≥ 0 or \"unlimited\"", args[2])
				}
				avail = &n
			}
			return a.SetCapacity(ctx, args[0], args[1], avail)
		})},
	{"faults add", "--action A --code C [--count N] [--account ID] [--probability P] [--latency-ms N] [--http-status N]",
		"make the next calls of an action fail with an error code", nil,
		func(fs *flag.FlagSet) adminRun {
			action := fs.String("action", "", "API action, e.g. StartInstance (required)")
			code := fs.String("code", "", "error code to answer, e.g. NodeControllerUnavailable (required)")
			count := fs.Int("count", 1, "how many calls fail (0: until removed)")
			account := fs.String("account", "", "only calls from this account")
			prob := fs.Float64("probability", 1, "chance that a matching call fails, 0–1")
			latency := fs.Int("latency-ms", 0, "delay before answering, in milliseconds")
			status := fs.Int("http-status", 0, "HTTP status to answer with (default: the code's documented one)")
			return func(ctx context.Context, a *client.Admin, _ []string) (any, error) {
				if *action == "" || *code == "" {
					return nil, usagef("--action and --code are required")
				}
				return a.AddFault(ctx, adminapi.AddFault{Action: *action, Code: *code, Count: *count, AccountID: *account,
					Probability: *prob, LatencyMS: *latency, HTTPStatus: *status})
			}
		}},
	{"faults list", "", "list the fault rules in the order they apply", nil,
		noFlags(func(ctx context.Context, a *client.Admin, _ []string) (any, error) {
			rules, err := a.Faults(ctx)
			if err != nil {
				return nil, err
			}
			return adminapi.Faults{Faults: nonNil(rules)}, nil
		})},
	{"faults rm", "ID", "remove a fault rule", []string{"ID"},
		noFlags(func(ctx context.Context, a *client.Admin, args []string) (any, error) {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return nil, usagef("fault ID %q is not a number", args[0])
			}
			return a.DeleteFault(ctx, id)
		})},
	{"events", "[--after N]", "show the event log after event N", nil,
		func(fs *flag.FlagSet) adminRun {
			after := fs.Int64("after", 0, "show events after this one")
			return func(ctx context.Context, a *client.Admin, _ []string) (any, error) {
				evs, err := a.Events(ctx, *after)
				if err != nil {
					return nil, err
				}
				return adminapi.Events{Events: nonNil(evs)}, nil
			}
		}},
	{"seed", "N [--accounts A] [--account-ids ID,…] [--regions R,…] [--statuses Running=0.7,Stopped=0.3] [--chunk 20000]",
		"create N instances quickly across accounts, zones and statuses, with a progress bar", []string{"N"}, seedCommand},
	{"images expire", "IMAGE_ID [--undo]", "mark a marketplace image expired (or, with --undo, not)", []string{"IMAGE_ID"},
		func(fs *flag.FlagSet) adminRun {
			undo := fs.Bool("undo", false, "mark the image not expired again")
			return func(ctx context.Context, a *client.Admin, args []string) (any, error) {
				return a.SetImageExpired(ctx, args[0], !*undo)
			}
		}},
}

func splitList(s string) []string {
	out := []string{}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseAmount reads an amount of money given on the command line.
func parseAmount(name, s string) (openecs.Money, error) {
	m, err := openecs.ParseMoney(s)
	if err != nil {
		return 0, usagef("%s %q: %v", name, s, err)
	}
	return m, nil
}

// nonNil is s, or an empty list for nil, so that JSON shows [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func parsePositiveDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, usagef("duration %q: give a positive Go duration such as 90m, 1h or 360h", s)
	}
	return d, nil
}

// billReport is what `admin bill` prints.
type billReport struct {
	AccountID    string           `json:"account_id"`
	Balance      openecs.Money    `json:"balance"`
	InArrears    bool             `json:"in_arrears"`
	ChargesTotal openecs.Money    `json:"charges_total"`
	Charges      []adminapi.Event `json:"charges"`
	Orders       []adminapi.Order `json:"orders"`
}

// bill gathers an account's balance, its charges (every page of
// GET …/charges) and its orders.
func bill(ctx context.Context, a *client.Admin, args []string) (any, error) {
	id := args[0]
	rep := billReport{AccountID: id, Charges: []adminapi.Event{}}
	for after := int64(0); ; {
		page, err := a.Charges(ctx, id, after, service.MaxChargesPage)
		if err != nil {
			return nil, err
		}
		if after == 0 {
			rep.Balance, rep.InArrears = page.Balance, page.InArrears
		}
		rep.Charges = append(rep.Charges, page.Charges...)
		if rep.ChargesTotal, err = rep.ChargesTotal.Add(page.Total); err != nil {
			return nil, err
		}
		if page.Next == 0 || page.Next <= after {
			break
		}
		after = page.Next
	}
	orders, err := a.Orders(ctx, id)
	if err != nil {
		return nil, err
	}
	rep.Orders = nonNil(orders)
	return rep, nil
}

const adminUsageHead = `Usage: openecs admin [--endpoint URL] [--admin-token TOKEN] [--query EXPR] COMMAND [args]

Drives the OpenECS admin API (/admin/v1/…): accounts, money, the virtual
clock, locks, capacity and fault injection. Answers are printed as JSON, or
with --query only the part a JMESPath expression picks.
Exit status: 0 on success, 1 when the server answers with an error (or cannot
be reached), 2 for a usage error.

Commands:
`

const adminUsageTail = `
Examples:
  openecs admin accounts create --name dev --balance 100.00
  ACCOUNT=$(openecs admin accounts create --name ci --balance 1.00 --query account_id)
  openecs admin balance set acc-... -5.00
  openecs admin clock advance 360h
  openecs admin locks add i-... security
  openecs admin faults add --action StartInstance --code NodeControllerUnavailable --count 2

Run "openecs admin COMMAND --help" for a command's own flags.

Flags (accepted before or after COMMAND):
`

// adminConn holds the flags every admin command accepts: the connection
// and --query.
type adminConn struct {
	endpoint, token string
	query           string
}

// define adds the connection flags to fs, with the current values as
// defaults, so they may be given before or after the command.
func (c *adminConn) define(fs *flag.FlagSet) {
	fs.StringVar(&c.endpoint, "endpoint", c.endpoint, "server URL ($OPENECS_ENDPOINT)")
	fs.StringVar(&c.token, "admin-token", c.token, "admin API bearer token ($OPENECS_ADMIN_TOKEN)")
	fs.StringVar(&c.query, "query", c.query, queryHelp)
}

func printAdminUsage(w io.Writer, group string) {
	fmt.Fprint(w, adminUsageHead)
	for _, c := range adminCommands {
		if group == "" || strings.HasPrefix(c.name, group+" ") || c.name == group {
			fmt.Fprintf(w, "  %s\n      %s\n", strings.TrimSpace(c.name+" "+c.synopsis), c.summary)
		}
	}
	fmt.Fprint(w, adminUsageTail)
	fs := flag.NewFlagSet("", flag.ContinueOnError)
	(&adminConn{endpoint: client.DefaultEndpoint, token: "openecs-admin"}).define(fs)
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// findAdminCommand matches the leading words of args against the table; it
// also reports whether the first word names a group of commands.
func findAdminCommand(args []string) (cmd *adminCommand, rest []string, group bool) {
	for i := range adminCommands {
		c := &adminCommands[i]
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			return c, args[len(words):], false
		}
		if len(args) > 0 && words[0] == args[0] {
			group = true
		}
	}
	return nil, nil, group
}

func runAdmin(args []string, stdout, stderr io.Writer) int {
	conn := &adminConn{
		endpoint: envDefault("OPENECS_ENDPOINT", client.DefaultEndpoint),
		token:    envDefault("OPENECS_ADMIN_TOKEN", "openecs-admin"),
	}
	global := flag.NewFlagSet("openecs admin", flag.ContinueOnError)
	global.SetOutput(stderr)
	global.Usage = func() {}
	conn.define(global)
	// Flags before COMMAND are the connection flags only.
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printAdminUsage(stdout, "")
			return 0
		}
		fmt.Fprintln(stderr)
		printAdminUsage(stderr, "")
		return 2
	}
	args = global.Args()
	if len(args) == 0 {
		fmt.Fprint(stderr, "openecs admin: no command given\n\n")
		printAdminUsage(stderr, "")
		return 2
	}
	if args[0] == "help" {
		printAdminUsage(stdout, "")
		return 0
	}
	cmd, rest, group := findAdminCommand(args)
	if cmd == nil {
		if group && (len(args) == 1 || args[1] == "--help" || args[1] == "-h" || args[1] == "help") {
			if len(args) > 1 {
				printAdminUsage(stdout, args[0])
				return 0
			}
			fmt.Fprintf(stderr, "openecs admin: %s needs a subcommand\n\n", args[0])
			printAdminUsage(stderr, args[0])
			return 2
		}
		fmt.Fprintf(stderr, "openecs admin: unknown command %q\n\n", strings.Join(args[:min(len(args), 2)], " "))
		if group {
			printAdminUsage(stderr, args[0])
		} else {
			printAdminUsage(stderr, "")
		}
		return 2
	}
	return cmd.run(conn, rest, stdout, stderr)
}

func (c *adminCommand) usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: openecs admin %s %s\n\n%s.\n\nFlags:\n", c.name, c.synopsis, capitalize(c.summary))
	fs.SetOutput(w)
	fs.PrintDefaults()
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (c *adminCommand) run(conn *adminConn, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("openecs admin "+c.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	run := c.setup(fs)
	conn.define(fs)
	usageFail := func(err error) int {
		fmt.Fprintf(stderr, "openecs admin %s: %v\n\n", c.name, err)
		c.usage(stderr, fs)
		return 2
	}

	pos, err := parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		c.usage(stdout, fs)
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr)
		c.usage(stderr, fs)
		return 2
	}
	if len(pos) != len(c.args) {
		if len(c.args) == 0 {
			return usageFail(usagef("unexpected arguments: %s", strings.Join(pos, " ")))
		}
		return usageFail(usagef("want %s, got %d argument(s)", strings.Join(c.args, " "), len(pos)))
	}

	q, err := compileQuery(conn.query)
	if err != nil {
		return usageFail(err)
	}
	a := &client.Admin{Endpoint: conn.endpoint, Token: conn.token}
	out, err := run(context.Background(), a, pos)
	var ue usageError
	if errors.As(err, &ue) {
		return usageFail(err)
	}
	var ae *client.AdminError
	if errors.As(err, &ae) {
		writeJSON(stdout, adminFailure{Error: ae.Message, Code: ae.Code, Status: ae.Status})
		fmt.Fprintf(stderr, "openecs admin %s: %v\n", c.name, err)
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "openecs admin %s: %v\n", c.name, err)
		return 1
	}
	if q != nil {
		doc, err := json.Marshal(out)
		if err == nil {
			err = writeQueried(stdout, q, doc)
		}
		if err != nil {
			fmt.Fprintf(stderr, "openecs admin %s: %v\n", c.name, err)
			return 1
		}
		return 0
	}
	writeJSON(stdout, out)
	return 0
}

// adminFailure is what an admin command prints when the server refuses the
// call.
type adminFailure struct {
	Code   string `json:"code,omitempty"`
	Error  string `json:"error"`
	Status int    `json:"status"`
}

// writeJSON prints v as indented JSON, leaving <, > and & as they are.
func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(w, "%v\n", v)
	}
}
