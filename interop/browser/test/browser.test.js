'use strict';

// Faye's browser client (served by the Bayeux server at <mount>/client.js) and
// Webix's faye-> data proxy, running in headless Chromium on pages from
// another origin than the server. Each test opens its own pages, each page in
// its own browser context, and closes them when it ends.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

let session;
before(async () => {
  session = await h.start();
});
after(async () => {
  if (session) await session.close();
});

// Opens pages, runs the test body, checks that no page threw or logged an
// error, and closes the pages. When the test fails, each page's traffic with
// the server is printed: it usually tells why. `page`: see harness's open().
async function withPages(names, body, page = 'page.html') {
  const pages = [];
  try {
    for (const name of names) pages.push(await session.open(name, page));
    await body(...pages);
    for (const p of pages) assert.deepEqual(p.problems, [], `${p.name}: no script errors in the page`);
  } catch (error) {
    for (const p of pages) console.log(h.describeTraffic(p));
    throw error;
  } finally {
    for (const p of pages) await p.close();
  }
}

// ---------------------------------------------------------------------------
// In-page helpers. page.evaluate sends a function's source to the page, so
// these take everything they need as an argument.
// ---------------------------------------------------------------------------

// window.client: Faye's client for the server with the given transports
// disabled; window.inbox: what its subscriptions receive. With `token`, an
// extension adds the ext.token that the server's /secure/ rule asks for.
// Resolves once the client is connected over the transport.
async function createClient(p, transport, { token = false } = {}) {
  await p.run(({ url, disable, token }) => {
    window.client = new Faye.Client(url);
    for (const feature of disable) window.client.disable(feature);
    if (token) {
      window.client.addExtension({
        outgoing(message, callback) {
          if (!message.channel.startsWith('/meta/')) message.ext = Object.assign({}, message.ext, { token: 'letmein' });
          callback(message);
        },
      });
    }
    window.inbox = [];
  }, { url: h.MOUNT_URL, disable: transport.disable, token }, 'creating the Faye client');
  await connect(p, transport);
}

// Faye connects on its first subscribe or publish; this connects at once and
// waits until a /meta/connect has gone over the transport. For WebSocket that
// can take a while: Faye uses the handshake's JSONP until the socket is open,
// and if a /meta/connect went by JSONP meanwhile, the server holds it for up
// to its advised timeout, and only the next one goes by the socket.
async function connect(p, transport) {
  await p.run(() => window.client.connect(), undefined, 'connecting');
  const handshake = await h.until(() => h.receivedMessages(p.traffic)
    .find((r) => r.message.channel === '/meta/handshake'), `${p.name}: the handshake reply`);
  const held = (handshake.message.advice && handshake.message.advice.timeout) || 0;
  await h.until(() => h.sentMessages(p.traffic).some((s) => s.carrier === transport.carrier
    && s.message.channel === '/meta/connect' && s.message.connectionType === transport.name),
  `${p.name}: a /meta/connect over ${transport.name}`, held + h.WAIT_MS);
}

// Resolves once the server has acknowledged the subscription.
function subscribe(p, channel) {
  return p.run(async (channel) => {
    await window.client.subscribe(channel, (data) => window.inbox.push({ channel, data }));
  }, channel, `subscribing to ${channel}`);
}

// Resolves with what reached the publication's callback or errback.
function publish(p, channel, data) {
  return p.run(({ channel, data }) => new Promise((resolve) => {
    const publication = window.client.publish(channel, data);
    publication.callback(() => resolve({ ok: true }));
    publication.errback((error) => resolve({ ok: false, code: error.code, message: error.message }));
  }), { channel, data }, `publishing to ${channel}`);
}

async function inbox(p, count) {
  await p.page.waitForFunction((n) => window.inbox.length >= n, count);
  return p.run(() => window.inbox);
}

