'use strict';

// Invalid requests are refused with Faye's error codes, and the client's
// session survives them.
//   publish to a pattern ('/foo/*')       -> 405 Invalid channel
//   subscribe to '/meta/foo', '/service/foo' -> 403 Forbidden channel

const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

test('publishing to a wildcard channel is rejected', { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const base = h.uniquePrefix('badpub');
  const client = h.createClient(t);
  const listener = h.createClient(t);
  const deep = await h.subscribe(listener, `${base}/**`);

  for (const pattern of [`${base}/foo/*`, `${base}/foo/**`]) {
    const error = await h.expectRejection(client.publish(pattern, { bad: true }), h.WAIT_MS, `rejection of publish to ${pattern}`);
    assert.equal(error.code, 405, `code for ${pattern}`);
    assert.equal(error.message, 'Invalid channel');
  }

  // Nothing was delivered, and the publisher can still publish.
  await h.publish(client, `${base}/ok`, { good: true });
  await deep.inbox.count(1);
  assert.deepEqual(deep.inbox.items, [{ good: true }]);

  await h.assertTestTransports(t, assert);
});

test('subscribing to /meta/foo or /service/foo is rejected', { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const client = h.createClient(t);

  for (const channel of ['/meta/foo', '/service/foo']) {
    const error = await h.expectRejection(client.subscribe(channel, () => {}), h.WAIT_MS, `rejection of subscribe to ${channel}`);
    assert.equal(error.code, 403, `code for ${channel}`);
    assert.equal(error.message, 'Forbidden channel');
    const reply = client.probe.incoming.items.find((m) => m.channel === '/meta/subscribe' &&
      [].concat(m.subscription).includes(channel));
    assert.equal(reply.successful, false);
  }

  // The session still works after the rejections.
  const channel = `${h.uniquePrefix('after')}/ok`;
  const sub = await h.subscribe(client, channel);
  await h.publish(client, channel, { alive: true });
  assert.deepEqual((await sub.inbox.count(1))[0], { alive: true });

  await h.assertTestTransports(t, assert);
});
