package catalog

import (
	"strings"
	"testing"

	"github.com/openecs/openecs"
)

func TestBuiltin(t *testing.T) {
	c := Builtin()
	if _, ok := c.Image("aliyun_3_x64_20G_alibase_20240819.vhd"); !ok {
		t.Fatal("the image the README names is missing")
	}
	g7, ok := c.InstanceType("ecs.g7.large")
	if !ok || g7.Hourly != openecs.MustMoney("0.626") || g7.MemoryMiB() != 8192 {
		t.Fatalf("ecs.g7.large = %+v", g7)
	}
	d1, _ := c.InstanceType("ecs.d1ne.2xlarge")
	if !d1.HasLocalDisks() {
		t.Fatal("d1ne must be a local-disk family")
	}
	z, ok := c.FirstZoneFor("cn-hangzhou", "ecs.g7.large")
	if !ok || z.ID != "cn-hangzhou-h" || z.RegionID != "cn-hangzhou" {
		t.Fatalf("FirstZoneFor = %+v %v", z, ok)
	}
	k, _ := c.Zone("cn-hangzhou-k")
	if k.ZoneSells("ecs.d1ne.2xlarge") {
		t.Fatal("cn-hangzhou-k must not sell d1ne")
	}
	if got := g7.SpotPrice(); got != openecs.MustMoney("0.0626") {
		t.Fatalf("spot price = %s", got)
	}
}

func TestParseRejectsBadCatalogues(t *testing.T) {
	bad := []string{
		"instance_types: [{id: x, family: f, cpu: 1, memory_gib: 1, hourly_price: 'abc', monthly_price: '1', reserved_yearly_price: '1'}]",
		"instance_types: [{id: x, family: f, cpu: 0, memory_gib: 1, hourly_price: '1', monthly_price: '1', reserved_yearly_price: '1'}]",
		"regions: [{id: r, zones: [{id: z, instance_types: [nope]}]}]",
		"regions: {",
	}
	for _, y := range bad {
		if _, err := Parse([]byte(y)); err == nil {
			t.Errorf("Parse(%q) succeeded", y)
		} else if !strings.HasPrefix(err.Error(), "catalog:") {
			t.Errorf("error %q lacks the catalog: prefix", err)
		}
	}
}
