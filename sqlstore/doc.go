package sqlstore

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/openecs/openecs"
)

// The instance document is read on every instance load and written on every
// instance update, so it has its own codec: the encoder writes exactly the
// bytes json.Marshal would, and the decoder reads that form (any key order,
// whitespace, unknown keys skipped) and hands anything else — escapes,
// numbers it does not expect — to encoding/json. doc_test.go checks both
// against encoding/json for every field of instanceDoc, so a field added to
// the struct and not here fails the tests.

// appendDoc appends the JSON of d, byte for byte what json.Marshal(d) gives.
func appendDoc(b []byte, d *instanceDoc) []byte {
	b = append(b, `{"cpu":`...)
	b = strconv.AppendInt(b, int64(d.CPU), 10)
	b = append(b, `,"mem":`...)
	b = strconv.AppendInt(b, int64(d.MemoryMiB), 10)
	if d.GPUAmount != 0 {
		b = append(b, `,"gpu":`...)
		b = strconv.AppendInt(b, int64(d.GPUAmount), 10)
	}
	b = append(b, `,"local":{"Amount":`...)
	b = strconv.AppendInt(b, int64(d.LocalStorage.Amount), 10)
	b = append(b, `,"Capacity":`...)
	b = strconv.AppendInt(b, d.LocalStorage.Capacity, 10)
	b = append(b, `,"Category":`...)
	b = appendString(b, d.LocalStorage.Category)
	b = append(b, `},"os_name":`...)
	b = appendString(b, d.OSName)
	b = append(b, `,"os_name_en":`...)
	b = appendString(b, d.OSNameEn)
	b = append(b, `,"os_type":`...)
	b = appendString(b, d.OSType)
	b = optString(b, `,"desc":`, d.Description)
	b = append(b, `,"host":`...)
	b = appendString(b, d.HostName)
	b = append(b, `,"spot":`...)
	b = appendString(b, string(d.SpotStrategy))
	b = append(b, `,"spot_limit":`...)
	b = appendString(b, d.SpotPriceLimit.String())
	b = optString(b, `,"spot_ib":`, d.SpotInterruptionBehavior)
	b = optInt(b, `,"spot_dur":`, int64(d.SpotDuration))
	b = optString(b, `,"inet_charge":`, d.InternetChargeType)
	b = optInt(b, `,"bw_in":`, int64(d.BandwidthIn))
	b = optInt(b, `,"bw_out":`, int64(d.BandwidthOut))
	b = append(b, `,"sgs":`...)
	if d.SecurityGroupIDs == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, sg := range d.SecurityGroupIDs {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, sg)
		}
		b = append(b, ']')
	}
	b = append(b, `,"ip":`...)
	b = appendString(b, d.PrivateIP)
	b = optString(b, `,"public_ip":`, d.PublicIP)
	b = append(b, `,"eni":`...)
	b = appendString(b, d.NetworkInterfaceID)
	b = append(b, `,"mac":`...)
	b = appendString(b, d.MacAddress)
	b = append(b, `,"serial":`...)
	b = appendString(b, d.SerialNumber)
	b = optString(b, `,"key_pair":`, d.KeyPairName)
	b = optString(b, `,"rg":`, d.ResourceGroupID)
	b = optBool(b, `,"del_prot":true`, d.DeletionProtection)
	b = append(b, `,"io_opt":`...)
	b = strconv.AppendBool(b, d.IoOptimized)
	b = optString(b, `,"credit":`, d.CreditSpecification)
	b = optInt(b, `,"period":`, int64(d.Period))
	b = optString(b, `,"period_unit":`, d.PeriodUnit)
	b = optBool(b, `,"auto_renew":true`, d.AutoRenew)
	b = optInt(b, `,"auto_renew_period":`, int64(d.AutoRenewPeriod))
	b = optInt(b, `,"started_at":`, d.StartedAt)
	b = optInt(b, `,"auto_release_at":`, d.AutoReleaseAt)
	b = optInt(b, `,"suspended_at":`, d.SuspendedAt)
	b = optBool(b, `,"holds_cap":true`, d.HoldsCapacity)
	b = optBool(b, `,"host_not_ready":true`, d.HostNotReady)
	b = optInt(b, `,"transition_job":`, d.TransitionJob)
	if len(d.Tags) > 0 {
		b = append(b, `,"tags":[`...)
		for i, t := range d.Tags {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"Key":`...)
			b = appendString(b, t.Key)
			b = append(b, `,"Value":`...)
			b = appendString(b, t.Value)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = optBool(b, `,"jumbo":true`, d.JumboFrame)
	if len(d.MaintWindows) > 0 {
		b = append(b, `,"maint_windows":[`...)
		for i, w := range d.MaintWindows {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"start":`...)
			b = appendString(b, w.Start)
			b = append(b, `,"end":`...)
			b = appendString(b, w.End)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = optString(b, `,"maint_action":`, d.MaintAction)
	b = optBool(b, `,"maint_notify":true`, d.MaintNotify)
	b = optBool(b, `,"not_renewal":true`, d.NotRenewal)
	return append(b, '}')
}

func optString(b []byte, key, v string) []byte {
	if v == "" {
		return b
	}
	return appendString(append(b, key...), v)
}

func optInt(b []byte, key string, v int64) []byte {
	if v == 0 {
		return b
	}
	return strconv.AppendInt(append(b, key...), v, 10)
}

func optBool(b []byte, keyTrue string, v bool) []byte {
	if !v {
		return b
	}
	return append(b, keyTrue...)
}

// appendString appends s as a JSON string the way encoding/json writes it
// (HTML-safe). Plain text is copied; anything needing an escape goes through
// encoding/json.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return appendSlow(b, s)
		}
		if c >= utf8.RuneSelf {
			// Valid UTF-8 is written as is, except U+2028 and U+2029.
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
				return appendSlow(b, s)
			}
			i += size - 1
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendSlow(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a Go string always encodes: Marshal fails only for unsupported types and values
	return append(b, q...)
}