// ---------------------------------------------------------------------------
// Transports. From a page of another origin, Faye 1.4.3 can use WebSocket,
// cross-origin-long-polling (XHR with CORS) or callback-polling (JSONP); its
// same-origin `long-polling` is not usable there. The handshake always goes
// by JSONP: Faye picks the handshake's transport from the mandatory types
// (long-polling, callback-polling, in-process) and only then, from the
// handshake reply, the transport for everything else.
// ---------------------------------------------------------------------------
const WEBSOCKET = { name: 'websocket', disable: [], carrier: 'websocket' };
const TRANSPORTS = [
  WEBSOCKET,
  // eventsource is disabled too in case a server ever offers it.
  { name: 'cross-origin-long-polling', disable: ['websocket', 'eventsource'], carrier: 'form-post' },
  { name: 'callback-polling', disable: ['websocket', 'eventsource', 'cross-origin-long-polling'], carrier: 'jsonp' },
];

// Proves from the browser's own record of its traffic, not from the client's
// settings, that the page talked to the server over `transport`.
function assertTransport(p, transport) {
  const sent = h.sentMessages(p.traffic);
  const handshakes = sent.filter((s) => s.message.channel === '/meta/handshake');
  assert.ok(handshakes.length > 0 && handshakes.every((s) => s.carrier === 'jsonp'),
    `${p.name}: the handshake went by JSONP (${JSON.stringify(handshakes)})`);

  // Faye opens its WebSocket while the handshake is on the way, and uses the
  // handshake's JSONP until the socket is open: then it switches for good.
  const rest = sent.filter((s) => s.message.channel !== '/meta/handshake');
  const first = rest.findIndex((s) => s.carrier === transport.carrier);
  assert.ok(first >= 0, `${p.name}: something went by ${transport.carrier}`);
  const earlier = rest.slice(0, first);
  if (transport.name === 'websocket') {
    assert.deepEqual(earlier.filter((s) => s.carrier !== 'jsonp'), [], `${p.name}: before the WebSocket, only JSONP`);
  } else {
    assert.deepEqual(earlier, [], `${p.name}: after the handshake, every message went by ${transport.carrier}`);
  }
  const elsewhere = rest.slice(first).filter((s) => s.carrier !== transport.carrier);
  assert.deepEqual(elsewhere, [], `${p.name}: from its first use on, every message went by ${transport.carrier}`);
  assert.ok(rest.some((s) => s.carrier === transport.carrier && s.message.channel === '/meta/connect'
    && s.message.connectionType === transport.name),
  `${p.name}: a /meta/connect with connectionType ${transport.name} went by ${transport.carrier}`);

  const sockets = p.traffic.sockets.map((s) => s.url);
  if (transport.name === 'websocket') {
    assert.ok(sockets.includes(h.WS_URL), `${p.name}: a WebSocket to ${h.WS_URL} was opened (${sockets})`);
  } else {
    assert.deepEqual(sockets, [], `${p.name}: no WebSocket was opened`);
  }
  if (transport.name === 'callback-polling') {
    const posts = p.traffic.requests.filter((r) => r.method === 'POST');
    assert.deepEqual(posts, [], `${p.name}: nothing was POSTed`);
  }
}

