'use strict';

// Channel patterns: '/room/*' matches one segment, '/room/**' any depth, and
// a client holding two overlapping patterns gets one copy of a message
// (Faye's server collects the set of subscribed clients before queueing).
// All channels live under a unique prefix, e.g. /it-<run>-<n>/room/*.

const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

test("'/room/*' receives '/room/a' but not '/room/a/b'; '/room/**' receives both", { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const base = `${h.uniquePrefix('wild')}/room`;
  const single = h.createClient(t);
  const deep = h.createClient(t);
  const publisher = h.createClient(t);

  const one = single.subscribe(`${base}/*`, () => {});
  const seenSingle = new h.Inbox('single-segment pattern');
  one.withChannel((channel, data) => seenSingle.push({ channel, data }));
  await h.withTimeout(one, h.WAIT_MS, `subscription to ${base}/*`);

  const all = deep.subscribe(`${base}/**`, () => {});
  const seenDeep = new h.Inbox('any-depth pattern');
  all.withChannel((channel, data) => seenDeep.push({ channel, data }));
  await h.withTimeout(all, h.WAIT_MS, `subscription to ${base}/**`);

  await h.publish(publisher, `${base}/a`, { at: 'a' });
  await h.publish(publisher, `${base}/a/b`, { at: 'a/b' });
  await h.publish(publisher, `${base}/z`, { marker: true });

  await seenSingle.count(2);
  await seenDeep.count(3);

  assert.deepEqual(seenSingle.items, [
    { channel: `${base}/a`, data: { at: 'a' } },
    { channel: `${base}/z`, data: { marker: true } }
  ]);
  assert.deepEqual(seenDeep.items, [
    { channel: `${base}/a`, data: { at: 'a' } },
    { channel: `${base}/a/b`, data: { at: 'a/b' } },
    { channel: `${base}/z`, data: { marker: true } }
  ]);
  // Wire level: the server never sent /room/a/b to the '/room/*' client.
  assert.equal(h.deliveries(single, `${base}/a/b`).length, 0);

  await h.assertTestTransports(t, assert);
});

test("a client subscribed to '/x/*' and '/x/**' receives a matching publish exactly once", { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const base = `${h.uniquePrefix('overlap')}/x`;
  const client = h.createClient(t);
  const publisher = h.createClient(t);

  const star = await h.subscribe(client, `${base}/*`);
  const globstar = await h.subscribe(client, `${base}/**`);

  await h.publish(publisher, `${base}/a`, { once: true });
  await h.publish(publisher, `${base}/end`, { marker: true });
  await h.awaitDelivery(client, `${base}/end`);
  await star.inbox.count(2);
  await globstar.inbox.count(2);

  // The server sent one copy ...
  assert.equal(h.deliveries(client, `${base}/a`).length, 1, 'server delivered the message once');
  assert.equal(h.deliveries(client, `${base}/end`).length, 1);
  // ... and Faye's client hands that single copy to every matching
  // subscription, once each.
  assert.deepEqual(star.inbox.items, [{ once: true }, { marker: true }]);
  assert.deepEqual(globstar.inbox.items, [{ once: true }, { marker: true }]);

  await h.assertTestTransports(t, assert);
});
