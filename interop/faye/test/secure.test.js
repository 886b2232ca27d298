'use strict';

// Server-side authorisation via extensions.  The server under test must
// reject an incoming publish to any channel under /secure/ with
// error '403::Forbidden channel' unless message.ext.token === 'letmein'
// (see reference-server.js and README.md).  Subscribing is not restricted.

const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

// Client extension: attach the token to every outgoing publish (non-meta).
const tokenExtension = {
  outgoing(message, callback) {
    if (!message.channel.startsWith('/meta/')) {
      message.ext = message.ext || {};
      message.ext.token = 'letmein';
    }
    callback(message);
  }
};

test('a client with the token extension can publish to /secure/...', { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const channel = `/secure${h.uniquePrefix('room')}`;
  const subscriber = h.createClient(t);
  const authorised = h.createClient(t, { extensions: [tokenExtension] });

  const { inbox } = await h.subscribe(subscriber, channel);
  await h.publish(authorised, channel, { text: 'top secret' });
  assert.deepEqual((await inbox.count(1))[0], { text: 'top secret' });

  const sent = authorised.probe.outgoing.items.find((m) => m.channel === channel);
  assert.deepEqual(sent.ext, { token: 'letmein' }, 'the token travelled in ext');

  await h.assertTestTransports(t, assert);
});

test('a publish to /secure/... without the token is rejected with 403 Forbidden channel', { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const channel = `/secure${h.uniquePrefix('room')}`;
  const subscriber = h.createClient(t);
  const authorised = h.createClient(t, { extensions: [tokenExtension] });
  const intruder = h.createClient(t);

  const { inbox } = await h.subscribe(subscriber, channel);

  const error = await h.expectRejection(intruder.publish(channel, { text: 'let me in' }),
    h.WAIT_MS, 'rejection of the unauthorised publish');
  // Faye parses '403::Forbidden channel' into {code, params, message}.
  assert.equal(error.code, 403);
  assert.equal(error.message, 'Forbidden channel');

  const reply = intruder.probe.incoming.items.find((m) => m.channel === channel && m.successful !== undefined);
  assert.equal(reply.successful, false);
  assert.equal(reply.error, '403::Forbidden channel');

  // The rejected message was not delivered: an authorised marker arrives alone.
  await h.publish(authorised, channel, { marker: true });
  await inbox.count(1);
  assert.deepEqual(inbox.items, [{ marker: true }]);
  assert.equal(h.deliveries(subscriber, channel).length, 1);

  // The rejection does not break the intruder's session.
  const open = `${h.uniquePrefix('open')}/after-403`;
  const own = await h.subscribe(intruder, open);
  await h.publish(intruder, open, { still: 'connected' });
  assert.deepEqual((await own.inbox.count(1))[0], { still: 'connected' });

  await h.assertTestTransports(t, assert);
});

test('a wrong token is rejected too', { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const channel = `/secure${h.uniquePrefix('room')}`;
  const wrong = h.createClient(t, {
    extensions: [{
      outgoing(message, callback) {
        if (!message.channel.startsWith('/meta/')) message.ext = { token: 'guess' };
        callback(message);
      }
    }]
  });
  const error = await h.expectRejection(wrong.publish(channel, { x: 1 }), h.WAIT_MS, 'rejection');
  assert.equal(error.code, 403);
  assert.equal(error.message, 'Forbidden channel');

  await h.assertTestTransports(t, assert);
});
