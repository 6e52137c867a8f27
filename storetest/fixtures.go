package storetest

import (
	"testing"
	"time"

	"github.com/openecs/openecs"
)

// newAccount returns an account with a balance of 100 yuan.
func newAccount(id string) *openecs.Account {
	return &openecs.Account{ID: id, Name: "account " + id, Balance: openecs.Yuan(100), CreatedAt: base}
}

// newInstance returns a minimal running pay-as-you-go instance of account.
// The options change it before it is returned.
func newInstance(id, account string, opts ...func(*openecs.Instance)) *openecs.Instance {
	in := &openecs.Instance{
		ID:           id,
		AccountID:    account,
		RegionID:     "cn-hangzhou",
		ZoneID:       "cn-hangzhou-h",
		InstanceType: "ecs.g7.large",
		Family:       "ecs.g7",
		CPU:          2,
		MemoryMiB:    8192,
		ImageID:      "aliyun_3_x64_20G_alibase_20240819.vhd",
		Name:         id,
		Status:       openecs.StatusRunning,
		ChargeType:   openecs.PostPaid,
		StoppedMode:  openecs.NotApplicable,
		BillingState: openecs.BillingNormal,
		SpotStrategy: openecs.NoSpot,
		HourlyPrice:  openecs.MustMoney("0.5"),
		HostReady:    true,
		CreatedAt:    base,
	}
	for _, o := range opts {
		o(in)
	}
	return in
}

// fullInstance returns an instance in which every field has a non-zero value
// (Seq and Version too: the store must overwrite them).
func fullInstance(id, account string) *openecs.Instance {
	return &openecs.Instance{
		Seq:          999,
		ID:           id,
		AccountID:    account,
		RegionID:     "cn-shanghai",
		ZoneID:       "cn-shanghai-l",
		InstanceType: "ecs.i4.2xlarge",
		Family:       "ecs.i4",
		CPU:          8,
		MemoryMiB:    65536,
		GPUAmount:    1,
		LocalStorage: openecs.LocalStorage{Amount: 2, Capacity: 1760, Category: "local_ssd_pro"},

		ImageID:  "m-bp1g7004ksh0oeuco2kl",
		OSName:   "Alibaba Cloud Linux 3.2104 LTS 64位",
		OSNameEn: "Alibaba Cloud Linux 3.2104 LTS 64 bit",
		OSType:   "linux",

		Name:        "full-instance",
		Description: "every field set; 描述 with \"quotes\", commas, and % _ * characters",
		HostName:    "iZbp1full",

		Status:       openecs.StatusStopped,
		ChargeType:   openecs.PrePaid,
		StoppedMode:  openecs.KeepCharging,
		BillingState: openecs.BillingEcsAndImageExpired,
		Locks:        []openecs.LockReason{openecs.LockFinancial, openecs.LockSecurity},

		SpotStrategy:             openecs.SpotWithPriceLimit,
		SpotPriceLimit:           openecs.MustMoney("0.123457"),
		SpotInterruptionBehavior: "Stop",
		SpotDuration:             1,

		HourlyPrice: openecs.MustMoney("12.345678"),

		InternetChargeType:      "PayByTraffic",
		InternetMaxBandwidthIn:  200,
		InternetMaxBandwidthOut: 100,
		VpcID:                   "vpc-full",
		VSwitchID:               "vsw-full",
		SecurityGroupIDs:        []string{"sg-full-1", "sg-full-2"},
		PrivateIP:               "172.16.3.7",
		PublicIP:                "47.96.1.2",
		NetworkInterfaceID:      "eni-full",
		MacAddress:              "00:16:3e:01:02:03",
		SerialNumber:            "6b5ba2ec-0001-4b2c-9f1e-1e2f3a4b5c6d",
		KeyPairName:             "my-key",
		ResourceGroupID:         "rg-acfm2",
		DeletionProtection:      true,
		IoOptimized:             true,
		CreditSpecification:     "Unlimited",
		EnableJumboFrame:        true,
		Maintenance: openecs.Maintenance{
			Windows: []openecs.MaintenanceWindow{{Start: "02:00:00Z", End: "03:00:00Z"}, {Start: "14:00:00Z", End: "15:30:00Z"}},
			Action:  "AutoRedeploy", Notify: true,
		},

		Period:          3,
		PeriodUnit:      "Month",
		AutoRenew:       true,
		AutoRenewPeriod: 12,
		NotRenewal:      true,

		CreatedAt:     at(0),
		StartedAt:     at(2 * time.Minute),
		ExpiredAt:     at(90 * 24 * time.Hour),
		AutoReleaseAt: at(100 * 24 * time.Hour),
		SuspendedAt:   at(91*24*time.Hour + time.Millisecond),

		HoldsCapacity: true,
		HostReady:     true,
		TransitionJob: 42,

		Tags:    []openecs.Tag{{Key: "env", Value: "prod"}, {Key: "owner", Value: "team, \"blue\""}},
		Version: 77,
	}
}

// insertAccounts stores the accounts.
func insertAccounts(t *testing.T, s openecs.Store, ids ...string) {
	t.Helper()
	exec(t, s, func(tx openecs.Tx) error {
		for _, id := range ids {
			if err := tx.InsertAccount(newAccount(id)); err != nil {
				return err
			}
		}
		return nil
	})
}

// insertInstances stores the instances (setting their Seq and Version).
func insertInstances(t *testing.T, s openecs.Store, ins ...*openecs.Instance) {
	t.Helper()
	exec(t, s, func(tx openecs.Tx) error {
		for _, in := range ins {
			if err := tx.InsertInstance(in); err != nil {
				return err
			}
		}
		return nil
	})
}

// getInstance reads one instance.
func getInstance(t *testing.T, s openecs.Store, id string) *openecs.Instance {
	t.Helper()
	return read(t, s, func(r openecs.Reader) (*openecs.Instance, error) { return r.Instance(id) })
}

// ids returns the instances' ids in order.
func ids(ins []*openecs.Instance) []string {
	out := make([]string, len(ins))
	for i, in := range ins {
		out[i] = in.ID
	}
	return out
}
