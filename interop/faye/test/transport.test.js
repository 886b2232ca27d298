'use strict';

// Proves the suite exercises the transport named by BAYEUX_TRANSPORT.
// See assertTransport() in lib/harness.js for how the selected transport is
// identified, and the HTTP request log there for the wire-level evidence.

const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

test(`the client really uses ${h.TRANSPORT}`, { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const firstRequest = h.httpLog.length;
  const channel = `${h.uniquePrefix('transport')}/check`;
  const client = h.createClient(t);
  let transportUp = 0;
  client.on('transport:up', () => { transportUp += 1; });

  const sub = await h.subscribe(client, channel);
  await h.assertTransport(client, assert);
  assert.ok(transportUp >= 1, 'transport:up fired');

  const afterSelection = h.httpLog.length;
  await h.publish(client, channel, { via: h.TRANSPORT });
  assert.deepEqual((await sub.inbox.count(1))[0], { via: h.TRANSPORT });
  await h.unsubscribe(client, sub.subscription, channel);

  const posts = h.httpLog.slice(firstRequest);
  const channels = posts.flatMap((p) => p.channels || []);
  assert.ok(posts.every((p) => p.method === 'POST'), 'the Node client only POSTs');
  assert.equal(channels[0], '/meta/handshake', 'the handshake is an HTTP POST');

  if (h.TRANSPORT === 'websocket') {
    // Only the handshake (and possibly a first /meta/connect sent before the
    // socket was ready) used HTTP; everything after selection went over the
    // socket.
    assert.deepEqual(channels.filter((c) => c !== '/meta/handshake' && c !== '/meta/connect'), [],
      `only handshake/connect over HTTP, saw ${JSON.stringify(channels)}`);
    assert.equal(channels.filter((c) => c === '/meta/handshake').length, 1);
    assert.equal(h.httpLog.length, afterSelection, 'no HTTP request after WebSocket was selected');
  } else {
    for (const expected of ['/meta/handshake', '/meta/connect', '/meta/subscribe', channel, '/meta/unsubscribe']) {
      assert.ok(channels.includes(expected), `${expected} went over HTTP: ${JSON.stringify(channels)}`);
    }
  }

  await h.assertTestTransports(t, assert);
});