for (const transport of TRANSPORTS) {
  describe(`Faye browser client over ${transport.name}`, () => {
    it(`a message published on one page reaches a subscriber on another, over ${transport.name}`,
      { timeout: h.TEST_TIMEOUT_MS }, () => withPages(['subscriber', 'publisher'], async (subscriber, publisher) => {
        const channel = h.channel(`pubsub-${transport.name}`);
        const data = { text: 'héllo from a browser', n: 1, nested: { list: [1, 2, 3] } };
        await createClient(subscriber, transport);
        await createClient(publisher, transport);
        const onWire = (p) => h.sentMessages(p.traffic).filter((s) => s.message.channel === channel
          || s.message.subscription === channel);

        await subscribe(subscriber, channel);
        assert.deepEqual(await publish(publisher, channel, data), { ok: true });
        // A second message, sent once the first was acknowledged, comes after
        // it: when it is in, a duplicate of the first would be too.
        assert.deepEqual(await publish(publisher, channel, { marker: true }), { ok: true });
        assert.deepEqual(await inbox(subscriber, 2), [{ channel, data }, { channel, data: { marker: true } }]);

        assertTransport(subscriber, transport);
        assertTransport(publisher, transport);
        assert.deepEqual(onWire(subscriber).map((s) => [s.carrier, s.message.channel]),
          [[transport.carrier, '/meta/subscribe']], 'the subscribe on the wire');
        assert.deepEqual(onWire(publisher).map((s) => [s.carrier, s.message.channel]),
          [[transport.carrier, channel], [transport.carrier, channel]], 'the two publishes on the wire');
        // The delivery itself came back over the transport: in a WebSocket
        // frame, or in the response to a held /meta/connect.
        await h.until(() => h.receivedMessages(subscriber.traffic).some((r) => r.message.channel === channel
          && r.carrier === transport.carrier && JSON.stringify(r.message.data) === JSON.stringify(data)),
        `${transport.name}: the delivery in the subscriber's traffic`);
      }));

    it(`a publish the server rejects reaches the browser client's errback, over ${transport.name}`,
      { timeout: h.TEST_TIMEOUT_MS }, () => withPages(['authorised', 'intruder'], async (authorised, intruder) => {
        // The server under test refuses publishes to /secure/** without ext.token 'letmein'.
        const channel = h.channel(`rejected-${transport.name}`, 'secure');
        await createClient(authorised, transport, { token: true });
        await createClient(intruder, transport);
        await subscribe(authorised, channel);

        assert.deepEqual(await publish(intruder, channel, { text: 'let me in' }),
          { ok: false, code: 403, message: 'Forbidden channel' });
        // The browser hands Playwright a response body after the page had it.
        const reply = await h.until(() => h.receivedMessages(intruder.traffic)
          .find((r) => r.message.channel === channel && r.message.successful !== undefined),
        'the refusal in the intruder\'s traffic');
        assert.equal(reply.carrier, transport.carrier);
        assert.equal(reply.message.successful, false);
        assert.equal(reply.message.error, '403::Forbidden channel');

        // Nothing was delivered: a later, allowed message arrives alone.
        assert.deepEqual(await publish(authorised, channel, { marker: true }), { ok: true });
        assert.deepEqual(await inbox(authorised, 1), [{ channel, data: { marker: true } }]);
        assertTransport(authorised, transport);
        assertTransport(intruder, transport);
      }));
  });
}

// ---------------------------------------------------------------------------
// permessage-deflate. Chromium offers it on every WebSocket by itself; the
// broker accepts it with server_no_context_takeover and sends each
// publication compressed once for all compressed sockets
// (--websocket-compress-once). Playwright shows frames inflated, so the proof
// that they went compressed is the page's own WebSocket (its negotiated
// extensions) and the server's counters.
// ---------------------------------------------------------------------------
describe('Faye browser client over a compressed WebSocket', () => {
  it('Chromium negotiates permessage-deflate with the broker, and records published at once arrive whole and in order',
    { timeout: h.TEST_TIMEOUT_MS }, () => withPages(['subscriber', 'publisher'], async (subscriber, publisher) => {
      const channel = h.channel('deflate');
      const metric = (m, name) => m[name] || 0;
      const made = 'bayeux_websocket_deflated_messages_total{copy="made"}';
      const upgrades = 'bayeux_websocket_compressed_upgrades_total';
      const before = await h.serverMetrics();
      await createClient(subscriber, WEBSOCKET);
      await createClient(publisher, WEBSOCKET);
      await subscribe(subscriber, channel);

      // About 1 KB each, like a Webix grid's rows; sent together so that frames carry several.
      const records = [];
      for (let i = 0; i < 40; i++) {
        records.push({ operation: 'update', id: i, data: { id: i, title: `Rear window ${i}`, year: 1954, rating: 8.5,
          notes: 'a photographer in a wheelchair spies on his neighbours from his apartment window; '.repeat(12) } });
      }
      const results = await publisher.run(({ channel, records }) => Promise.all(records.map((data) => new Promise((resolve) => {
        const publication = window.client.publish(channel, data);
        publication.callback(() => resolve(true));
        publication.errback(() => resolve(false));
      }))), { channel, records }, 'publishing the records');
      assert.ok(results.every((ok) => ok), 'every publish acknowledged');
      assert.deepEqual((await inbox(subscriber, records.length)).map((m) => m.data), records);
      assertTransport(subscriber, WEBSOCKET);

      for (const p of [subscriber, publisher]) {
        const sockets = await p.run(() => window.openedSockets, undefined, 'the page\'s sockets');
        const toBroker = sockets.filter((s) => s.url === h.WS_URL);
        assert.ok(toBroker.length > 0, `${p.name}: a WebSocket to the broker (${JSON.stringify(sockets)})`);
        for (const s of toBroker) {
          assert.match(String(s.extensions), /^permessage-deflate\b/, `${p.name}: permessage-deflate negotiated`);
          assert.match(String(s.extensions), /server_no_context_takeover/, `${p.name}: as the broker answers it`);
        }
      }
      const after = await h.serverMetrics();
      assert.ok(metric(after, upgrades) - metric(before, upgrades) >= 2, 'the broker counted both compressed upgrades');
      // Each record went to the one compressed subscriber, compressed by the broker's compress-once path.
      assert.ok(metric(after, made) - metric(before, made) >= records.length,
        `the broker compressed the records for the page (${metric(before, made)} -> ${metric(after, made)})`);
    }));
});

