'use strict';
// @alicloud/ecs20140526 (the V2.0 SDK) configured with @alicloud/openapi-client's
// Config, as Alibaba Cloud's samples do, in its default mode: every call is
// signed with ACS3-HMAC-SHA256 in an Authorization header.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const Ecs = require('@alicloud/ecs20140526');
const OpenApi = require('@alicloud/openapi-client');
const { endpoint, region, image, itype, admin, newAccount, rejectsWith } = require('../lib/env');

function client(opts) {
  return new Ecs.default(new OpenApi.Config({ endpoint, protocol: 'HTTP', ...opts }));
}

const status = (err) => err.statusCode;

async function run(c, amount, extra) {
  const resp = await c.runInstances(new Ecs.RunInstancesRequest({ regionId: region, imageId: image, instanceType: itype, amount, ...extra }));
  assert.equal(resp.statusCode, 200);
  const ids = resp.body.instanceIdSets.instanceIdSet;
  assert.equal(ids.length, amount);
  return ids;
}

async function describe(c, id) {
  const resp = await c.describeInstances(new Ecs.DescribeInstancesRequest({ regionId: region, instanceIds: JSON.stringify([id]) }));
  assert.equal(resp.body.totalCount, 1);
  return resp.body.instances.instance[0];
}

test('lifecycle: run, describe, stop, start, reboot', async () => {
  const a = await newAccount('node-lifecycle', '100.00');
  const c = client({ accessKeyId: a.key, accessKeySecret: a.secret });
  const regions = await c.describeRegions(new Ecs.DescribeRegionsRequest({}));
  assert.ok(regions.body.regions.region.length > 0);

  const [id] = await run(c, 1, {
    instanceName: 'node-vm:1',
    description: 'a+b=c&d/é vm*(1)~',
    tag: [new Ecs.RunInstancesRequestTag({ key: 'env', value: 'dev test' })],
  });
  let inst = await describe(c, id);
  assert.equal(inst.status, 'Running');
  assert.equal(inst.instanceType, itype);
  assert.equal(inst.instanceName, 'node-vm:1');
  assert.equal(inst.description, 'a+b=c&d/é vm*(1)~');
  assert.equal(inst.tags.tag[0].tagValue, 'dev test');

  await rejectsWith(c.startInstance(new Ecs.StartInstanceRequest({ instanceId: id })), 'IncorrectInstanceStatus', 403, status);
  await c.stopInstance(new Ecs.StopInstanceRequest({ instanceId: id }));
  assert.equal((await describe(c, id)).status, 'Stopped');
  await rejectsWith(c.rebootInstance(new Ecs.RebootInstanceRequest({ instanceId: id })), 'IncorrectInstanceStatus', 403, status);
  await c.startInstance(new Ecs.StartInstanceRequest({ instanceId: id }));
  await c.rebootInstance(new Ecs.RebootInstanceRequest({ instanceId: id }));
  inst = await describe(c, id);
  assert.equal(inst.status, 'Running');
  await rejectsWith(c.stopInstance(new Ecs.StopInstanceRequest({ instanceId: 'i-doesnotexist' })), 'InvalidInstanceId.NotFound', 404, status);
});

test('ReActivateInstances errors', async () => {
  const a = await newAccount('node-reactivate', '400.00');
  const c = client({ accessKeyId: a.key, accessKeySecret: a.secret });
  const [sub] = await run(c, 1, { instanceChargeType: 'PrePaid', period: 1, periodUnit: 'Month' });
  const [healthy] = await run(c, 1);
  const reactivate = (id) => c.reActivateInstances(new Ecs.ReActivateInstancesRequest({ instanceId: id }));
  await rejectsWith(reactivate('i-bpnosuchinstance000'), 'InvalidInstanceId.NotFound', 404, status);
  await rejectsWith(reactivate(sub), 'InvalidPayType.NotSupport', 404, status);
  await rejectsWith(reactivate(healthy), 'ReopenInstance.InstanceStatusNotValid', 400, status);
  await admin('POST', `/admin/v1/instances/${healthy}/locks`, { reason: 'security' }, 200);
  await rejectsWith(reactivate(healthy), 'InstanceLockedForSecurity', 403, status);
});

