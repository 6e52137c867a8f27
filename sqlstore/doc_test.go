package sqlstore

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/openecs/openecs"
)

// fill gives every field of v (a struct) a non-zero value of its kind.
func fill(t *testing.T, v reflect.Value, text string) {
	t.Helper()
	for i := range v.NumField() {
		f, name := v.Field(i), v.Type().Field(i).Name
		switch f.Kind() {
		case reflect.Int, reflect.Int64:
			f.SetInt(1234567)
		case reflect.String:
			f.SetString(text + name)
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Struct:
			fill(t, f, text)
		case reflect.Slice:
			switch f.Type().Elem().Kind() {
			case reflect.String:
				f.Set(reflect.ValueOf([]string{text + "a", "b"}))
			case reflect.Struct:
				s := reflect.MakeSlice(f.Type(), 2, 2)
				fill(t, s.Index(0), text)
				fill(t, s.Index(1), "")
				f.Set(s)
			default:
				t.Fatalf("instanceDoc.%s: a slice of %s; teach the codec and this test about it", name, f.Type().Elem())
			}
		default:
			t.Fatalf("instanceDoc.%s has kind %s; teach the codec and this test about it", name, f.Kind())
		}
	}
}

// docCases are documents covering every field alone, all together, and
// strings that need escaping.
func docCases(t *testing.T) map[string]instanceDoc {
	cases := map[string]instanceDoc{"zero": {}}
	var all instanceDoc
	fill(t, reflect.ValueOf(&all).Elem(), "v-")
	cases["all"] = all
	typ := reflect.TypeFor[instanceDoc]()
	for i := range typ.NumField() {
		var d instanceDoc
		reflect.ValueOf(&d).Elem().Field(i).Set(reflect.ValueOf(all).Field(i))
		cases["only "+typ.Field(i).Name] = d
	}
	for name, text := range map[string]string{
		"quote": `a"b`, "backslash": `a\b`, "html": "<a&b>", "control": "a\nb\x01", "chinese": "阿里云 Linux 64位",
		"line separator": "a\u2028b", "invalid utf-8": "a\xffb", "empty": "",
	} {
		d := all
		d.OSName, d.HostName, d.Description = text, text, text
		d.Tags = []openecs.Tag{{Key: text, Value: text}}
		d.SecurityGroupIDs = []string{text}
		cases["text "+name] = d
	}
	d := all
	d.SecurityGroupIDs, d.Tags = []string{}, []openecs.Tag{}
	cases["empty lists"] = d
	d.SecurityGroupIDs, d.Tags = nil, nil
	cases["nil lists"] = d
	d.SpotPriceLimit = -5
	cases["negative money"] = d
	return cases
}

func TestDocEncoderMatchesEncodingJSON(t *testing.T) {
	for name, d := range docCases(t) {
		want, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendDoc(nil, &d); string(got) != string(want) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
}

func TestDocDecoderMatchesEncodingJSON(t *testing.T) {
	for name, d := range docCases(t) {
		compact, _ := json.Marshal(d)
		spaced, _ := json.MarshalIndent(d, "", "  ")
		for form, doc := range map[string]string{"compact": string(compact), "indented": string(spaced),
			"reordered": reorder(t, compact), "with unknown key": `{"zz":[1,{"a":null}],` + string(compact[1:])} {
			var want, got instanceDoc
			if err := json.Unmarshal([]byte(doc), &want); err != nil {
				t.Fatal(err)
			}
			if err := decodeDoc(doc, &got); err != nil {
				t.Fatalf("%s (%s): %v", name, form, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s (%s):\n got %+v\nwant %+v", name, form, got, want)
			}
		}
	}
	var d instanceDoc
	if err := decodeDoc(`{"cpu":"x"}`, &d); err == nil {
		t.Error("a document encoding/json refuses was accepted")
	}
}

// reorder writes the document's keys in reverse order, as a database that
// stores JSON in its own way might give them back.
func reorder(t *testing.T, doc []byte) string {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	out := []byte("{ ")
	first := true
	keys := reflect.ValueOf(m).MapKeys()
	for i := len(keys) - 1; i >= 0; i-- {
		k := keys[i].String()
		if !first {
			out = append(out, ", "...)
		}
		first = false
		kb, _ := json.Marshal(k)
		out = append(append(append(out, kb...), ": "...), m[k]...)
	}
	return string(append(out, " }"...))
}

// benchDoc is a typical instance's document.
func benchDoc() instanceDoc {
	return instanceDoc{CPU: 2, MemoryMiB: 8192, OSName: "Alibaba Cloud Linux  3.2104 LTS 64位", OSNameEn: "Alibaba Cloud Linux  3.2104 LTS 64 bit",
		OSType: "linux", HostName: "iZbp1f0a9d3c8e7b6a5dZ", SpotStrategy: openecs.NoSpot, InternetChargeType: "PayByTraffic", BandwidthIn: 100,
		SecurityGroupIDs: []string{"sg-bp1g7004ksh0oeuco2kl"}, PrivateIP: "172.16.0.7", NetworkInterfaceID: "eni-bp1f0a9d3c8e7b6a5d",
		MacAddress: "00:16:3e:12:34:56", SerialNumber: "a4c2b1d6-3e5f-4a7b-9c8d-0e1f2a3b4c5d", IoOptimized: true,
		StartedAt: 1795000000000, HoldsCapacity: true, Tags: []openecs.Tag{{Key: "env", Value: "prod"}}}
}

// BenchmarkDoc compares the document codec with encoding/json.
func BenchmarkDoc(b *testing.B) {
	d := benchDoc()
	doc, _ := json.Marshal(d)
	b.Run("decode/codec", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out instanceDoc
			if err := decodeDoc(string(doc), &out); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode/encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out instanceDoc
			if err := json.Unmarshal(doc, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encode/codec", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			appendDoc(make([]byte, 0, 640), &d)
		}
	})
	b.Run("encode/encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			json.Marshal(d) //nolint:errcheck
		}
	})
}
