package rpc

import (
	"time"

	"github.com/openecs/openecs"
)

// WireSpotPrice is one price point of DescribeSpotPriceHistory.
type WireSpotPrice struct {
	ZoneId       string `json:"ZoneId" xml:"ZoneId"`
	InstanceType string `json:"InstanceType" xml:"InstanceType"`
	IoOptimized  string `json:"IoOptimized" xml:"IoOptimized"`
	NetworkType  string `json:"NetworkType" xml:"NetworkType"`
	Timestamp    string `json:"Timestamp" xml:"Timestamp"`
	SpotPrice    Float  `json:"SpotPrice" xml:"SpotPrice"`
	OriginPrice  Float  `json:"OriginPrice" xml:"OriginPrice"`
}

// DescribeSpotPriceHistoryResponse is DescribeSpotPriceHistory's answer.
type DescribeSpotPriceHistoryResponse struct {
	RequestId  string `json:"RequestId" xml:"RequestId"`
	Currency   string `json:"Currency" xml:"Currency"`
	NextOffset int    `json:"NextOffset" xml:"NextOffset"`
	SpotPrices struct {
		SpotPriceType []WireSpotPrice `json:"SpotPriceType" xml:"SpotPriceType"`
	} `json:"SpotPrices" xml:"SpotPrices"`
}

// spotHistoryPage bounds the points of one answer; NextOffset pages on.
const spotHistoryPage = 1000

// describeSpotPriceHistory answers the spot prices of an instance type in the
// region's zones (or ZoneId) between StartTime (default: three hours before
// EndTime) and EndTime (default: now): the price in effect at StartTime, then
// every change.
//
// Errors: MissingParameter (RegionId, NetworkType, InstanceType),
// InvalidRegionId.NotFound, InvalidZoneId.NotFound,
// InvalidInstanceType.ValueNotSupported, InvalidParameter (times, Offset).
func describeSpotPriceHistory(c *Call) (any, error) {
	region := c.region(true)
	network := c.P.Required("NetworkType")
	if network != "" && network != "vpc" && network != "classic" {
		c.P.Fail(openecs.Invalid("NetworkType", "it must be vpc or classic"))
	}
	itype := c.P.Required("InstanceType")
	zone := c.P.Str("ZoneId")
	c.P.Enum("IoOptimized", "optimized", "optimized", "none")
	c.P.Enum("OSType", "linux", "linux", "windows")
	c.P.Int("SpotDuration", 0, 0, 6)
	start, end := c.P.Time("StartTime"), c.P.Time("EndTime")
	offset := c.P.Int("Offset", 0, 0, 1<<30)
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	svc := c.Svc()
	cat := svc.Catalog()
	if end.IsZero() {
		now, err := svc.Now(c.Ctx)
		if err != nil {
			return nil, err
		}
		end = now
	}
	if start.IsZero() {
		start = end.Add(-3 * time.Hour)
	}
	if start.After(end) {
		return nil, openecs.Invalid("StartTime", "it must not be after EndTime")
	}
	t, ok := cat.InstanceType(itype)
	if !ok {
		return nil, openecs.ErrInvalidInstanceType
	}
	r, _ := cat.Region(region)
	var zones []string
	for _, z := range r.Zones {
		if (zone == "" || z.ID == zone) && z.ZoneSells(itype) {
			zones = append(zones, z.ID)
		}
	}
	if zone != "" && len(zones) == 0 {
		if z, ok := cat.Zone(zone); !ok || z.RegionID != region {
			return nil, openecs.ErrZoneNotFound
		}
		return nil, openecs.ErrInvalidInstanceType
	}
	points, err := svc.SpotPriceTimeline(c.Ctx, zones, itype, start, end)
	if err != nil {
		return nil, err
	}
	out := &DescribeSpotPriceHistoryResponse{Currency: "CNY"}
	out.SpotPrices.SpotPriceType = []WireSpotPrice{}
	if offset < len(points) {
		points = points[offset:]
	} else {
		points = nil
	}
	if len(points) > spotHistoryPage {
		points, out.NextOffset = points[:spotHistoryPage], offset+spotHistoryPage
	}
	for _, p := range points {
		out.SpotPrices.SpotPriceType = append(out.SpotPrices.SpotPriceType, WireSpotPrice{
			ZoneId: p.ZoneID, InstanceType: p.InstanceType, IoOptimized: "optimized", NetworkType: network,
			Timestamp: p.At.UTC().Format("2006-01-02T15:04:05Z"), SpotPrice: Float(p.Price.String()), OriginPrice: Float(t.Hourly.String())})
	}
	return out, nil
}