test('reserved instances: purchase and renewal', async () => {
  const a = await newAccount('node-reserved', '100000.00');
  const c = client({ accessKeyId: a.key, accessKeySecret: a.secret });
  const buy = await c.purchaseReservedInstancesOffering(new Ecs.PurchaseReservedInstancesOfferingRequest({
    regionId: region, instanceType: itype, scope: 'Region', offeringType: 'All Upfront', period: 1, periodUnit: 'Year', instanceAmount: 1,
  }));
  const [id] = buy.body.reservedInstanceIdSets.reservedInstanceId;
  assert.match(id, /^ecsri-/);
  const get = async () => (await c.describeReservedInstances(new Ecs.DescribeReservedInstancesRequest({
    regionId: region, reservedInstanceId: [id],
  }))).body.reservedInstances.reservedInstance[0];
  const before = await get();
  assert.equal(before.offeringType, 'All Upfront');
  assert.equal(before.status, 'Active');
  const renew = await c.renewReservedInstances(new Ecs.RenewReservedInstancesRequest({
    regionId: region, reservedInstanceId: [id], period: 1, periodUnit: 'Year',
  }));
  assert.ok(renew.body.orderId);
  assert.notEqual(renew.body.orderId, buy.body.orderId);
  const after = await get();
  const year = (s) => Number(s.slice(0, 4));
  assert.equal(year(after.expiredTime), year(before.expiredTime) + 1);
  assert.equal((await admin('GET', `/admin/v1/accounts/${a.id}`, undefined, 200)).balance, '94460.00');
  await rejectsWith(c.renewReservedInstances(new Ecs.RenewReservedInstancesRequest({
    regionId: region, reservedInstanceId: ['ecsri-bpnosuchreserved0'], period: 1, periodUnit: 'Year',
  })), 'InvalidReservedInstanceId.NotFound', 404, status);
});

test('STS credentials', async () => {
  const a = await newAccount('node-sts', '100.00');
  const s = await admin('POST', `/admin/v1/accounts/${a.id}/sts`, { duration: '1h' }, 201);
  const c = client({ accessKeyId: s.access_key_id, accessKeySecret: s.access_key_secret, securityToken: s.security_token });
  const [id] = await run(c, 1);
  const owner = client({ accessKeyId: a.key, accessKeySecret: a.secret });
  assert.equal((await describe(owner, id)).status, 'Running');
  const forged = client({ accessKeyId: s.access_key_id, accessKeySecret: s.access_key_secret, securityToken: 'CAISforged' });
  await rejectsWith(forged.describeInstances(new Ecs.DescribeInstancesRequest({ regionId: region })), 'InvalidSecurityToken.Malformed', 400, status);
});

test('bearer token', async () => {
  const a = await newAccount('node-bearer', '100.00');
  const out = await admin('POST', `/admin/v1/accounts/${a.id}/bearer-tokens`, { duration: '1h' }, 201);
  const c = client({ bearerToken: out.bearer_token });
  const [id] = await run(c, 1);
  assert.equal((await describe(c, id)).status, 'Running');
  const forged = client({ bearerToken: 'bt-forged' });
  await rejectsWith(forged.describeInstances(new Ecs.DescribeInstancesRequest({ regionId: region })), 'InvalidAccessKeyId.NotFound', 404, status);
});

test('a wrong secret', async () => {
  const c = client({ accessKeyId: 'test', accessKeySecret: 'wrong' });
  const err = await rejectsWith(c.describeRegions(new Ecs.DescribeRegionsRequest({})), 'SignatureDoesNotMatch', 400, status);
  assert.match(err.message, /server string to sign is:ACS3-HMAC-SHA256/);
  const unknown = client({ accessKeyId: 'LTAInope', accessKeySecret: 'x' });
  await rejectsWith(unknown.describeRegions(new Ecs.DescribeRegionsRequest({})), 'InvalidAccessKeyId.NotFound', 404, status);
});
