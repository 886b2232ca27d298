'use strict';

// JWT authentication (bayeuxd's --jwt-secret and friends).  Not part of the
// suite in test/, which runs against any Faye server: this one needs a server
// that checks JWTs, and the tokens it mints.  FayeJwtClientTest starts such a
// broker and passes, in the environment:
//   BAYEUX_JWT_VALID  a token for user 'alice' whose `channels` and `publish`
//                     claims allow `/jwt/**`
//   BAYEUX_JWT_BAD    a token signed with another secret
// The token travels in the handshake's ext, added by a small client
// extension, as Faye's documentation suggests for credentials.

const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

const VALID = process.env.BAYEUX_JWT_VALID;
const BAD = process.env.BAYEUX_JWT_BAD;
if (!VALID || !BAD) throw new Error('BAYEUX_JWT_VALID and BAYEUX_JWT_BAD must be set');

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