// ---------------------------------------------------------------------------
// Webix's faye-> proxy (webix 6.4.0, the last release that bundles it). Its
// `save` publishes {id, operation, data, clientId, ...} to the channel after
// `faye->`; its `url` subscribes to it and applies each message whose
// clientId is not its own (inside dp.ignore, so that nothing is sent back).
// It relies on the server sending a publisher its own message back, and on
// the clientId filter to skip it.
// ---------------------------------------------------------------------------

// A list as Webix's documentation sets it up, with one difference: Webix
// deep-copies webix.proxy.faye, `client` included, each time it parses
// 'faye->...', and a Faye.Client refers to itself (client._dispatcher._client),
// so handing Webix the client itself overflows the stack in webix.copy before
// anything is sent. A plain object with the two methods the proxy calls copies
// safely and passes the calls to the real client.
async function createWebixList(p, clientId, channel = '/data') {
  // Connected over WebSocket first, so that all the list sends goes by it.
  await createClient(p, WEBSOCKET);
  await p.run(({ clientId, channel }) => {
    window.delivered = [];
    window.subscribed = [];
    const client = window.client;
    // Records each message after Faye has handed it to its subscribers (the
    // proxy among them): `next` delivers synchronously.
    client.addExtension({
      incoming(message, next) {
        next(message);
        if (message.channel === '/meta/subscribe' && message.successful) window.subscribed.push(message.subscription);
        if (message.channel === channel && message.data !== undefined) window.delivered.push(message.data);
      },
    });
    webix.proxy.faye.client = {
      subscribe: (channel, callback) => client.subscribe(channel, callback),
      publish: (channel, data) => client.publish(channel, data),
    };
    webix.proxy.faye.clientId = clientId;
    window.list = webix.ui({
      container: 'app', view: 'list', template: '#value#', url: `faye->${channel}`, save: `faye->${channel}`,
    });
  }, { clientId, channel }, 'creating the Webix list');
}

// A list's items as [id, value] pairs, in the order shown.
const items = (p) => p.run(() => window.list.serialize().map((item) => [item.id, item.value]));
const waitForItems = (p, expected) => p.page.waitForFunction((json) => JSON.stringify(
  window.list.serialize().map((item) => [item.id, item.value])) === json, JSON.stringify(expected));
// Waits until `count` messages on /data have been delivered in the page.
const delivered = (p, count) => p.page.waitForFunction((n) => window.delivered.length >= n, count);
// Waits until a list shows exactly these [id, value] pairs, in any order: a storage channel's replay
// need not come in the order the records were made.
const waitForSet = (p, expected) => p.page.waitForFunction((json) => JSON.stringify(
  window.list.serialize().map((item) => [item.id, item.value]).sort((x, y) => String(x[0]).localeCompare(String(y[0]))))
  === json, JSON.stringify([...expected].sort((x, y) => String(x[0]).localeCompare(String(y[0])))));

