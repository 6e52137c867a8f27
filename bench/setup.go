package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"

	"github.com/openecs/openecs/client"
)

// setup finds or creates the instances the workers own and builds the
// workers.
func setup(ctx context.Context, cfg *Config, srv target) ([]*worker, error) {
	rpc := &client.RPC{Endpoint: cfg.Endpoint, AccessKeyID: cfg.AccessKeyID, AccessKeySecret: cfg.AccessKeySecret,
		RegionID: cfg.RegionID, Method: cfg.Method}
	need := cfg.Workers * cfg.InstancesPerWorker
	var own []*owned
	var err error
	if cfg.Reuse {
		own, err = existingInstances(ctx, rpc, need)
	} else {
		own, err = createInstances(ctx, cfg, rpc, need)
	}
	if err != nil {
		return nil, err
	}
	ws := make([]*worker, cfg.Workers)
	for i := range ws {
		ws[i] = newWorker(i, cfg, own[i*cfg.InstancesPerWorker:(i+1)*cfg.InstancesPerWorker])
		ws[i].reset(srv)
	}
	return ws, nil
}

// callJSON makes one call and decodes its answer into out.
func callJSON(ctx context.Context, rpc *client.RPC, action string, params map[string]string, out any) error {
	resp, err := rpc.Call(ctx, action, params)
	if err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	if err := resp.Err(); err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return fmt.Errorf("%s: reading the answer: %w", action, err)
	}
	return nil
}

// createInstances runs need pay-as-you-go instances, 100 per RunInstances
// call, four calls at a time. With a zero transition delay they are Running
// when the call is answered; otherwise their state is asked for on first use.
func createInstances(ctx context.Context, cfg *Config, rpc *client.RPC, need int) ([]*owned, error) {
	var mu sync.Mutex
	var own []*owned
	var firstErr error
	chunks := make(chan int)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range chunks {
				p := map[string]string{"ImageId": cfg.ImageID, "InstanceType": cfg.InstanceType,
					"InstanceName": "bench", "Amount": strconv.Itoa(n)}
				if cfg.ZoneID != "" {
					p["ZoneId"] = cfg.ZoneID
				}
				var out struct {
					InstanceIdSets struct {
						InstanceIdSet []string
					}
				}
				err := callJSON(ctx, rpc, "RunInstances", p, &out)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				for _, id := range out.InstanceIdSets.InstanceIdSet {
					own = append(own, &owned{id: id, running: true, known: cfg.TransitionDelay == 0})
				}
				mu.Unlock()
			}
		}()
	}
	for left := need; left > 0; left -= 100 {
		chunks <- min(left, 100)
	}
	close(chunks)
	wg.Wait()
	if firstErr != nil {
		return nil, fmt.Errorf("creating the benchmark's instances: %w", firstErr)
	}
	if len(own) < need {
		return nil, fmt.Errorf("creating the benchmark's instances: got %d of %d", len(own), need)
	}
	return own, nil
}

// existingInstances takes need Running or Stopped instances of the account,
// oldest first.
func existingInstances(ctx context.Context, rpc *client.RPC, need int) ([]*owned, error) {
	var own []*owned
	token := ""
	for len(own) < need {
		p := map[string]string{"MaxResults": "100"}
		if token != "" {
			p["NextToken"] = token
		}
		var out struct {
			NextToken string
			Instances struct {
				Instance []struct {
					InstanceId string
					Status     string
				}
			}
		}
		if err := callJSON(ctx, rpc, "DescribeInstances", p, &out); err != nil {
			return nil, fmt.Errorf("listing the account's instances: %w", err)
		}
		for _, in := range out.Instances.Instance {
			if len(own) < need && (in.Status == "Running" || in.Status == "Stopped") {
				own = append(own, &owned{id: in.InstanceId, running: in.Status == "Running", known: true})
			}
		}
		if out.NextToken == "" {
			break
		}
		token = out.NextToken
	}
	if len(own) < need {
		return nil, fmt.Errorf("--reuse: the account has %d Running or Stopped instances in %s, the run needs %d (workers × instances per worker)",
			len(own), rpc.RegionID, need)
	}
	return own, nil
}
