'use strict';
// The server under test and small helpers shared by the test files. The Go
// test package e2e/nodesdk starts an OpenECS server and runs `node --test`
// with OPENECS_ENDPOINT (host:port) and OPENECS_ADMIN_TOKEN set.

const assert = require('node:assert/strict');

const endpoint = process.env.OPENECS_ENDPOINT;
const adminToken = process.env.OPENECS_ADMIN_TOKEN;
if (!endpoint || !adminToken) {
  throw new Error('OPENECS_ENDPOINT and OPENECS_ADMIN_TOKEN must name a running OpenECS server (go test ./e2e/nodesdk sets them)');
}

const region = 'cn-hangzhou';
const image = 'aliyun_3_x64_20G_alibase_20240819.vhd';
const itype = 'ecs.g7.large';

// admin makes an admin API call and returns the decoded answer; any other
// status than want fails.
async function admin(method, path, body, want) {
  const res = await fetch(`http://${endpoint}${path}`, {
    method,
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const out = await res.json();
  assert.equal(res.status, want, `${method} ${path}: ${JSON.stringify(out)}`);
  return out;
}

// newAccount makes an account with a balance and returns its id and key pair.
async function newAccount(name, balance) {
  const out = await admin('POST', '/admin/v1/accounts', { name, balance }, 201);
  return { id: out.account_id, key: out.access_key_id, secret: out.access_key_secret };
}

// rejectsWith awaits a call that must fail with the ECS code and HTTP status
// (status read by statusOf from the SDK's error) and returns the error.
async function rejectsWith(promise, code, status, statusOf) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `the call succeeded; want ${code} (${status})`);
  assert.equal(err.code, code, `code of ${err.stack || err}`);
  assert.equal(statusOf(err), status, `HTTP status of ${err.code}: ${err.message}`);
  return err;
}

module.exports = { endpoint, adminToken, region, image, itype, admin, newAccount, rejectsWith };