describe('Webix faye-> data proxy', () => {
  it('adds, updates and removes made through a list on one page show in the list on another; no page applies its own echo',
    { timeout: h.TEST_TIMEOUT_MS }, () => withPages(['page A', 'page B'], async (a, b) => {
      await createWebixList(a, 'page-a');
      await createWebixList(b, 'page-b');
      await a.page.waitForFunction(() => window.subscribed.includes('/data'));
      await b.page.waitForFunction(() => window.subscribed.includes('/data'));

      // Each step: A changes its list, B's list follows; A gets its own
      // message back from the server and, having skipped it, still shows the
      // change once.
      const id = await a.run(() => window.list.add({ value: 'first' }));
      await waitForItems(b, [[id, 'first']]);
      await delivered(a, 1);
      assert.deepEqual(await items(a), [[id, 'first']]);

      await a.run((id) => window.list.updateItem(id, { value: 'second' }), id);
      await waitForItems(b, [[id, 'second']]);
      await delivered(a, 2);
      assert.deepEqual(await items(a), [[id, 'second']]);

      await a.run((id) => window.list.remove(id), id);
      await waitForItems(b, []);
      await delivered(a, 3);
      assert.deepEqual(await items(a), []);

      // And the other way round.
      const other = await b.run(() => window.list.add({ value: 'from B' }));
      await waitForItems(a, [[other, 'from B']]);
      await delivered(b, 4);
      assert.deepEqual(await items(b), [[other, 'from B']]);

      // On the wire: each page published its own changes, once each, over
      // the WebSocket, and nothing it merely applied.
      const published = (p) => h.sentMessages(p.traffic).filter((s) => s.message.channel === '/data');
      assert.deepEqual(published(a).map((s) => [s.carrier, s.message.data.operation, s.message.data.clientId]),
        [['websocket', 'insert', 'page-a'], ['websocket', 'update', 'page-a'], ['websocket', 'delete', 'page-a']]);
      assert.deepEqual(published(b).map((s) => [s.carrier, s.message.data.operation, s.message.data.clientId]),
        [['websocket', 'insert', 'page-b']]);
      assert.deepEqual(published(a)[1].message.data.data, { id, value: 'second' });
      assertTransport(a, WEBSOCKET);
      assertTransport(b, WEBSOCKET);
    }));
});

// ---------------------------------------------------------------------------
// bayeuxd's faye-> proxy for current Webix (which has none of its own), loaded from the server under
// test at <mount>/webix/faye-proxy.js by a page of another origin. It is handed the Faye client itself,
// as Webix's documentation has it: the proxy keeps the client out of Webix's deep copy.
// ---------------------------------------------------------------------------
const LONG_POLLING = TRANSPORTS[1];
// A storage channel (bayeuxd's --state-channels) sends a new subscriber the current records first.
const NEEDS_STORAGE = h.STATE_CHANNELS ? false
  : 'the server keeps no records: STATE_CHANNELS is unset (bayeuxd: start it with --state-channels \'/data/**\' and set STATE_CHANNELS=/data/**)';

// Skips the test when the server does not serve bayeuxd's proxy (Faye's own server, say).
async function skipWithoutProxy(t) {
  const response = await fetch(`${h.MOUNT_URL}webix/faye-proxy.js`, { method: 'HEAD' }).catch(() => null);
  if (response && response.ok) return false;
  t.skip(`the server does not serve ${h.MOUNT_URL}webix/faye-proxy.js (bayeuxd does)`);
  return true;
}

async function createCurrentList(p, transport, channel, clientId) {
  await createClient(p, transport);
  await p.run(({ channel, clientId }) => {
    if (!window.webixFayeProxy || webix.proxy.faye !== window.webixFayeProxy) {
      throw new Error(`webix ${webix.version}: bayeuxd's proxy is not webix.proxy.faye`);
    }
    window.delivered = [];
    window.subscribed = [];
    window.client.addExtension({
      incoming(message, next) {
        next(message);
        if (message.channel === '/meta/subscribe' && message.successful) window.subscribed.push(message.subscription);
        if (message.channel === channel && message.data !== undefined) window.delivered.push(message.data);
      },
    });
    webix.proxy.faye.client = window.client;
    webix.proxy.faye.clientId = clientId;
    window.list = webix.ui({
      container: 'app', view: 'list', template: '#value#', url: `faye->${channel}`, save: `faye->${channel}`,
    });
  }, { channel, clientId }, 'creating the Webix list');
  await p.page.waitForFunction((channel) => window.subscribed.includes(channel), channel);
}

