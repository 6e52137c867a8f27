package rpc

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strconv"
)

// Response bodies are Go structs whose json and xml tags carry the exact wire
// names; the XML root is <ActionResponse>, lists are repeated child elements.

// errorBody is the error shape the SDK reads: every field a string.
type errorBody struct {
	XMLName   xml.Name `json:"-" xml:"Error"`
	RequestID string   `json:"RequestId" xml:"RequestId"`
	HostID    string   `json:"HostId" xml:"HostId"`
	Code      string   `json:"Code" xml:"Code"`
	Message   string   `json:"Message" xml:"Message"`
	Recommend string   `json:"Recommend" xml:"Recommend"`
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// encodeBody renders v as JSON, or as XML under the root element `root`.
func encodeBody(v any, asXML bool, root string) ([]byte, error) {
	var buf bytes.Buffer
	if asXML {
		buf.WriteString(xmlHeader)
		enc := xml.NewEncoder(&buf)
		var err error
		if root != "" {
			err = enc.EncodeElement(v, xml.StartElement{Name: xml.Name{Local: root}})
		} else {
			err = enc.Encode(v)
		}
		if err != nil {
			return nil, err
		}
		return buf.Bytes(), enc.Close()
	}
	if page, ok := v.(*DescribeInstancesResponse); ok && page.plainFloats() {
		return page.appendJSON(make([]byte, 0, 256+2200*len(page.Instances.Instance))), nil
	}
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	return b[:len(b)-1], nil // drop the encoder's newline
}

func writeBody(w http.ResponseWriter, status int, body []byte, asXML bool) {
	h := w.Header()
	if asXML {
		h.Set("Content-Type", "text/xml;charset=utf-8")
	} else {
		h.Set("Content-Type", "application/json;charset=utf-8")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body) //nolint:errcheck // the client went away
}

func hashHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Float is a money amount written as a JSON number (TradePrice,
// SpotPriceLimit): the exact decimal text, never a binary float.
type Float string

// MarshalJSON writes the number unquoted.
func (f Float) MarshalJSON() ([]byte, error) {
	if f == "" {
		return []byte("0"), nil
	}
	return []byte(f), nil
}