// docDecoder reads an instance document. Any surprise sets fail, and the
// caller decodes with encoding/json instead.
type docDecoder struct {
	s    string
	i    int
	fail bool
}

// decodeDoc reads doc into d.
func decodeDoc(doc string, d *instanceDoc) error {
	dec := docDecoder{s: doc}
	if dec.object(d) && !dec.fail {
		dec.space()
		if dec.i == len(dec.s) {
			return nil
		}
	}
	*d = instanceDoc{}
	return json.Unmarshal([]byte(doc), d)
}

func (x *docDecoder) space() {
	for x.i < len(x.s) {
		switch x.s[x.i] {
		case ' ', '\t', '\n', '\r':
			x.i++
		default:
			return
		}
	}
}

// expect consumes c after optional whitespace.
func (x *docDecoder) expect(c byte) bool {
	x.space()
	if x.i < len(x.s) && x.s[x.i] == c {
		x.i++
		return true
	}
	x.fail = true
	return false
}

// peek returns the next non-space byte (0 at the end).
func (x *docDecoder) peek() byte {
	x.space()
	if x.i < len(x.s) {
		return x.s[x.i]
	}
	return 0
}

// str reads a string without escapes.
func (x *docDecoder) str() string {
	if !x.expect('"') {
		return ""
	}
	start := x.i
	for x.i < len(x.s) {
		switch c := x.s[x.i]; {
		case c == '"':
			s := x.s[start:x.i]
			x.i++
			return s
		case c == '\\' || c < 0x20:
			x.fail = true
			return ""
		}
		x.i++
	}
	x.fail = true
	return ""
}

// num reads an integer.
func (x *docDecoder) num() int64 {
	x.space()
	start := x.i
	if x.i < len(x.s) && x.s[x.i] == '-' {
		x.i++
	}
	for x.i < len(x.s) && x.s[x.i] >= '0' && x.s[x.i] <= '9' {
		x.i++
	}
	n, err := strconv.ParseInt(x.s[start:x.i], 10, 64)
	if err != nil {
		x.fail = true
	}
	return n
}

func (x *docDecoder) boolean() bool {
	x.space()
	switch {
	case len(x.s)-x.i >= 4 && x.s[x.i:x.i+4] == "true":
		x.i += 4
		return true
	case len(x.s)-x.i >= 5 && x.s[x.i:x.i+5] == "false":
		x.i += 5
		return false
	}
	x.fail = true
	return false
}

// null consumes a JSON null if one comes next.
func (x *docDecoder) null() bool {
	x.space()
	if len(x.s)-x.i >= 4 && x.s[x.i:x.i+4] == "null" {
		x.i += 4
		return true
	}
	return false
}

// members calls f for each key of an object until f or the input fails.
func (x *docDecoder) members(f func(key string)) bool {
	if !x.expect('{') {
		return false
	}
	if x.peek() == '}' {
		x.i++
		return true
	}
	for !x.fail {
		key := x.str()
		if !x.expect(':') {
			return false
		}
		f(key)
		if x.fail {
			return false
		}
		switch x.peek() {
		case ',':
			x.i++
		case '}':
			x.i++
			return true
		default:
			x.fail = true
		}
	}
	return false
}

