package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/jmespath/go-jmespath"
)

// queryHelp is the help of --query, which `openecs call` and `openecs
// admin` share.
const queryHelp = "print only what this JMESPath expression picks from a JSON answer (a string bare, anything else as JSON), e.g. InstanceIdSets.InstanceIdSet[0]"

// compileQuery checks a --query expression; "" is no query.
func compileQuery(expr string) (*jmespath.JMESPath, error) {
	if expr == "" {
		return nil, nil
	}
	q, err := jmespath.Compile(expr)
	if err != nil {
		return nil, usagef("--query %q: %v", expr, err)
	}
	return q, nil
}

// writeQueried prints what q picks from the JSON document doc: a string as
// it is (so that a shell can take it with $(…)), anything else as JSON
// (null when nothing matched).
func writeQueried(w io.Writer, q *jmespath.JMESPath, doc []byte) error {
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		return fmt.Errorf("--query: the answer is not JSON: %v", err)
	}
	got, err := q.Search(v)
	if err != nil {
		return fmt.Errorf("--query: %v", err)
	}
	if s, ok := got.(string); ok {
		_, err = fmt.Fprintln(w, s)
		return err
	}
	b, err := json.Marshal(got)
	if err != nil {
		return fmt.Errorf("--query: %v", err)
	}
	writeBody(w, b)
	return nil
}