// Waits until Webix's DataProcessor has nothing left to save: the server acknowledged every publication.
const allSaved = (p) => p.page.waitForFunction(() => webix.dp(window.list).getState() === false);
const published = (p, channel) => h.sentMessages(p.traffic).filter((s) => s.message.channel === channel);

for (const transport of [WEBSOCKET, LONG_POLLING]) {
  describe(`current Webix with bayeuxd's faye-> proxy, over ${transport.name}`, () => {
    it(`adds, updates and deletes on one page show on another once each; an insert for a shown id updates it, over ${transport.name}`,
      { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
        if (await skipWithoutProxy(t)) return;
        await withPages(['page A', 'page B'], async (a, b) => {
          const channel = h.channel(`webix-current-${transport.name}`, 'data');
          await createCurrentList(a, transport, channel, 'page-a');
          await createCurrentList(b, transport, channel, 'page-b');

          const id = await a.run(() => window.list.add({ value: 'first' }));
          await waitForItems(b, [[id, 'first']]);
          await delivered(a, 1);
          assert.deepEqual(await items(a), [[id, 'first']]);

          await a.run((id) => window.list.updateItem(id, { value: 'second' }), id);
          await waitForItems(b, [[id, 'second']]);
          await delivered(a, 2);
          assert.deepEqual(await items(a), [[id, 'second']]);

          await a.run((id) => window.list.remove(id), id);
          await waitForItems(b, []);
          await delivered(a, 3);
          assert.deepEqual(await items(a), []);

          const other = await b.run(() => window.list.add({ value: 'from B' }));
          await waitForItems(a, [[other, 'from B']]);

          // A replayed insert (from another client) for an id the lists show: updated, not doubled.
          assert.deepEqual(await publish(b, channel,
            { id: other, operation: 'insert', data: { id: other, value: 'replayed' }, clientId: 'elsewhere' }), { ok: true });
          await waitForItems(a, [[other, 'replayed']]);
          await waitForItems(b, [[other, 'replayed']]);
          await allSaved(a);
          await allSaved(b);

          // On the wire: the DataProcessor's changes, each once, with the page's clientId.
          assert.deepEqual(published(a, channel).map((s) => [s.carrier, s.message.data.operation, s.message.data.clientId]),
            [[transport.carrier, 'insert', 'page-a'], [transport.carrier, 'update', 'page-a'], [transport.carrier, 'delete', 'page-a']]);
          assert.deepEqual(published(a, channel)[1].message.data,
            { id, operation: 'update', data: { id, value: 'second' }, clientId: 'page-a' });
          assert.deepEqual(published(b, channel).map((s) => [s.message.data.operation, s.message.data.clientId]),
            [['insert', 'page-b'], ['insert', 'elsewhere']]);
          assertTransport(a, transport);
          assertTransport(b, transport);
          await h.screenshot(a, `webix-current-${transport.name}-page-a`);
          await h.screenshot(b, `webix-current-${transport.name}-page-b`);
        }, 'current.html');
      });

    it(`a page opened afterwards shows the current list from a storage channel, over ${transport.name}`,
      { timeout: h.TEST_TIMEOUT_MS, skip: NEEDS_STORAGE }, async (t) => {
        if (await skipWithoutProxy(t)) return;
        await withPages(['page A', 'page B'], async (a, b) => {
          const channel = h.channel(`webix-stored-${transport.name}`, 'data');
          await createCurrentList(a, transport, channel, 'page-a');
          await createCurrentList(b, transport, channel, 'page-b');
          // Changes made apart in time, each its own publication: over long-polling they would race
          // on separate connections if the proxy did not send them one at a time.
          const kept = await a.run(() => window.list.add({ value: 'kept' }));
          const renamed = await a.run(() => window.list.add({ value: 'to rename' }));
          const gone = await a.run(() => window.list.add({ value: 'gone' }));
          await a.run(({ renamed, gone }) => {
            window.list.updateItem(renamed, { value: 'renamed' });
            window.list.remove(gone);
          }, { renamed, gone });
          const fromB = await b.run(() => window.list.add({ value: 'from B' }));
          const now = [[kept, 'kept'], [renamed, 'renamed'], [fromB, 'from B']];
          await waitForSet(a, now);
          await waitForSet(b, now);
          await allSaved(a);
          await allSaved(b);

          // Page C opens now, and its list shows what the others show.
          await withPages(['page C'], async (c) => {
            await createCurrentList(c, transport, channel, 'page-c');
            await waitForSet(c, now);
            const replayed = h.receivedMessages(c.traffic).filter((r) => r.message.channel === channel);
            assert.ok(replayed.length >= now.length + 1, `page C received a reset and the records (${JSON.stringify(replayed)})`);
            assert.equal(replayed[0].message.data.operation, 'reset', 'the hand-over starts with a reset');
            for (const r of replayed.slice(1)) {
              assert.equal(r.message.data.operation, 'insert');
              assert.ok(!['page-a', 'page-b', 'page-c'].includes(r.message.data.clientId), 'a clientId no page has');
            }
            await h.screenshot(c, `webix-current-${transport.name}-page-c`);

            // And it takes part from there on.
            await c.run((id) => window.list.remove(id), kept);
            await waitForSet(a, now.slice(1));
            await waitForSet(b, now.slice(1));
            assertTransport(c, transport);
          }, 'current.html');
        }, 'current.html');
      });
  });
}

