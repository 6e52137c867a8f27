package rpc

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/openecs/openecs"
)

// fillWire gives every field of v a non-zero value: text for strings, a
// number, true, and two elements for slices.
func fillWire(t *testing.T, v reflect.Value, text string) {
	t.Helper()
	for i := range v.NumField() {
		f, name := v.Field(i), v.Type().Field(i).Name
		switch {
		case f.Type() == reflect.TypeFor[Float]():
			f.SetString("12.5")
		case f.Kind() == reflect.String:
			f.SetString(text + name)
		case f.Kind() == reflect.Int || f.Kind() == reflect.Int64:
			f.SetInt(4096)
		case f.Kind() == reflect.Bool:
			f.SetBool(true)
		case f.Kind() == reflect.Struct:
			fillWire(t, f, text)
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String:
			f.Set(reflect.ValueOf([]string{text + name, "b"}))
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.Struct:
			s := reflect.MakeSlice(f.Type(), 2, 2)
			fillWire(t, s.Index(0), text)
			fillWire(t, s.Index(1), "")
			f.Set(s)
		default:
			t.Fatalf("%s.%s has type %s; teach appendJSON and this test about it", v.Type(), name, f.Type())
		}
	}
}

// encodingJSON is what encodeBody wrote with encoding/json.
func encodingJSON(t *testing.T, v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

func TestPageJSONMatchesEncodingJSON(t *testing.T) {
	var full WireInstance
	fillWire(t, reflect.ValueOf(&full).Elem(), "v-")
	pages := map[string]*DescribeInstancesResponse{"empty": {}, "typical": benchPage(3)}
	page := &DescribeInstancesResponse{RequestId: "r", TotalCount: 9, PageNumber: 2, PageSize: 3, NextToken: "ff"}
	page.Instances.Instance = []WireInstance{full, {}}
	pages["every field"] = page
	for name, text := range map[string]string{"quote": `a"b`, "backslash": `a\b`, "html": "<a&b>", "control": "a\tb\x01",
		"chinese": "阿里云 64位", "line separator": "a\u2028b", "invalid utf-8": "a\xffb"} {
		odd := full
		odd.InstanceName, odd.OSName, odd.Tags.Tag[0].TagValue, odd.SecurityGroupIds.SecurityGroupId[0] = text, text, text, text
		p := &DescribeInstancesResponse{RequestId: text}
		p.Instances.Instance = []WireInstance{odd}
		pages["text "+name] = p
	}
	for name, p := range pages {
		want := encodingJSON(t, p)
		got, err := encodeBody(p, false, "DescribeInstancesResponse")
		if err != nil || string(got) != want {
			t.Errorf("%s: %v\n got %s\nwant %s", name, err, got, want)
		}
	}
}

func TestFloatPlain(t *testing.T) {
	for f, want := range map[Float]bool{"": true, "0": true, "0.05": true, "-12.50": true, "12": true,
		"012": false, "1e3": false, " 1": false, "1.": false, ".5": false, "-": false, "NaN": false} {
		if Float(f).plain() != want {
			t.Errorf("Float(%q).plain() = %v", f, !want)
		}
	}
	// A page with an unusual Float is left to encoding/json.
	p := &DescribeInstancesResponse{}
	p.Instances.Instance = []WireInstance{wireInstance(&openecs.Instance{})}
	p.Instances.Instance[0].SpotPriceLimit = "1e3"
	got, err := encodeBody(p, false, "")
	if err != nil || string(got) != encodingJSON(t, p) {
		t.Errorf("unusual Float: %v %s", err, got)
	}
}
