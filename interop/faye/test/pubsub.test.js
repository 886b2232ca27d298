'use strict';

// Handshake + subscribe + publish + receive, with two clients, and the
// publisher receiving its own broadcast.

const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

test('handshake, subscribe, publish: the subscriber receives the exact data', { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const channel = `${h.uniquePrefix('basic')}/chat`;
  const subscriber = h.createClient(t);
  const publisher = h.createClient(t);

  const { inbox } = await h.subscribe(subscriber, channel);

  // The handshake reply as the client saw it.
  const handshake = subscriber.probe.incoming.items.find((m) => m.channel === '/meta/handshake');
  assert.ok(handshake, 'a /meta/handshake reply was received');
  assert.equal(handshake.successful, true);
  assert.equal(typeof handshake.clientId, 'string');
  assert.ok(handshake.clientId.length > 0);
  assert.equal(handshake.version, '1.0');
  assert.ok(handshake.supportedConnectionTypes.includes(h.TRANSPORT),
    `server offers ${h.TRANSPORT}: ${JSON.stringify(handshake.supportedConnectionTypes)}`);

  const data = {
    text: 'hello',
    n: 42,
    pi: 3.25,
    flag: false,
    nothing: null,
    list: [1, 'two', { three: 3 }, [4]],
    unicode: 'caf\u00e9 \u2713 \u{1F600}',
    nested: { deeper: { deepest: 'yes' } }
  };
  await h.publish(publisher, channel, data);

  const [received] = await inbox.count(1);
  assert.deepEqual(received, data);

  // Exactly one delivery: a second (marker) publish bounds the wait.
  await h.publish(publisher, channel, { marker: true });
  await inbox.count(2);
  assert.deepEqual(inbox.items, [data, { marker: true }]);
  assert.equal(h.deliveries(subscriber, channel).length, 2);

  await h.assertTestTransports(t, assert);
});

test('a publisher subscribed to the channel receives its own broadcast', { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const channel = `${h.uniquePrefix('self')}/echo`;
  const page = h.createClient(t);
  const other = h.createClient(t);

  const mine = await h.subscribe(page, channel);
  const theirs = await h.subscribe(other, channel);

  const data = { operation: 'update', data: { id: 7, value: 'y' }, clientId: 'page-self' };
  await h.publish(page, channel, data);

  assert.deepEqual((await mine.inbox.count(1))[0], data);
  assert.deepEqual((await theirs.inbox.count(1))[0], data);

  await h.publish(page, channel, { marker: 1 });
  await mine.inbox.count(2);
  await theirs.inbox.count(2);
  assert.deepEqual(mine.inbox.items, [data, { marker: 1 }], 'publisher got its own message exactly once');
  assert.deepEqual(theirs.inbox.items, [data, { marker: 1 }]);

  await h.assertTestTransports(t, assert);
});

// Faye 1.4.3's client does not notice that it already holds a subscription
// (Channel.Set#hasSubscription calls hasOwnProperty on a Map, which is always
// false), so a second client.subscribe() to the same channel sends a second
// /meta/subscribe.  The server must accept it idempotently and still deliver
// each message once; the client then calls both callbacks.
test('subscribing twice to the same channel: two /meta/subscribe, one delivery', { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const channel = `${h.uniquePrefix('twice')}/same`;
  const client = h.createClient(t);
  const publisher = h.createClient(t);

  const first = await h.subscribe(client, channel);
  const second = await h.subscribe(client, channel);
  const requests = client.probe.outgoing.items.filter((m) => m.channel === '/meta/subscribe' && m.subscription === channel);
  assert.equal(requests.length, 2, 'the client sent /meta/subscribe twice');

  await h.publish(publisher, channel, { n: 1 });
  await h.publish(publisher, channel, { marker: true });
  await first.inbox.count(2);
  await second.inbox.count(2);
  assert.equal(h.deliveries(client, channel).length, 2, 'one delivery per message');
  assert.deepEqual(first.inbox.items, [{ n: 1 }, { marker: true }]);
  assert.deepEqual(second.inbox.items, [{ n: 1 }, { marker: true }]);

  await h.assertTestTransports(t, assert);
});
