'use strict';
// @alicloud/openapi-client's generic callApi, which signs ACS3-HMAC-SHA256
// itself: the parameters in a form body and in a JSON body, covered by
// x-acs-content-sha256.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const OpenApi = require('@alicloud/openapi-client');
const Util = require('@alicloud/tea-util');
const { endpoint, region, image, itype, newAccount, rejectsWith } = require('../lib/env');

function params(action, reqBodyType) {
  return new OpenApi.Params({
    action, version: '2014-05-26', protocol: 'HTTP', pathname: '/', method: 'POST', authType: 'AK', style: 'RPC',
    reqBodyType, bodyType: 'json',
  });
}

for (const bodyType of ['formData', 'json']) {
  test(`callApi with a ${bodyType} body`, async () => {
    const a = await newAccount(`node-callapi-${bodyType}`, '100.00');
    const c = new OpenApi.default(new OpenApi.Config({ accessKeyId: a.key, accessKeySecret: a.secret, endpoint, protocol: 'HTTP' }));
    const runtime = new Util.RuntimeOptions({});
    const made = await c.callApi(params('RunInstances', bodyType), new OpenApi.OpenApiRequest({
      body: {
        RegionId: region, ImageId: image, InstanceType: itype, Amount: 3, InstanceName: `generic-${bodyType}`,
        Tag: [{ Key: 'via', Value: bodyType }],
      },
    }), runtime);
    const ids = made.body.InstanceIdSets.InstanceIdSet;
    assert.equal(ids.length, 3);
    const page = await c.callApi(params('DescribeInstances', bodyType), new OpenApi.OpenApiRequest({
      query: { RegionId: region },
      body: { PageSize: 2, InstanceIds: JSON.stringify(ids) },
    }), runtime);
    assert.equal(page.body.PageSize, 2);
    assert.equal(page.body.TotalCount, 3);
    const insts = page.body.Instances.Instance;
    assert.equal(insts.length, 2);
    assert.equal(insts[0].InstanceName, `generic-${bodyType}`);
    assert.equal(insts[0].Tags.Tag[0].TagValue, bodyType);

    const bad = new OpenApi.default(new OpenApi.Config({ accessKeyId: a.key, accessKeySecret: 'wrong', endpoint, protocol: 'HTTP' }));
    await rejectsWith(bad.callApi(params('DescribeInstances', bodyType), new OpenApi.OpenApiRequest({ body: { RegionId: region } }), runtime),
      'SignatureDoesNotMatch', 400, (err) => err.statusCode ?? err.data?.statusCode);
  });
}