describe('Webix 6.4.0 with its own faye-> proxy and a storage channel', () => {
  it('a page opened afterwards shows the current list', { timeout: h.TEST_TIMEOUT_MS, skip: NEEDS_STORAGE },
    () => withPages(['page A'], async (a) => {
      const channel = h.channel('webix6-stored', 'data');
      await createWebixList(a, 'page-a', channel);
      await a.page.waitForFunction((channel) => window.subscribed.includes(channel), channel);
      const one = await a.run(() => window.list.add({ value: 'one' }));
      const two = await a.run(() => window.list.add({ value: 'two' }));
      const three = await a.run(() => window.list.add({ value: 'three' }));
      await a.run(({ one, three }) => {
        window.list.updateItem(one, { value: 'one, renamed' });
        window.list.remove(three);
      }, { one, three });
      // Its own five messages came back: the server has them all.
      await delivered(a, 5);

      await withPages(['page C'], async (c) => {
        await createWebixList(c, 'page-c', channel);
        await waitForSet(c, [[one, 'one, renamed'], [two, 'two']]);
        await h.screenshot(c, 'webix-6.4.0-page-c');
      });
    }));
});

// ---------------------------------------------------------------------------
// The demo the server bundles at <mount>/demo/ (bayeuxd), with Webix from its --static directory. The
// pages come from the server itself; each names its own channel under /data/.
// ---------------------------------------------------------------------------
describe('the demo at <mount>/demo/', () => {
  it('what one demo page adds, renames and deletes shows on another; a page opened later shows the list',
    { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
      const webixThere = await fetch(`${h.MOUNT_URL}webix/webix.js`, { method: 'HEAD' }).catch(() => null);
      const demoThere = await fetch(`${h.MOUNT_URL}demo/`, { method: 'HEAD' }).catch(() => null);
      if (!webixThere || !webixThere.ok || !demoThere || !demoThere.ok) {
        t.skip(`the server serves no ${h.MOUNT_URL}demo/ or no webix/webix.js (bayeuxd with --static holding webix/)`);
        return;
      }
      const channel = h.channel('demo', 'data');
      const url = `${h.MOUNT_URL}demo/?channel=${encodeURIComponent(channel)}`;
      const titles = (p) => p.run(() => $$('list').serialize().map((item) => item.title));
      const waitForTitles = (p, expected) => p.page.waitForFunction((json) => JSON.stringify(
        $$('list').serialize().map((item) => item.title)) === json, JSON.stringify(expected));
      const subscribed = (p) => h.until(() => h.receivedMessages(p.traffic).some((r) => r.message.channel === '/meta/subscribe'
        && r.message.subscription === channel && r.message.successful), `${p.name}: subscribed to ${channel}`);
      // As a person would: type a title, press a button.
      const type = (p, text) => p.page.fill('[view_id="title"] input', text);
      const press = (p, button) => p.page.click(`[view_id="${button}"] button`);

      await withPages(['demo 1', 'demo 2'], async (one, two) => {
        for (const p of [one, two]) await subscribed(p);
        for (const text of ['Buy milk', 'Walk the dog', 'Call Alice']) {
          await type(one, text);
          await press(one, 'add');
        }
        await waitForTitles(two, ['Buy milk', 'Walk the dog', 'Call Alice']);

        await two.page.click('.webix_list_item >> text=Walk the dog');
        await type(two, 'Walk the dog twice');
        await press(two, 'update');
        await waitForTitles(one, ['Buy milk', 'Walk the dog twice', 'Call Alice']);

        await one.page.click('.webix_list_item >> text=Call Alice');
        await press(one, 'delete');
        await waitForTitles(two, ['Buy milk', 'Walk the dog twice']);
        assert.deepEqual(await titles(one), ['Buy milk', 'Walk the dog twice']);
        await two.page.click('.webix_list_item >> text=Buy milk');
        // The size of the picture in docs/webix.md.
        await two.page.setViewportSize({ width: 960, height: 400 });
        await h.screenshot(two, 'demo-page-2', process.env.DOCS_SCREENSHOT);
        await h.screenshot(one, 'demo-page-1');

        if (h.STATE_CHANNELS) {
          await withPages(['demo 3'], async (three) => {
            await waitForTitles(three, ['Buy milk', 'Walk the dog twice']);
            await h.screenshot(three, 'demo-page-3');
          }, url);
        } else {
          t.diagnostic(`no storage channel: ${NEEDS_STORAGE}`);
        }
      }, url);
    });
});

