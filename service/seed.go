package service

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/catalog"
)

// Seeding fills a server with many instances quickly, for load tests and for
// a big shared environment. Seeded instances are ordinary instances — the
// rows RunInstances makes, with a system disk, a private address from the
// zone's vSwitch and capacity taken where the zone/type is limited — so they
// can be described, started, stopped, billed and released like any other.
// What seeding skips is per-call ceremony: quota checks (it is an admin
// operation) and the per-instance "instance.created" event; one
// "instances.seeded" event records each chunk instead.

// EventInstancesSeeded is the event of a seeding chunk.
const EventInstancesSeeded openecs.EventKind = "instances.seeded"

// SeedChunk is how many instances one commit creates.
const SeedChunk = 2000

// MaxSeedPerCall bounds one Seed call; the CLI sends bigger requests in
// several calls.
const MaxSeedPerCall = 200_000

// seedTypes are the instance types seeding cycles through, where a zone
// sells them.
var seedTypes = []string{"ecs.g7.large", "ecs.c7.large", "ecs.t6-c1m1.large", "ecs.g7.xlarge"}

// seedImage is the image of seeded instances.
const seedImage = "aliyun_3_x64_20G_alibase_20240819.vhd"

// SeedRequest is POST /admin/v1/seed.
type SeedRequest struct {
	Instances int
	// Accounts is how many new accounts to create and seed into; AccountIDs
	// names existing ones (for example the bootstrap account) to seed into
	// as well. With neither, one new account is created.
	Accounts   int
	AccountIDs []string
	// Balance is the opening balance of new accounts (default 1,000,000,000
	// CNY, enough to bill a million instances for weeks).
	Balance *openecs.Money
	// Regions to spread over (default: every region of the catalogue); the
	// instances are spread over each region's zones.
	Regions []string
	// Statuses are the shares of each API status (default Running 0.7,
	// Stopped 0.3). Pending, Starting and Stopping instances finish their
	// transition after the transition delay like any other.
	Statuses map[openecs.Status]float64
}

// SeededAccount is an account a Seed call created, with its AccessKey pair.
type SeededAccount struct {
	AccountID       string
	AccessKeyID     string
	AccessKeySecret string
}

// SeedResult is what a Seed call did.
type SeedResult struct {
	Instances  int
	Accounts   []SeededAccount // created by this call
	AccountIDs []string        // every account seeded into
	Elapsed    time.Duration
}

