'use strict';

// bayeuxd-recovery.js on its own, with a stand-in for the Faye client: each rule of what it lets through,
// drops and asks for, message by message. recovery.test.js runs it in the real client against bayeuxd.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');

const BayeuxRecovery = require(path.join(__dirname, '..', '..', '..', 'broker-transport', 'src', 'main', 'resources',
  'io', 'bayeuxd', 'transport', 'http', 'files', 'bayeuxd-recovery.js'));

/** The parts of a Faye.Client the extension uses: on(event) and subscribe(channel, force). */
function fakeClient() {
  const listeners = {};
  return {
    forced: [],
    on(event, fn) { (listeners[event] = listeners[event] || []).push(fn); },
    emit(event) { for (const fn of listeners[event] || []) fn(); },
    subscribe(channel, force) { this.forced.push([channel, force]); }
  };
}

/** Runs one message through a stage; returns what the extension passed on (null: dropped). */
function pass(extension, stage, message) {
  let out;
  extension[stage](message, (m) => { out = m; });
  return out;
}

let ids = 0;
function subscribeRequest(channel) {
  ids += 1;
  return { id: String(ids), channel: '/meta/subscribe', clientId: 'c', subscription: channel };
}

function reply(request, ext) {
  return { id: request.id, channel: '/meta/subscribe', successful: true, subscription: request.subscription, ext };
}

function delivery(channel, position, epoch = 'e1', data = { n: position }) {
  return { channel, data, ext: { position, epoch } };
}

/** An extension subscribed to `channel`, the broker having said it is at `position` in epoch e1. */
function subscribed(channel = '/c', position = 0) {
  const client = fakeClient();
  const resets = [];
  const ext = new BayeuxRecovery(client, { onReset: (c) => resets.push(c) });
  const req = pass(ext, 'outgoing', subscribeRequest(channel));
  assert.equal(req.ext, undefined, 'a first subscribe asks for no recovery');
  pass(ext, 'incoming', reply(req, { position, epoch: 'e1' }));
  return { client, ext, resets };
}

test('the next message passes, duplicates are dropped', () => {
  const { ext, client } = subscribed('/c', 4);
  assert.ok(pass(ext, 'incoming', delivery('/c', 5)));
  assert.ok(pass(ext, 'incoming', delivery('/c', 6)));
  assert.equal(pass(ext, 'incoming', delivery('/c', 6)), null);
  assert.equal(pass(ext, 'incoming', delivery('/c', 2)), null);
  assert.deepEqual(client.forced, []);
  assert.equal(ext.stats.duplicates, 2);
});

test('a gap drops the message and asks once for recovery from the last message let through', () => {
  const { ext, client } = subscribed('/c', 4);
  assert.ok(pass(ext, 'incoming', delivery('/c', 5)));
  assert.equal(pass(ext, 'incoming', delivery('/c', 7)), null);
  assert.equal(pass(ext, 'incoming', delivery('/c', 8)), null, 'still missing 6');
  assert.deepEqual(client.forced, [['/c', true]], 'one forced re-subscribe while one is outstanding');

  const req = pass(ext, 'outgoing', subscribeRequest('/c'));
  assert.deepEqual(req.ext.recover, { position: 5, epoch: 'e1' });
  // The reply may come before or after the replay; it moves nothing itself.
  pass(ext, 'incoming', reply(req, { position: 8, epoch: 'e1', recovered: true }));
  for (const p of [6, 7, 8]) assert.ok(pass(ext, 'incoming', delivery('/c', p)), `replayed ${p}`);
  assert.equal(pass(ext, 'incoming', delivery('/c', 7)), null, 'a live copy queued before the replay');
  assert.ok(pass(ext, 'incoming', delivery('/c', 9)));
});

test('another epoch is a gap; recovered: false resets to where the channel is and calls onReset once', async () => {
  const { ext, client, resets } = subscribed('/c', 10);
  assert.equal(pass(ext, 'incoming', delivery('/c', 1, 'e2')), null);
  assert.deepEqual(client.forced, [['/c', true]]);
  const ours = pass(ext, 'outgoing', subscribeRequest('/c'));
  const fayes = pass(ext, 'outgoing', subscribeRequest('/c'));   // e.g. Faye's own, after a new handshake
  assert.deepEqual(ours.ext.recover, { position: 10, epoch: 'e1' });
  pass(ext, 'incoming', reply(ours, { position: 3, epoch: 'e2', recovered: false }));
  pass(ext, 'incoming', reply(fayes, { position: 3, epoch: 'e2', recovered: false }));
  await Promise.resolve();
  assert.deepEqual(resets, ['/c'], 'the second answer is for a point already left');
  assert.equal(pass(ext, 'incoming', delivery('/c', 3, 'e2')), null);
  assert.ok(pass(ext, 'incoming', delivery('/c', 4, 'e2')));
});

test('a message ahead of the first subscribe reply is taken as the starting point', () => {
  const client = fakeClient();
  const ext = new BayeuxRecovery(client, {});
  const req = pass(ext, 'outgoing', subscribeRequest('/c'));
  assert.ok(pass(ext, 'incoming', delivery('/c', 8)));
  pass(ext, 'incoming', reply(req, { position: 7, epoch: 'e1' }));
  assert.ok(pass(ext, 'incoming', delivery('/c', 9)));
  assert.equal(pass(ext, 'incoming', delivery('/c', 8)), null);
});

test('transport:down asks every tracked channel; unsubscribed and pattern channels are left alone', () => {
  const client = fakeClient();
  const ext = new BayeuxRecovery(client, {});
  for (const channel of ['/a', '/b', '/p/*']) {
    const req = pass(ext, 'outgoing', subscribeRequest(channel));
    pass(ext, 'incoming', reply(req, { position: 1, epoch: 'e1' }));
  }
  pass(ext, 'outgoing', { channel: '/meta/unsubscribe', clientId: 'c', subscription: '/b' });
  const viaPattern = delivery('/p/x', 5);
  assert.equal(pass(ext, 'incoming', viaPattern), viaPattern, 'passed through untouched');
  client.emit('transport:down');
  assert.deepEqual(client.forced, [['/a', true]]);
  assert.ok(pass(ext, 'incoming', { channel: '/plain', data: 1 }), 'no position: not ours');
});
