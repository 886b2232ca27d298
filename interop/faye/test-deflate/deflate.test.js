'use strict';

// permessage-deflate with the Faye Node client: the npm `permessage-deflate` extension added to each client
// (client.addWebsocketExtension), a publish/subscribe round trip of a Webix-like record over WebSocket, and
// proof that it went compressed: the extension was activated by the server's answer (with
// server_no_context_takeover, which the broker always chooses) and the server's messages came with RSV1 set.

const test = require('node:test');
const assert = require('node:assert/strict');
const deflate = require('permessage-deflate');
const h = require('../lib/harness');

/** The npm extension, recording what the server answered and how many compressed messages came in. */
function observedDeflate() {
  const seen = { activations: [], compressedIn: 0, plainIn: 0 };
  const extension = Object.create(deflate, {
    createClientSession: {
      value() {
        const session = deflate.createClientSession();
        const activate = session.activate.bind(session);
        session.activate = (params) => {
          seen.activations.push(params);
          return activate(params);
        };
        const incoming = session.processIncomingMessage.bind(session);
        session.processIncomingMessage = (message, callback) => {
          if (message.rsv1) seen.compressedIn++; else seen.plainIn++;
          return incoming(message, callback);
        };
        return session;
      }
    }
  });
  return { extension, seen };
}

function deflateClient(t) {
  const client = h.createClient(t);
  const { extension, seen } = observedDeflate();
  client.addWebsocketExtension(extension);
  client.deflateSeen = seen;
  return client;
}

/** About 1 KB of JSON, as a Webix data proxy publishes a record. */
function record(id) {
  return {
    operation: 'update',
    clientId: `page-${id}`,
    data: {
      id,
      title: 'The Shawshank Redemption',
      year: 1994,
      votes: 678790,
      rating: 9.2,
      rank: id,
      category: 'Thriller',
      notes: 'Two imprisoned men bond over a number of years, finding solace and eventual redemption through acts of common decency. '.repeat(6)
    }
  };
}

test('Faye clients with permessage-deflate publish and receive over a compressed WebSocket', { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  if (h.TRANSPORT !== 'websocket') {
    t.skip('permessage-deflate is a WebSocket extension');
    return;
  }
  const channel = `${h.uniquePrefix('deflate')}/data`;
  const subscriber = deflateClient(t);
  const publisher = deflateClient(t);

  const { inbox } = await h.subscribe(subscriber, channel);
  const sent = [record(1), record(2), record(3)];
  for (const data of sent) await h.publish(publisher, channel, data);
  await inbox.count(sent.length);
  assert.deepEqual(inbox.items, sent);
  await h.assertTestTransports(t, assert);

  for (const client of [subscriber, publisher]) {
    const seen = client.deflateSeen;
    assert.ok(seen.activations.length >= 1, 'the server accepted permessage-deflate');
    assert.ok(Object.prototype.hasOwnProperty.call(seen.activations[0], 'server_no_context_takeover'),
      `the answer carries server_no_context_takeover: ${JSON.stringify(seen.activations[0])}`);
    assert.ok(seen.compressedIn > 0, 'messages from the server came compressed');
    assert.equal(seen.plainIn, 0, 'no message from the server came uncompressed');
  }
});

test('under load, several compressed subscribers and a plain one get every record, in order, in batched frames', { timeout: h.TEST_TIMEOUT_MS * 3 }, async (t) => {
  if (h.TRANSPORT !== 'websocket') {
    t.skip('permessage-deflate is a WebSocket extension');
    return;
  }
  const channel = `${h.uniquePrefix('deflate-load')}/data`;
  const subscribers = [deflateClient(t), deflateClient(t), deflateClient(t), deflateClient(t)];
  const plain = h.createClient(t);
  const publisher = deflateClient(t);
  const inboxes = [];
  for (const client of [...subscribers, plain]) inboxes.push((await h.subscribe(client, channel)).inbox);
  // Connected over its WebSocket first: a Faye client sends its first messages by HTTP until the socket is
  // up, and two connections keep no order between them.
  await h.subscribe(publisher, `${channel}-publisher`);

  // All at once, not one by one: the broker then drains several publications into each frame, which the
  // compressed sockets get as one message built from pieces compressed once for everybody.
  const sent = [];
  for (let i = 0; i < 400; i++) sent.push(record(1000 + i));
  await Promise.all(sent.map((data) => h.publish(publisher, channel, data)));
  for (const inbox of inboxes) {
    await inbox.count(sent.length);
    assert.equal(inbox.items.length, sent.length, 'nothing twice');
    assert.deepEqual(inbox.items, sent);
  }
  await h.assertTestTransports(t, assert);

  const frames = [];
  for (const client of subscribers) {
    const seen = client.deflateSeen;
    assert.ok(seen.compressedIn > 0, 'messages from the server came compressed');
    assert.equal(seen.plainIn, 0, 'no message from the server came uncompressed');
    frames.push(seen.compressedIn);
  }
  t.diagnostic(`server messages per compressed subscriber for ${sent.length} records: ${frames.join(', ')}`);
  assert.ok(Math.min(...frames) < sent.length, `several records to a frame for some subscriber: ${frames.join(', ')}`);
});
