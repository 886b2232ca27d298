'use strict';

// 1,000 messages from one publisher reach a subscriber complete, in order,
// without duplicates.
//
// Sequential: each publish is acknowledged before the next is sent.  The
// server has then accepted message i before i+1, so it must deliver them in
// that order on either transport.
//
// Burst: all 1,000 are handed to the client at once.  Over WebSocket the
// client writes them, in order, to one socket, so order is asserted.  Over
// long-polling the Faye client splits the burst into ~2 KB batches and POSTs
// them concurrently on separate HTTP connections; neither Faye nor the Bayeux
// spec orders messages across concurrent requests, so only completeness and
// absence of duplicates are asserted there (order within a batch still holds).

const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

const COUNT = 1000;
const range = (n) => Array.from({ length: n }, (_, i) => i);

test(`${COUNT} sequentially published messages arrive complete and in order`, { timeout: 3 * h.TEST_TIMEOUT_MS }, async (t) => {
  const channel = `${h.uniquePrefix('seq')}/stream`;
  const subscriber = h.createClient(t);
  const publisher = h.createClient(t);
  const { inbox } = await h.subscribe(subscriber, channel);

  for (let seq = 0; seq < COUNT; seq++) {
    await h.publish(publisher, channel, { seq, body: `message ${seq}` });
  }
  await inbox.count(COUNT, 60000);

  await h.publish(publisher, channel, { marker: true });
  await inbox.count(COUNT + 1);

  assert.deepEqual(inbox.items.slice(0, COUNT).map((d) => d.seq), range(COUNT));
  assert.deepEqual(inbox.items[COUNT - 1], { seq: COUNT - 1, body: `message ${COUNT - 1}` });
  assert.deepEqual(inbox.items[COUNT], { marker: true });
  assert.equal(inbox.items.length, COUNT + 1, 'no duplicates');
  assert.equal(h.deliveries(subscriber, channel).length, COUNT + 1, 'server delivered each message once');

  await h.assertTestTransports(t, assert);
});

test(`${COUNT} messages published in one burst arrive complete, without duplicates` +
  (h.TRANSPORT === 'websocket' ? ' and in order' : ''), { timeout: 3 * h.TEST_TIMEOUT_MS }, async (t) => {
  const channel = `${h.uniquePrefix('burst')}/stream`;
  const subscriber = h.createClient(t);
  const publisher = h.createClient(t);
  const { inbox } = await h.subscribe(subscriber, channel);
  // Handshake the publisher first so the burst is not queued behind it.
  await h.subscribe(publisher, `${channel}-unused`);

  const acks = range(COUNT).map((seq) => publisher.publish(channel, { seq }));
  await h.withTimeout(Promise.all(acks.map((p) => h.withTimeout(p, 60000, 'burst publish'))),
    60000, 'all burst acknowledgements');
  await inbox.count(COUNT, 60000);

  await h.publish(publisher, channel, { marker: true });
  await inbox.count(COUNT + 1);

  const seqs = inbox.items.slice(0, COUNT).map((d) => d.seq);
  assert.deepEqual([...seqs].sort((a, b) => a - b), range(COUNT), 'every message once');
  if (h.TRANSPORT === 'websocket') assert.deepEqual(seqs, range(COUNT), 'in publish order');
  assert.deepEqual(inbox.items[COUNT], { marker: true });
  assert.equal(h.deliveries(subscriber, channel).length, COUNT + 1, 'server delivered each message once');

  await h.assertTestTransports(t, assert);
});