describe("Faye's EventSource transport, on the demo page (same origin as the broker, WebSocket off)", () => {
  it('two pages stay in step with messages pushed down event streams', { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
    const demoThere = await fetch(`${h.MOUNT_URL}demo/`, { method: 'HEAD' }).catch(() => null);
    const webixThere = await fetch(`${h.MOUNT_URL}webix/webix.js`, { method: 'HEAD' }).catch(() => null);
    if (!demoThere || !demoThere.ok || !webixThere || !webixThere.ok) {
      t.skip(`the server serves no ${h.MOUNT_URL}demo/ or no webix/webix.js`);
      return;
    }
    const channel = h.channel('eventsource', 'data');
    const url = `${h.MOUNT_URL}demo/?channel=${encodeURIComponent(channel)}&transport=eventsource`;
    const waitForTitles = (p, expected) => p.page.waitForFunction((json) => JSON.stringify(
      $$('list').serialize().map((item) => item.title)) === json, JSON.stringify(expected));
    await withPages(['stream 1', 'stream 2'], async (one, two) => {
      for (const p of [one, two]) {
        await h.until(() => h.receivedMessages(p.traffic).some((r) => r.message.channel === '/meta/subscribe'
          && r.message.subscription === channel && r.message.successful), `${p.name}: subscribed`);
      }
      await one.page.fill('[view_id="title"] input', 'Pushed down a stream');
      await one.page.click('[view_id="add"] button');
      await waitForTitles(two, ['Pushed down a stream']);
      for (const p of [one, two]) {
        const stream = p.traffic.requests.find((r) => r.method === 'GET' && /text\/event-stream/.test(r.headers.accept || ''));
        assert.ok(stream, `${p.name}: opened an event stream`);
        // Faye may send its first connect by XHR while it still tries the stream; the next one names it.
        await h.until(() => h.sentMessages(p.traffic).some((m) => m.message.channel === '/meta/connect'
          && m.message.connectionType === 'eventsource'), `${p.name}: a connect as eventsource`, 15000);
        assert.ok(!h.sentMessages(p.traffic).some((m) => m.carrier === 'websocket'), `${p.name}: no WebSocket`);
      }
    }, url);
  });
});
