package service

import (
	"errors"
	"testing"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/catalog"
)

// prepayFee: days begun for an upgrade, whole days for a downgrade, the
// division by 30 last and rounded half away from zero, overflow refused.
func TestPrepayFee(t *testing.T) {
	t.Parallel()
	small := &catalog.InstanceType{ID: "small", Monthly: openecs.MustMoney("292.00")}
	big := &catalog.InstanceType{ID: "big", Monthly: openecs.MustMoney("584.00")}
	odd := &catalog.InstanceType{ID: "odd", Monthly: openecs.MustMoney("292.000001")}
	day := 24 * time.Hour
	for _, c := range []struct {
		name      string
		from, to  *catalog.InstanceType
		left      time.Duration
		downgrade bool
		want      string
	}{
		{"upgrade, 20.5 days left: 21 days", small, big, 20*day + 12*time.Hour, false, "204.40"},
		{"upgrade, exactly 21 days", small, big, 21 * day, false, "204.40"},
		{"upgrade, a second past 21 days: 22", small, big, 21*day + time.Second, false, "214.133333"},
		{"downgrade, 20.5 days left: 20", big, small, 20*day + 12*time.Hour, true, "-194.666667"},
		{"downgrade, under a day: nothing", big, small, 23 * time.Hour, true, "0.00"},
		{"a micro-yuan a month for 15 days rounds up", small, odd, 15 * day, false, "0.000001"},
		{"and for 14 days down", small, odd, 14 * day, false, "0.00"},
		{"a micro-yuan back for 15 days rounds away from zero", odd, small, 15 * day, true, "-0.000001"},
	} {
		got, err := prepayFee(c.from, c.to, c.left, c.downgrade)
		if err != nil || got.String() != c.want {
			t.Errorf("%s: %s, %v; want %s", c.name, got, err, c.want)
		}
	}
	huge := &catalog.InstanceType{ID: "huge", Monthly: openecs.Money(1 << 62)}
	if _, err := prepayFee(small, huge, 3000*day, false); !errors.Is(err, openecs.ErrMoneyOverflow) {
		t.Errorf("an overflowing fee: %v, want ErrMoneyOverflow", err)
	}
}