// elements calls f for each element of an array (null is no array).
func (x *docDecoder) elements(f func()) (isNull bool) {
	if x.null() {
		return true
	}
	if !x.expect('[') {
		return false
	}
	if x.peek() == ']' {
		x.i++
		return false
	}
	for !x.fail {
		f()
		switch x.peek() {
		case ',':
			x.i++
		case ']':
			x.i++
			return false
		default:
			x.fail = true
		}
	}
	return false
}

func (x *docDecoder) money() openecs.Money {
	var m openecs.Money
	var err error
	if x.peek() == '"' {
		m, err = openecs.ParseMoney(x.str())
	} else {
		m = openecs.Money(x.num()) // never written so; let encoding/json decide
		x.fail = true
	}
	if err != nil {
		x.fail = true
	}
	return m
}

func (x *docDecoder) object(d *instanceDoc) bool {
	return x.members(func(key string) {
		switch key {
		case "cpu":
			d.CPU = int(x.num())
		case "mem":
			d.MemoryMiB = int(x.num())
		case "gpu":
			d.GPUAmount = int(x.num())
		case "local":
			x.members(func(k string) {
				switch k {
				case "Amount":
					d.LocalStorage.Amount = int(x.num())
				case "Capacity":
					d.LocalStorage.Capacity = x.num()
				case "Category":
					d.LocalStorage.Category = x.str()
				default:
					x.fail = true
				}
			})
		case "os_name":
			d.OSName = x.str()
		case "os_name_en":
			d.OSNameEn = x.str()
		case "os_type":
			d.OSType = x.str()
		case "desc":
			d.Description = x.str()
		case "host":
			d.HostName = x.str()
		case "spot":
			d.SpotStrategy = openecs.SpotStrategy(x.str())
		case "spot_limit":
			d.SpotPriceLimit = x.money()
		case "spot_ib":
			d.SpotInterruptionBehavior = x.str()
		case "spot_dur":
			d.SpotDuration = int(x.num())
		case "inet_charge":
			d.InternetChargeType = x.str()
		case "bw_in":
			d.BandwidthIn = int(x.num())
		case "bw_out":
			d.BandwidthOut = int(x.num())
		case "sgs":
			d.SecurityGroupIDs = []string{}
			if x.elements(func() { d.SecurityGroupIDs = append(d.SecurityGroupIDs, x.str()) }) {
				d.SecurityGroupIDs = nil
			}
		case "ip":
			d.PrivateIP = x.str()
		case "public_ip":
			d.PublicIP = x.str()
		case "eni":
			d.NetworkInterfaceID = x.str()
		case "mac":
			d.MacAddress = x.str()
		case "serial":
			d.SerialNumber = x.str()
		case "key_pair":
			d.KeyPairName = x.str()
		case "rg":
			d.ResourceGroupID = x.str()
		case "del_prot":
			d.DeletionProtection = x.boolean()
		case "io_opt":
			d.IoOptimized = x.boolean()
		case "credit":
			d.CreditSpecification = x.str()
		case "period":
			d.Period = int(x.num())
		case "period_unit":
			d.PeriodUnit = x.str()
		case "auto_renew":
			d.AutoRenew = x.boolean()
		case "auto_renew_period":
			d.AutoRenewPeriod = int(x.num())
		case "started_at":
			d.StartedAt = x.num()
		case "auto_release_at":
			d.AutoReleaseAt = x.num()
		case "suspended_at":
			d.SuspendedAt = x.num()
		case "holds_cap":
			d.HoldsCapacity = x.boolean()
		case "host_not_ready":
			d.HostNotReady = x.boolean()
		case "transition_job":
			d.TransitionJob = x.num()
		case "tags":
			d.Tags = []openecs.Tag{}
			if x.elements(func() {
				var t openecs.Tag
				x.members(func(k string) {
					switch k {
					case "Key":
						t.Key = x.str()
					case "Value":
						t.Value = x.str()
					default:
						x.fail = true
					}
				})
				d.Tags = append(d.Tags, t)
			}) {
				d.Tags = nil
			}
		case "jumbo":
			d.JumboFrame = x.boolean()
		case "maint_windows":
			d.MaintWindows = []openecs.MaintenanceWindow{}
			if x.elements(func() {
				var w openecs.MaintenanceWindow
				x.members(func(k string) {
					switch k {
					case "start":
						w.Start = x.str()
					case "end":
						w.End = x.str()
					default:
						x.fail = true
					}
				})
				d.MaintWindows = append(d.MaintWindows, w)
			}) {
				d.MaintWindows = nil
			}
		case "maint_action":
			d.MaintAction = x.str()
		case "maint_notify":
			d.MaintNotify = x.boolean()
		case "not_renewal":
			d.NotRenewal = x.boolean()
		default:
			x.fail = true // a key this codec does not know: encoding/json decides
		}
	})
}
