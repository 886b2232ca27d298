'use strict';

// The HTTP server API of a cluster (bayeuxd with --engine redis): every call
// goes to the API of the first node, about Faye clients of the other nodes.
// BAYEUX_API_URLS lists each node's management URL in BAYEUX_URLS' order and
// BAYEUX_API_KEY is the API's key; skipped without them (Faye's own server
// has no such API).

const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

const API_URLS = (process.env.BAYEUX_API_URLS || '').split(',').map((u) => u.trim()).filter((u) => u.length > 0);
const API_KEY = process.env.BAYEUX_API_KEY;
const skip = (API_URLS.length < 3 || !API_KEY || h.URLS.length < 3)
  && 'BAYEUX_API_URLS (three nodes) and BAYEUX_API_KEY are not set: cluster API test skipped';
for (const url of API_URLS) {
  if (!['127.0.0.1', 'localhost'].includes(new URL(url).hostname)) {
    throw new Error(`BAYEUX_API_URLS must point at this machine (loopback), got ${url}`);
  }
}

/** One API call to the first node, bounded; resolves with {status, body}. */
async function api(method, path, body) {
  const res = await fetch(new URL(path, API_URLS[0]), {
    method,
    headers: Object.assign({ Authorization: `Bearer ${API_KEY}` }, body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(h.WAIT_MS)
  });
  return { status: res.status, body: await res.json() };
}

/** The client id of the client's latest successful handshake (seen by its probe). */
function clientIdOf(client) {
  const handshakes = client.probe.incoming.items.filter((m) => m.channel === '/meta/handshake' && m.successful);
  return handshakes[handshakes.length - 1].clientId;
}

test('presence lists the clients of every node; disconnecting one of another node makes it handshake again there',
  { skip, timeout: h.TEST_TIMEOUT_MS }, async (t) => {
    const channel = `${h.uniquePrefix('cluster-api')}/room`;
    const onB = h.createClient(t, { url: h.URLS[1] });
    const onC = h.createClient(t, { url: h.URLS[2] });
    const fromB = await h.subscribe(onB, channel);
    await h.subscribe(onC, channel);
    const idB = clientIdOf(onB);
    const idC = clientIdOf(onC);

    const present = await api('GET', `/api/presence?channel=${encodeURIComponent(channel)}`);
    assert.equal(present.status, 200);
    assert.deepEqual(present.body.clients.map((c) => c.clientId).sort(), [idB, idC].sort());
    const channels = await api('GET', '/api/channels');
    assert.deepEqual(channels.body.channels.filter((c) => c.channel === channel), [{ channel, subscribers: 2 }]);

    const handshakesBefore = onB.probe.incoming.items.filter((m) => m.channel === '/meta/handshake' && m.successful).length;
    const ended = await api('POST', '/api/disconnect', { clientId: idB });
    assert.equal(ended.status, 200);
    assert.deepEqual(ended.body, { disconnected: idB });
    // Told to handshake (advice on its held connect, or 401 on its next request), Faye's client does,
    // then subscribes again by itself.
    await onB.probe.incoming.until((items) => items.filter((m) => m.channel === '/meta/handshake' && m.successful).length
      > handshakesBefore, h.WAIT_MS, 'a new handshake');
    assert.notEqual(clientIdOf(onB), idB);
    await onB.probe.incoming.find((m) => m.channel === '/meta/subscribe' && m.successful
      && onB.probe.incoming.items.indexOf(m) > 0 && m.clientId === clientIdOf(onB), h.WAIT_MS, 'subscribed again');
    const publisher = h.createClient(t, { url: h.URLS[0] });
    await h.publish(publisher, channel, { after: 'disconnect' });
    await fromB.inbox.find((d) => d.after === 'disconnect', h.WAIT_MS, 'the publication after the new subscription');

    const now = await api('GET', `/api/presence?channel=${encodeURIComponent(channel)}`);
    assert.deepEqual(now.body.clients.map((c) => c.clientId).sort(), [clientIdOf(onB), idC].sort());
    await h.assertTestTransports(t, assert);
  });

test('unsubscribing a client of another node stops what the server sends it on that channel',
  { skip, timeout: h.TEST_TIMEOUT_MS }, async (t) => {
    const prefix = h.uniquePrefix('cluster-api-unsub');
    const onC = h.createClient(t, { url: h.URLS[2] });
    await h.subscribe(onC, `${prefix}/a`);
    const b = await h.subscribe(onC, `${prefix}/b`);

    const res = await api('POST', '/api/unsubscribe', { clientId: clientIdOf(onC), channel: `${prefix}/a` });
    assert.equal(res.status, 200);
    const publisher = h.createClient(t, { url: h.URLS[1] });
    // One publisher, in order: had /a still reached the client, it would have come before /b.
    await h.publish(publisher, `${prefix}/a`, { n: 1 });
    await h.publish(publisher, `${prefix}/b`, { n: 2 });
    await b.inbox.find((d) => d.n === 2, h.WAIT_MS, 'the publication on /b');
    assert.equal(h.deliveries(onC, `${prefix}/a`).length, 0, 'nothing sent on /a');
    await h.assertTestTransports(t, assert);
  });
