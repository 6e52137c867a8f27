'use strict';
// @alicloud/pop-core, the older Node SDK: signature v1.0 (HMAC-SHA1), every
// parameter in a form body with POST, in the query with GET.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const RPCClient = require('@alicloud/pop-core');
const { endpoint, region, image, itype, admin, newAccount, rejectsWith } = require('../lib/env');

function client(opts) {
  return new RPCClient({ endpoint: `http://${endpoint}`, apiVersion: '2014-05-26', ...opts });
}

const status = (err) => err.entry.response.statusCode;

for (const method of ['POST', 'GET']) {
  test(`pop-core with ${method}`, async () => {
    const a = await newAccount(`node-pop-${method}`, '100.00');
    const c = client({ accessKeyId: a.key, accessKeySecret: a.secret });
    const opts = { method };
    const regions = await c.request('DescribeRegions', {}, opts);
    assert.ok(regions.Regions.Region.length > 0);
    const made = await c.request('RunInstances', {
      RegionId: region, ImageId: image, InstanceType: itype, InstanceName: 'pop-vm:1', Description: 'a+b=c&d/é vm*(1)~',
    }, opts);
    const [id] = made.InstanceIdSets.InstanceIdSet;
    const desc = await c.request('DescribeInstances', { RegionId: region, InstanceIds: JSON.stringify([id]) }, opts);
    assert.equal(desc.Instances.Instance[0].InstanceName, 'pop-vm:1');
    assert.equal(desc.Instances.Instance[0].Description, 'a+b=c&d/é vm*(1)~');
    await c.request('StopInstance', { InstanceId: id }, opts);
    await rejectsWith(c.request('StopInstance', { InstanceId: id }, opts), 'IncorrectInstanceStatus', 403, status);
    await c.request('StartInstance', { InstanceId: id }, opts);

    const bad = client({ accessKeyId: a.key, accessKeySecret: 'wrong' });
    const err = await rejectsWith(bad.request('DescribeRegions', {}, opts), 'SignatureDoesNotMatch', 400, status);
    assert.match(err.data.Message, new RegExp(`server string to sign is:${method}&%2F&`));

    const s = await admin('POST', `/admin/v1/accounts/${a.id}/sts`, { duration: '1h' }, 201);
    const sts = client({ accessKeyId: s.access_key_id, accessKeySecret: s.access_key_secret, securityToken: s.security_token });
    const mine = await sts.request('DescribeInstances', { RegionId: region }, opts);
    assert.equal(mine.TotalCount, 1);
  });
}
