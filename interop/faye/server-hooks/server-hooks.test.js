'use strict';

// Server-side hooks of bayeuxd seen by the real Faye client.  Not part of the
// suite in test/, which runs against any Faye server: this one needs the
// broker that FayeServerHooksTest starts, with
//   - an asynchronous extension that checks `ext.token` of publishes and
//     subscribes under /checked/ on another thread (as a call to an auth
//     service would), refusing `403:<channel>:Invalid token` and stamping
//     accepted publications with `checkedBy: 'auth-service'`;
//   - the listener of docs/api.md that publishes `{welcome: <clientId>}` on
//     a /lobby/ channel through the in-process client when someone
//     subscribes to it;
//   - --presence-channels /room/**: joins and leaves on /presence/room/...

const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

/** Adds `ext.token` to every subscribe and publish under /checked/. */
function tokenExtension(token) {
  return {
    outgoing(message, callback) {
      const channel = message.channel === '/meta/subscribe' ? message.subscription : message.channel;
      if (typeof channel === 'string' && channel.startsWith('/checked/')) {
        message.ext = Object.assign({}, message.ext, { token });
      }
      callback(message);
    }
  };
}

/** The client id the server gave `client` at handshake. */
async function clientIdOf(client) {
  const reply = await client.probe.incoming.find((m) => m.channel === '/meta/handshake' && m.successful,
    h.WAIT_MS, 'successful /meta/handshake reply');
  return reply.clientId;
}

test('an asynchronous extension checks the token and stamps the publication', { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const channel = `/checked${h.uniquePrefix('room')}`;
  const good = h.createClient(t, { extensions: [tokenExtension('letmein')] });
  const bad = h.createClient(t, { extensions: [tokenExtension('guess')] });

  const { inbox } = await h.subscribe(good, channel);
  await h.publish(good, channel, { text: 'hi' });
  assert.deepEqual((await inbox.count(1))[0], { text: 'hi', checkedBy: 'auth-service' });

  const refusedPublish = await h.expectRejection(bad.publish(channel, { text: 'forged' }), h.WAIT_MS, 'publish with a bad token');
  assert.equal(refusedPublish.code, 403);
  assert.equal(refusedPublish.message, 'Invalid token');
  const refusedSubscribe = await h.expectRejection(bad.subscribe(channel, () => {}), h.WAIT_MS, 'subscribe with a bad token');
  assert.equal(refusedSubscribe.code, 403);
  assert.deepEqual(h.deliveries(good, channel).map((m) => m.data), [{ text: 'hi', checkedBy: 'auth-service' }],
    'nothing of the refused publish was delivered');

  // The refused client's session goes on: a channel the extension does not check works.
  const elsewhere = `/open${h.uniquePrefix('x')}`;
  const { inbox: open } = await h.subscribe(bad, elsewhere);
  await h.publish(bad, elsewhere, { n: 1 });
  assert.deepEqual((await open.count(1))[0], { n: 1 });

  await h.assertTestTransports(t, assert);
});

test('a listener publishes through the in-process client when a client subscribes', { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const channel = `/lobby${h.uniquePrefix('hall')}`;
  const client = h.createClient(t);
  const { inbox } = await h.subscribe(client, channel);
  const id = await clientIdOf(client);
  assert.deepEqual((await inbox.count(1))[0], { welcome: id });
  await h.assertTestTransports(t, assert);
});

test('joins and leaves are published on /presence/..., in order', { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const room = `/room${h.uniquePrefix('r')}`;
  const watcher = h.createClient(t);
  const { inbox: events } = await h.subscribe(watcher, `/presence${room}`);

  const leaving = h.createClient(t);
  const { subscription } = await h.subscribe(leaving, room);
  const leavingId = await clientIdOf(leaving);
  await h.unsubscribe(leaving, subscription, room);

  const disconnected = h.createClient(t);
  await h.subscribe(disconnected, room);
  const disconnectedId = await clientIdOf(disconnected);
  await h.withTimeout(disconnected.disconnect(), h.WAIT_MS, '/meta/disconnect reply');

  const got = await events.count(4);
  assert.deepEqual(got.slice(0, 4), [
    { action: 'join', channel: room, clientId: leavingId, user: null },
    { action: 'leave', channel: room, clientId: leavingId, user: null },
    { action: 'join', channel: room, clientId: disconnectedId, user: null },
    { action: 'leave', channel: room, clientId: disconnectedId, user: null }
  ]);
  await h.assertTransport(watcher, assert);
});