// Seed creates r.Instances pay-as-you-go instances across accounts, regions,
// zones and statuses, SeedChunk per commit. progress, if not nil, is called
// after each commit with the number created so far.
//
// Errors (ErrBadRequest): a count out of range, an unknown region or
// account, a status that is not an API status; openecs.ErrNoStock when a
// limited zone/type runs out of capacity (the chunks already committed stay).
func (s *Service) Seed(ctx context.Context, r SeedRequest, progress func(done int)) (*SeedResult, error) {
	start := s.Wall() // for the elapsed time it reports
	plan, err := s.seedPlan(r)
	if err != nil {
		return nil, err
	}
	res := &SeedResult{}
	if r.Accounts > 0 || len(r.AccountIDs) == 0 {
		n := max(r.Accounts, 1)
		balance := openecs.Yuan(1_000_000_000)
		if r.Balance != nil {
			balance = *r.Balance
		}
		err := s.update(ctx, func(tx openecs.Tx) error {
			res.Accounts = res.Accounts[:0]
			now := tx.Now()
			for i := range n {
				a, k, err := s.createAccount(tx, fmt.Sprintf("seed-%d", i+1), balance, false, now, "", "")
				if err != nil {
					return err
				}
				res.Accounts = append(res.Accounts, SeededAccount{AccountID: a.ID, AccessKeyID: k.ID, AccessKeySecret: k.Secret})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for _, a := range res.Accounts {
		res.AccountIDs = append(res.AccountIDs, a.AccountID)
	}
	res.AccountIDs = append(res.AccountIDs, r.AccountIDs...)
	if err := s.store.View(ctx, func(rd openecs.Reader) error {
		for _, id := range r.AccountIDs {
			if _, err := rd.Account(id); errors.Is(err, openecs.ErrNotFound) {
				return badRequest("no such account: " + id)
			} else if err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for done := 0; done < r.Instances; {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		n := min(SeedChunk, r.Instances-done)
		if err := s.update(ctx, func(tx openecs.Tx) error {
			return s.seedChunk(tx, plan, res.AccountIDs, done, n)
		}); err != nil {
			return res, err
		}
		done += n
		res.Instances = done
		if progress != nil {
			progress(done)
		}
	}
	s.wake()
	res.Elapsed = s.Wall().Sub(start)
	return res, nil
}

// seedPlace is one zone and instance type instances are spread over.
type seedPlace struct {
	region *catalog.Region
	zone   *catalog.Zone
	itype  *catalog.InstanceType
}

// seedPlanned is a checked request: where instances go and which status
// each gets.
type seedPlanned struct {
	places   []seedPlace
	statuses []openecs.Status // a repeating pattern with the requested shares
	image    *catalog.Image
}

func (s *Service) seedPlan(r SeedRequest) (*seedPlanned, error) {
	if r.Instances < 0 || r.Instances > MaxSeedPerCall {
		return nil, badRequest(fmt.Sprintf("instances must be from 0 to %d per call", MaxSeedPerCall))
	}
	if r.Accounts < 0 || r.Accounts > 10_000 {
		return nil, badRequest("accounts must be from 0 to 10000")
	}
	img, ok := s.cat.Image(seedImage)
	if !ok {
		return nil, badRequest("the catalogue has no image " + seedImage)
	}
	p := &seedPlanned{image: img}
	regions := r.Regions
	if len(regions) == 0 {
		for _, reg := range s.cat.Regions {
			regions = append(regions, reg.ID)
		}
	}
	for _, id := range regions {
		reg, ok := s.cat.Region(id)
		if !ok {
			return nil, badRequest("unknown region " + id)
		}
		for zi := range reg.Zones {
			z := &reg.Zones[zi]
			for _, tid := range seedTypes {
				if t, ok := s.cat.InstanceType(tid); ok && z.ZoneSells(tid) {
					p.places = append(p.places, seedPlace{region: reg, zone: z, itype: t})
				}
			}
		}
	}
	if len(p.places) == 0 {
		return nil, badRequest("no zone of these regions sells any of " + strings.Join(seedTypes, ", "))
	}
	shares := r.Statuses
	if len(shares) == 0 {
		shares = map[openecs.Status]float64{openecs.StatusRunning: 0.7, openecs.StatusStopped: 0.3}
	}
	var total float64
	for st, w := range shares {
		if !slices.Contains(openecs.Statuses, st) {
			return nil, badRequest(fmt.Sprintf("status %q is not one of %v", st, openecs.Statuses))
		}
		if w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			return nil, badRequest("status shares must be numbers ≥ 0")
		}
		total += w
	}
	if total <= 0 {
		return nil, badRequest("the status shares add up to 0")
	}
	// A pattern of 1000 statuses with the shares, largest remainder first,
	// spread out so that any run of instances has about the right mix.
	const slots = 1000
	keys := make([]openecs.Status, 0, len(shares))
	for st := range shares {
		keys = append(keys, st)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	counts := make([]int, len(keys))
	given := 0
	for i, st := range keys {
		counts[i] = int(shares[st] / total * slots)
		given += counts[i]
	}
	for i := 0; given < slots; i = (i + 1) % len(keys) {
		if shares[keys[i]] > 0 {
			counts[i]++
			given++
		}
	}
	acc := make([]float64, len(keys))
	for range slots {
		best := -1
		for i := range keys {
			if counts[i] == 0 {
				continue
			}
			acc[i] += float64(counts[i]) / slots
			if best < 0 || acc[i] > acc[best] {
				best = i
			}
		}
		acc[best]--
		p.statuses = append(p.statuses, keys[best])
	}
	return p, nil
}

// seedChunk creates n instances, numbered from first, in one transaction.
func (s *Service) seedChunk(tx openecs.Tx, p *seedPlanned, accounts []string, first, n int) error {
	now := tx.Now()
	type netKey struct{ account, zone string }
	networks := map[netKey]*netPlan{}
	limited := map[string]bool{} // zone/type → capacity is limited
	for i := first; i < first+n; i++ {
		account := accounts[i%len(accounts)]
		place := p.places[(i/len(accounts))%len(p.places)]
		status := p.statuses[i%len(p.statuses)]

		key := netKey{account, place.zone.ID}
		netw := networks[key]
		if netw == nil {
			var err error
			if netw, err = s.seedNetwork(tx, account, place, now); err != nil {
				return err
			}
			networks[key] = netw
		}
		lim, known := limited[place.zone.ID+"/"+place.itype.ID]
		if !known {
			_, err := tx.Capacity(place.zone.ID, place.itype.ID)
			switch {
			case err == nil:
				lim = true
			case errors.Is(err, openecs.ErrNotFound):
			default:
				return err
			}
			limited[place.zone.ID+"/"+place.itype.ID] = lim
		}
		if lim {
			ok, err := tx.TakeCapacity(place.zone.ID, place.itype.ID)
			if err != nil {
				return err
			}
			if !ok {
				return openecs.ErrNoStock.With("Seeding stopped: no capacity left for %s in %s.", place.itype.ID, place.zone.ID)
			}
		}
		in := s.seedInstance(account, place, p.image, now)
		if err := attachPrimaryENI(tx, in, netw, ""); err != nil { // network.go
			return err
		}
		if in.EconomicalEligible() {
			in.StoppedMode = openecs.KeepCharging
		}
		if err := s.seedStatus(tx, in, status, now); err != nil {
			return err
		}
		if err := tx.InsertInstance(in); err != nil {
			return err
		}
		sys := plannedDisk(openecs.DiskSystem, DiskSpec{Category: "cloud_essd", SizeGiB: max(40, p.image.SizeGiB)})
		if err := insertInstanceDisks(tx, in, place.region.Code, []openecs.Disk{sys}, now); err != nil { // diskplan.go
			return err
		}
		if err := enforceCreateQuota(s, tx, in); err != nil {
			return err
		}
	}
	return event(tx, now, "", EventInstancesSeeded, "", "admin", map[string]any{"from": first, "count": n})
}

// seedNetwork is the account's default network in the place's zone.
func (s *Service) seedNetwork(tx openecs.Tx, account string, p seedPlace, now time.Time) (*netPlan, error) {
	vsw, err := s.defaultVSwitch(tx, account, p.region, p.zone, now)
	if err != nil {
		return nil, err
	}
	vpc, err := tx.Vpc(vsw.VpcID)
	if err != nil {
		return nil, err
	}
	g, err := s.defaultGroup(tx, account, p.region, vpc, now)
	if err != nil {
		return nil, err
	}
	return &netPlan{zone: p.zone, vsw: vsw, groups: []string{g.ID}}, nil
}

// seedInstance builds an instance as RunInstances does (newInstance),
// without its network (attachPrimaryENI gives it that). It is not stored
// yet.
func (s *Service) seedInstance(account string, p seedPlace, img *catalog.Image, now time.Time) *openecs.Instance {
	id := openecs.NewResourceID("i", p.region.Code)
	t := p.itype
	in := &openecs.Instance{
		ID: id, AccountID: account, RegionID: p.region.ID, ZoneID: p.zone.ID,
		InstanceType: t.ID, Family: t.Family, CPU: t.CPU, MemoryMiB: t.MemoryMiB(), GPUAmount: t.GPU,
		LocalStorage: openecs.LocalStorage{Amount: t.LocalDiskAmount, Capacity: t.LocalDiskCapacity, Category: t.LocalDiskCategory},
		ImageID:      img.ID, OSName: img.OSName, OSNameEn: img.OSNameEn, OSType: img.OSType,
		Name: id, HostName: "iZ" + strings.TrimPrefix(id, "i-") + "Z",
		ChargeType: openecs.PostPaid, StoppedMode: openecs.NotApplicable, BillingState: openecs.BillingNormal,
		SpotStrategy: openecs.NoSpot, HourlyPrice: t.Hourly, InternetChargeType: "PayByTraffic", InternetMaxBandwidthIn: 100,
		NetworkInterfaceID: openecs.NewResourceID("eni", p.region.Code), MacAddress: macAddress(), SerialNumber: uuid.NewString(),
		IoOptimized: true, CreatedAt: now, HoldsCapacity: true, HostReady: true,
	}
	return in
}

// seedStatus puts a new instance in status: at once for Running and Stopped,
// and for a transitional status with the transition job that ends it (at
// once if the transition delay is zero).
func (s *Service) seedStatus(tx openecs.Tx, in *openecs.Instance, status openecs.Status, now time.Time) error {
	in.Status = status
	if status == openecs.StatusRunning || status == openecs.StatusStarting || status == openecs.StatusStopping {
		in.StartedAt = now
	}
	var to, then openecs.Status
	switch status {
	case openecs.StatusPending:
		to, then = openecs.StatusStarting, openecs.StatusRunning
	case openecs.StatusStarting:
		to = openecs.StatusRunning
	case openecs.StatusStopping:
		to = openecs.StatusStopped
	default:
		return nil
	}
	if s.cfg.TransitionDelay <= 0 {
		in.Status = to
		if then != "" {
			in.Status = then
		}
		if in.Status == openecs.StatusRunning {
			in.StartedAt = now
		}
		return nil
	}
	return scheduleTransition(tx, in, now.Add(s.cfg.TransitionDelay), transitionArgs{To: to, Then: then})
}
