'use strict';

// After subscription.cancel() is acknowledged by the server, nothing more is
// delivered on that channel.  The wait is bounded by a marker published on a
// second channel the client still listens to: the publisher publishes the
// "should not arrive" message first, waits for its acknowledgement, then
// publishes the marker, so once the marker has arrived anything the server
// would have delivered for the first message has arrived too.

const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

test('no messages arrive after an acknowledged unsubscribe', { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const base = h.uniquePrefix('unsub');
  const channel = `${base}/news`;
  const markerChannel = `${base}/marker`;
  const listener = h.createClient(t);
  const publisher = h.createClient(t);

  const news = await h.subscribe(listener, channel);
  const marker = await h.subscribe(listener, markerChannel);

  await h.publish(publisher, channel, { n: 1 });
  assert.deepEqual((await news.inbox.count(1))[0], { n: 1 });

  const reply = await h.unsubscribe(listener, news.subscription, channel);
  assert.equal(reply.successful, true);
  assert.deepEqual([].concat(reply.subscription), [channel]);

  await h.publish(publisher, channel, { n: 2 });
  await h.publish(publisher, markerChannel, { marker: true });
  assert.deepEqual((await marker.inbox.count(1))[0], { marker: true });

  // Callback level (what an application sees) ...
  assert.deepEqual(news.inbox.items, [{ n: 1 }]);
  // ... and wire level: the server itself did not deliver { n: 2 }.
  assert.deepEqual(h.deliveries(listener, channel).map((m) => m.data), [{ n: 1 }]);

  await h.assertTestTransports(t, assert);
});

test('unsubscribing one of two channels keeps the other one flowing', { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const base = h.uniquePrefix('unsub2');
  const a = `${base}/a`;
  const b = `${base}/b`;
  const listener = h.createClient(t);
  const publisher = h.createClient(t);

  const subA = await h.subscribe(listener, a);
  const subB = await h.subscribe(listener, b);
  await h.unsubscribe(listener, subA.subscription, a);

  await h.publish(publisher, a, { to: 'a' });
  await h.publish(publisher, b, { to: 'b' });
  await subB.inbox.count(1);

  assert.deepEqual(subB.inbox.items, [{ to: 'b' }]);
  assert.deepEqual(subA.inbox.items, []);
  assert.equal(h.deliveries(listener, a).length, 0);

  await h.assertTestTransports(t, assert);
});
