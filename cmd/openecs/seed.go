package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/adminapi"
	"github.com/openecs/openecs/client"
)

// seedProgress is where `admin seed` draws its progress bar.
var seedProgress io.Writer = os.Stderr

// seedCommand is `openecs admin seed N`: it sends POST /admin/v1/seed in
// calls of --chunk instances (the first call creates the accounts, the next
// ones seed into them) and draws a progress bar between calls.
func seedCommand(fs *flag.FlagSet) adminRun {
	accounts := fs.Int("accounts", 0, "new accounts to create and seed into (default 1 unless --account-ids is given)")
	accountIDs := fs.String("account-ids", "", "comma-separated existing accounts to seed into as well")
	regions := fs.String("regions", "", "comma-separated regions to spread over (default: all)")
	statuses := fs.String("statuses", "", "status shares, e.g. Running=0.6,Stopped=0.3,Stopping=0.1 (default Running=0.7,Stopped=0.3)")
	balance := fs.String("balance", "", "opening balance of new accounts in CNY (default 1000000000)")
	chunk := fs.Int("chunk", 20_000, "instances per admin call")
	return func(ctx context.Context, a *client.Admin, args []string) (any, error) {
		total, err := strconv.Atoi(args[0])
		if err != nil || total < 1 {
			return nil, usagef("N %q: give a positive number of instances", args[0])
		}
		if *chunk < 1 || *chunk > 200_000 {
			return nil, usagef("--chunk must be from 1 to 200000")
		}
		body := adminapi.Seed{Accounts: *accounts, AccountIDs: splitList(*accountIDs), Regions: splitList(*regions)}
		if *statuses != "" {
			body.Statuses = map[openecs.Status]float64{}
			for _, kv := range splitList(*statuses) {
				k, v, ok := strings.Cut(kv, "=")
				f, err := strconv.ParseFloat(v, 64)
				if !ok || err != nil || f < 0 {
					return nil, usagef("--statuses %q: write Status=share, e.g. Running=0.6", kv)
				}
				body.Statuses[openecs.Status(k)] = f
			}
		}
		if *balance != "" {
			amount, err := parseAmount("--balance", *balance)
			if err != nil {
				return nil, err
			}
			body.Balance = &amount
		}
		// One call may take a while; the default client's timeout is 5 min.
		a.HTTP = &http.Client{Timeout: 30 * time.Minute}
		report := seedReport{Instances: total, Accounts: []adminapi.SeededAccount{}}
		start := time.Now()
		bar := newProgressBar(seedProgress, total)
		for done := 0; done < total; {
			body.Instances = min(*chunk, total-done)
			out, err := a.Seed(ctx, body)
			if err != nil {
				bar.finish()
				return nil, fmt.Errorf("after %d instances: %w", done, err)
			}
			if done == 0 {
				report.Accounts, report.AccountIDs = nonNil(out.Accounts), out.AccountIDs
				body.Accounts, body.AccountIDs = 0, out.AccountIDs
			}
			done += out.Instances
			bar.update(done)
		}
		bar.finish()
		el := time.Since(start)
		report.Seconds, report.InstancesPerSecond = el.Seconds(), float64(total)/el.Seconds()
		return report, nil
	}
}

// seedReport is what `admin seed` prints: the seed answers of all its calls
// together, with the rate.
type seedReport struct {
	AccountIDs         []string                 `json:"account_ids"`
	Accounts           []adminapi.SeededAccount `json:"accounts"`
	Instances          int                      `json:"instances"`
	InstancesPerSecond float64                  `json:"instances_per_second"`
	Seconds            float64                  `json:"seconds"`
}

// progressBar draws "[####    ] done/total rate ETA" on one line of a
// terminal, or one line per update elsewhere.
type progressBar struct {
	w     io.Writer
	total int
	start time.Time
	tty   bool
}

func newProgressBar(w io.Writer, total int) *progressBar {
	b := &progressBar{w: w, total: total, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			b.tty = true
		}
	}
	b.update(0)
	return b
}

func (b *progressBar) update(done int) {
	const width = 30
	filled := width * done / max(b.total, 1)
	el := time.Since(b.start)
	rate := float64(done) / max(el.Seconds(), 1e-9)
	eta := "?"
	if done > 0 {
		eta = time.Duration(float64(b.total-done) / rate * float64(time.Second)).Round(time.Second).String()
	}
	line := fmt.Sprintf("seeding [%s%s] %d/%d instances (%3.0f%%)  %.0f/s  ETA %s",
		strings.Repeat("#", filled), strings.Repeat(" ", width-filled), done, b.total, 100*float64(done)/float64(max(b.total, 1)), rate, eta)
	if b.tty {
		fmt.Fprint(b.w, "\r\033[K"+line)
	} else {
		fmt.Fprintln(b.w, line)
	}
}

func (b *progressBar) finish() {
	if b.tty {
		fmt.Fprintln(b.w)
	}
}
