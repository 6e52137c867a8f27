package main

import (
	"strings"
	"testing"
)

// --query prints what a JMESPath expression picks: a string bare (for a
// shell's $(…)), anything else as JSON; errors are refused up front.
func TestCallQuery(t *testing.T) {
	cliEnv(t)
	srv := newECSStub(t, 200, `{"RequestId":"r","InstanceIdSets":{"InstanceIdSet":["i-1","i-2"]},"TotalCount":2}`)
	for _, c := range []struct{ query, out string }{
		{"InstanceIdSets.InstanceIdSet[0]", "i-1\n"},
		{"InstanceIdSets.InstanceIdSet", "[\n  \"i-1\",\n  \"i-2\"\n]\n"},
		{"TotalCount", "2\n"},
		{"Nothing", "null\n"},
	} {
		code, out, errs := call("--endpoint", srv.URL, "--query", c.query, "RunInstances")
		if code != 0 || out != c.out {
			t.Errorf("--query %s: exit %d, stdout %q (want %q), stderr %s", c.query, code, out, c.out, errs)
		}
	}
	if code, _, errs := call("--endpoint", srv.URL, "--query", "a[", "RunInstances"); code != 2 || !strings.Contains(errs, "--query") {
		t.Errorf("a malformed --query: exit %d %s", code, errs)
	}
	if code, _, errs := call("--endpoint", srv.URL, "--format", "xml", "--query", "a", "RunInstances"); code != 2 || !strings.Contains(errs, "--format") {
		t.Errorf("--query with XML: exit %d %s", code, errs)
	}
	// An error answer is printed whole, whatever --query says.
	srv = newECSStub(t, 404, `{"RequestId":"r","Code":"InvalidInstanceId.NotFound","Message":"m"}`)
	if code, out, _ := call("--endpoint", srv.URL, "--query", "RequestId", "StopInstance"); code != 1 || !strings.Contains(out, "InvalidInstanceId.NotFound") {
		t.Errorf("an error answer with --query: exit %d %s", code, out)
	}
}

func TestAdminQuery(t *testing.T) {
	cliEnv(t)
	srv := newAdminStub(t, map[string]string{"POST /admin/v1/accounts": `{"account_id":"a1","access_key_id":"AK","balance":"1.00"}`})
	for _, args := range [][]string{
		{"--endpoint", srv.URL, "--query", "account_id", "accounts", "create", "--name", "ci", "--balance", "1"},
		{"--endpoint", srv.URL, "accounts", "create", "--name", "ci", "--balance", "1", "--query", "account_id"},
	} {
		if code, out, errs := admin(args...); code != 0 || out != "a1\n" {
			t.Errorf("%q: exit %d, stdout %q, stderr %s", args, code, out, errs)
		}
	}
	if code, _, errs := admin("--endpoint", srv.URL, "--query", "[", "clock", "show"); code != 2 || !strings.Contains(errs, "--query") {
		t.Errorf("a malformed --query: exit %d %s", code, errs)
	}
}
