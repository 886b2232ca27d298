'use strict';

// JWT authentication (bayeuxd's --jwt-secret and friends).  Not part of the
// suite in test/, which runs against any Faye server: this one needs a server
// that checks JWTs, and the tokens it mints.  FayeJwtClientTest starts such a
// broker and passes, in the environment:
//   BAYEUX_JWT_VALID  a token for user 'alice' whose `channels` and `publish`
//                     claims allow `/jwt/**`
//   BAYEUX_JWT_BAD    a token signed with another secret
//   BAYEUX_JWT_SECRET the broker's HMAC secret, to mint short-lived tokens here
//                     (the broker allows 1 s of clock skew)
// The token travels in the handshake's ext, added by a small client
// extension, as Faye's documentation suggests for credentials.

const crypto = require('node:crypto');
const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

const VALID = process.env.BAYEUX_JWT_VALID;
const BAD = process.env.BAYEUX_JWT_BAD;
const SECRET = process.env.BAYEUX_JWT_SECRET;
if (!VALID || !BAD || !SECRET) throw new Error('BAYEUX_JWT_VALID, BAYEUX_JWT_BAD and BAYEUX_JWT_SECRET must be set');

/** An HS256 JWT for `sub` that expires `seconds` from now, allowing `/jwt/**`, as an application's backend mints it. */
function mint(sub, seconds) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({
    sub, exp: Math.floor(Date.now() / 1000) + seconds, channels: ['/jwt/**'], publish: ['/jwt/**']
  })}`;
  return `${body}.${crypto.createHmac('sha256', SECRET).update(body).digest('base64url')}`;
}

/** Adds `token` to the ext of the client's handshake. */
function tokenExtension(token) {
  return {
    outgoing(message, callback) {
      if (message.channel === '/meta/handshake') {
        message.ext = Object.assign({}, message.ext, { token });
      }
      callback(message);
    }
  };
}

/** Starts the client's handshake and waits for the server's reply to it. */
async function handshakeReply(client) {
  client.connect();
  return client.probe.incoming.find((m) => m.channel === '/meta/handshake', h.WAIT_MS, '/meta/handshake reply');
}

test('a client with a valid token in the handshake ext connects, subscribes and publishes', { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const channel = `/jwt${h.uniquePrefix('room')}`;
  const client = h.createClient(t, { extensions: [tokenExtension(VALID)] });

  const { inbox } = await h.subscribe(client, channel);
  await h.publish(client, channel, { text: 'signed in' });
  assert.deepEqual((await inbox.count(1))[0], { text: 'signed in' });

  const sent = client.probe.outgoing.items.find((m) => m.channel === '/meta/handshake');
  assert.equal(sent.ext.token, VALID, 'the token travelled in the handshake ext');
  const reply = client.probe.incoming.items.find((m) => m.channel === '/meta/handshake');
  assert.equal(reply.successful, true);

  await h.assertTestTransports(t, assert);
});

test('the token\'s channels claim decides what the client may subscribe to', { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const client = h.createClient(t, { extensions: [tokenExtension(VALID)] });
  const error = await h.expectRejection(client.subscribe(`/elsewhere${h.uniquePrefix('x')}`, () => {}),
    h.WAIT_MS, 'rejection of a subscription outside the claims');
  assert.equal(error.code, 403);
  assert.equal(error.message, 'Forbidden channel');
});

test('a token with a bad signature gets 401 and the client does not connect', { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const client = h.createClient(t, { extensions: [tokenExtension(BAD)] });
  const reply = await handshakeReply(client);
  assert.equal(reply.successful, false);
  assert.equal(reply.error, '401::Invalid token');
  assert.equal(reply.advice.reconnect, 'none');
  assert.equal(reply.clientId, undefined);
  assert.notEqual(client._state, 3, 'the client is not CONNECTED');
});

test('a handshake without a token gets 401 too', { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const client = h.createClient(t);
  const reply = await handshakeReply(client);
  assert.equal(reply.successful, false);
  assert.equal(reply.error, '401::Invalid token');
});

test('a session whose token expires is ended, and the client handshakes again with a fresh token and keeps its subscription', { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const channel = `/jwt${h.uniquePrefix('expiry')}`;
  // The application hands out a token that expires in 2 s first, then long-lived ones, as a backend
  // that renews tokens would; the extension asks for the current one at every handshake.
  const handshakes = [];
  const renewing = {
    outgoing(message, callback) {
      if (message.channel === '/meta/handshake') {
        const token = handshakes.length === 0 ? mint('carol', 2) : mint('carol', 600);
        handshakes.push(Date.now());
        message.ext = Object.assign({}, message.ext, { token });
      }
      callback(message);
    }
  };
  const client = h.createClient(t, { extensions: [renewing] });
  const { inbox } = await h.subscribe(client, channel);
  const first = client.probe.incoming.items.find((m) => m.channel === '/meta/handshake' && m.successful);

  // The broker ends the session once the token is past exp (plus 1 s of skew); Faye's client is told
  // to handshake again, and does, with the fresh token.
  const second = await client.probe.incoming.find(
    (m) => m.channel === '/meta/handshake' && m.successful && m.clientId !== first.clientId,
    h.WAIT_MS + 5000, 'a second successful handshake after the token expired');
  assert.ok(handshakes.length >= 2, 'the extension was asked for a token again');
  assert.ok(client.probe.incoming.items.some((m) => m.advice && m.advice.reconnect === 'handshake'),
    'the broker advised a new handshake');

  // Faye subscribes again after a new handshake; a publication from another client reaches it.
  await client.probe.outgoing.find((m) => m.channel === '/meta/subscribe' && m.clientId === second.clientId,
    h.WAIT_MS, 'the re-subscribe under the new session');
  await client.probe.incoming.find((m) => m.channel === '/meta/subscribe' && m.clientId === second.clientId && m.successful,
    h.WAIT_MS, 'the re-subscribe acknowledged');
  const publisher = h.createClient(t, { extensions: [tokenExtension(VALID)] });
  await h.publish(publisher, channel, { text: 'after renewal' });
  assert.deepEqual((await inbox.count(1))[0], { text: 'after renewal' });
});
