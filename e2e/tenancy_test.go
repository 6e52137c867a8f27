package e2e

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

func TestAccountsCannotSeeOrTouchEachOther(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	alice, bob := e.newAccount("100.00"), e.newAccount("100.00")
	id := run(t, alice.ECS, 1)[0]

	if n := countInstances(t, bob.ECS); n != 0 {
		t.Fatalf("bob sees %d instances", n)
	}
	req := ecs.CreateDescribeInstancesRequest()
	req.RegionId, req.InstanceIds = region, `["`+id+`"]`
	resp, err := bob.ECS.DescribeInstances(req)
	ok(t, err)
	if resp.TotalCount != 0 || len(resp.Instances.Instance) != 0 {
		t.Fatalf("bob found alice's instance by id")
	}
	apiError(t, stop(bob.ECS, id, ""), "InvalidInstanceId.NotFound", 404)
	apiError(t, reboot(bob.ECS, id), "InvalidInstanceId.NotFound", 404)
	del := ecs.CreateDeleteInstanceRequest()
	del.InstanceId, del.Force = id, "true"
	_, err = bob.ECS.DeleteInstance(del)
	apiError(t, err, "InvalidInstanceId.NotFound", 404)
	wantStatus(t, alice.ECS, id, "Running")

	// Another region than the instance's does not find it either.
	sreq := ecs.CreateStopInstanceRequest()
	sreq.InstanceId, sreq.RegionId = id, "cn-beijing"
	_, err = alice.ECS.StopInstance(sreq)
	apiError(t, err, "InvalidInstanceId.NotFound", 404)
}

func TestKeyAllowListAnswersForbiddenRAM(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("100.00")
	id := run(t, a.ECS, 1)[0]
	k := e.admin("POST", "/admin/v1/accounts/"+a.ID+"/keys", map[string]any{"allowed_actions": []string{"DescribeInstances", "StopInstance"}}, 201)
	limited := e.client(k["access_key_id"].(string), k["access_key_secret"].(string))

	if n := countInstances(t, limited); n != 1 {
		t.Fatalf("the limited key sees %d instances, want its account's 1", n)
	}
	ok(t, stop(limited, id, ""))
	apiError(t, start(limited, id), "Forbidden.RAM", 403)
	apiError(t, reboot(limited, id), "Forbidden.RAM", 403)
	ok(t, start(a.ECS, id)) // the account's own key may
}

func TestSTSCredentials(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("100.00")
	s := e.admin("POST", "/admin/v1/accounts/"+a.ID+"/sts", map[string]any{"duration": "1h"}, 201)
	for _, k := range []string{"access_key_id", "access_key_secret", "security_token", "expiration"} {
		if v, _ := s[k].(string); v == "" {
			t.Fatalf("STS answer lacks %s: %v", k, s)
		}
	}
	c := e.stsClient(s["access_key_id"].(string), s["access_key_secret"].(string), s["security_token"].(string))
	id := run(t, c, 1)[0]
	wantStatus(t, a.ECS, id, "Running") // made in the STS credentials' account

	wrong := e.stsClient(s["access_key_id"].(string), s["access_key_secret"].(string), "CAISforged")
	_, err := wrong.DescribeInstances(ecs.CreateDescribeInstancesRequest())
	apiError(t, err, "InvalidSecurityToken.Malformed", 400)
	noToken := e.client(s["access_key_id"].(string), s["access_key_secret"].(string))
	_, err = noToken.DescribeInstances(ecs.CreateDescribeInstancesRequest())
	apiError(t, err, "MissingParameter", 400)
}

func TestBearerToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("100.00")
	out := e.admin("POST", "/admin/v1/accounts/"+a.ID+"/bearer-tokens", map[string]any{"duration": "1h"}, 201)
	tok, _ := out["bearer_token"].(string)
	if tok == "" || out["expiration"] == "" {
		t.Fatalf("bearer token answer: %v", out)
	}
	c := bearerClient(t, e, tok)
	id := run(t, c, 1)[0]
	wantStatus(t, a.ECS, id, "Running")
	bad := bearerClient(t, e, "bt-forged")
	_, err := bad.DescribeInstances(ecs.CreateDescribeInstancesRequest())
	apiError(t, err, "InvalidAccessKeyId.NotFound", 404)
}

// bearerClient is an ECS client with bearer-token credentials.
func bearerClient(t *testing.T, e *env, token string) *ecs.Client {
	t.Helper()
	sdkMu.Lock()
	defer sdkMu.Unlock()
	c := &ecs.Client{}
	if err := c.InitWithBearerToken("cn-hangzhou", token); err != nil {
		t.Fatal(err)
	}
	c.Domain = e.addr()
	return c
}
