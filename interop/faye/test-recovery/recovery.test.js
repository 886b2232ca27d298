'use strict';

// History and recovery with bayeuxd's client extension (broker-transport's bayeuxd-recovery.js, the file
// the broker serves at /bayeuxd-recovery.js) in the real Faye Node client, connected through a TCP proxy
// that this test cuts. Not part of the portable suite in test/: it needs bayeuxd run with
//
//   --history-channels /rec/**=10000,/few/**=5 --management-port P --api-key K
//
// and BAYEUX_API_URL=http://127.0.0.1:P, BAYEUX_API_KEY=K besides BAYEUX_URL and BAYEUX_TRANSPORT
// (FayeRecoveryTest starts such a broker and runs this file over each transport).

const test = require('node:test');
const assert = require('node:assert/strict');
const net = require('net');
const path = require('path');
const faye = require('faye');
const {
  BAYEUX_URL, TRANSPORT, WAIT_MS, Inbox, uniquePrefix, withTimeout, attachProbe, shutdown, assertTransport
} = require('../lib/harness');

const BayeuxRecovery = require(path.join(__dirname, '..', '..', '..', 'broker-transport', 'src', 'main', 'resources',
  'io', 'bayeuxd', 'transport', 'http', 'files', 'bayeuxd-recovery.js'));

const API_URL = process.env.BAYEUX_API_URL;
const API_KEY = process.env.BAYEUX_API_KEY;
if (!API_URL || !API_KEY) throw new Error('BAYEUX_API_URL and BAYEUX_API_KEY must be set (bayeuxd\'s HTTP API)');

// Seconds a Faye client waits before sending again after a failed request (Faye's default is 5):
// the proxied client retries quickly, so a cut costs a fraction of a second.
const RETRY_S = 0.2;

/**
 * A TCP proxy on 127.0.0.1 in front of the broker. cut() destroys both sockets of every connection
 * passing through it, whatever is in flight; cutOnNextData() does so as the next bytes come from the
 * broker, and drops them; pause() also refuses new connections until resume().
 */
class CuttingProxy {
  constructor(target) {
    this.target = target;
    this.sockets = new Set();
    this.paused = false;
    this.cuts = 0;
  }

  start() {
    this.server = net.createServer((down) => {
      if (this.paused) {
        down.destroy();
        return;
      }
      const up = net.connect(Number(this.target.port), this.target.hostname);
      const pair = [down, up];
      const drop = () => {
        for (const s of pair) {
          this.sockets.delete(s);
          s.destroy();
        }
      };
      for (const s of pair) {
        this.sockets.add(s);
        s.on('error', drop);
        s.on('close', drop);
      }
      down.pipe(up);
      up.on('data', (chunk) => {
        if (this.armed) {
          // Mid-stream: this chunk from the broker (messages, a reply) is lost with the connections.
          const done = this.armed;
          this.armed = null;
          this.cut();
          done();
          return;
        }
        down.write(chunk);
      });
      up.on('end', () => down.end());
    });
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => {
      this.port = this.server.address().port;
      resolve(this);
    }));
  }

  /** Cuts as the next bytes come from the broker, dropping them; resolves then. */
  cutOnNextData() {
    return new Promise((resolve) => { this.armed = resolve; });
  }

  cut() {
    this.cuts += 1;
    for (const s of [...this.sockets]) s.destroy();
    this.sockets.clear();
  }

  pause() {
    this.paused = true;
    this.cut();
  }

  resume() {
    this.paused = false;
  }

  close() {
    this.paused = true;
    for (const s of [...this.sockets]) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function startProxy(t) {
  const proxy = await new CuttingProxy(new URL(BAYEUX_URL)).start();
  // Registered first, so it runs after the clients' shutdowns (node:test runs after-hooks last in, first out).
  t.after(() => proxy.close());
  return proxy;
}

/** The client under test: Faye through the proxy, with the recovery extension (the one line an app adds). */
function recoveringClient(t, proxy) {
  const url = new URL(BAYEUX_URL);
  url.port = String(proxy.port);
  const client = new faye.Client(url.href, { retry: RETRY_S });
  if (TRANSPORT === 'long-polling') client.disable('websocket');
  const resets = new Inbox('onReset calls');
  const recovery = new BayeuxRecovery(client, { onReset: (channel) => resets.push(channel) });
  client.addExtension(recovery);
  client.probe = attachProbe(client);
  t.after(() => shutdown(client));
  return { client, recovery, resets };
}

/**
 * The publisher, straight to the broker over a WebSocket: one socket sends its publications in order,
 * so positions follow the numbers it publishes. Waits until it is on that socket.
 */
async function publishingClient(t) {
  const client = new faye.Client(BAYEUX_URL);
  client.probe = attachProbe(client);
  t.after(() => shutdown(client));
  await withTimeout(client.publish(`/warm${uniquePrefix('pub')}`, { warm: true }), WAIT_MS, 'the publisher\'s first publish');
  await client.probe.outgoing.find((m) => m.channel === '/meta/connect' && m.connectionType === 'websocket',
    3 * WAIT_MS, 'the publisher on its WebSocket');
  return { publisher: client };   // not the client itself: a Faye client is a thenable, which await would unwrap
}

/** Subscribes; the inbox gets data.n of every message the application is handed. */
async function subscribeNumbers(client, channel) {
  const inbox = new Inbox(`messages on ${channel}`);
  await withTimeout(client.subscribe(channel, (data) => inbox.push(data.n)), WAIT_MS, `subscription to ${channel}`);
  return inbox;
}

/** Publishes n = from..to, each acknowledged before the next. */
async function publishRange(publisher, channel, from, to) {
  for (let n = from; n <= to; n++) {
    await withTimeout(publisher.publish(channel, { n }), WAIT_MS, `publish ${n}`);
  }
}

function range(from, to) {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Ends a client's session on the broker (bayeuxd's HTTP API), as an expiry would. */
async function endSession(clientId) {
  const res = await fetch(`${API_URL}/api/disconnect`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ clientId }),
    signal: AbortSignal.timeout(WAIT_MS)
  });
  assert.equal(res.status, 200, `POST /api/disconnect: ${await res.text()}`);
}

/** Subscribe replies the client accepted after the first `since` incoming messages. */
function subscribeReplies(client, channel, since = 0) {
  return client.probe.incoming.items.slice(since)
    .filter((m) => m.channel === '/meta/subscribe' && [].concat(m.subscription).includes(channel));
}

test(`2,000 messages once and in order through repeated cuts (${TRANSPORT})`, { timeout: 180000 }, async (t) => {
  const TOTAL = 2000;
  const AHEAD = 200;    // the publisher stays at most this far ahead of what was handed over: traffic flows at each cut
  const WINDOW = 50;    // publications in flight at once
  const CUT_AT = [200, 500, 800, 1100, 1400, 1700];   // the last one while the publisher still has 300 to go

  const proxy = await startProxy(t);
  const { client, recovery, resets } = recoveringClient(t, proxy);
  const channel = `/rec${uniquePrefix('cuts')}`;
  const got = await subscribeNumbers(client, channel);
  await assertTransport(client, assert);
  const { publisher } = await publishingClient(t);

  // Cut each time the application has been handed the next threshold's count, mid-stream.
  const cutter = (async () => {
    for (const at of CUT_AT) {
      await got.count(at, 60000);
      await withTimeout(proxy.cutOnNextData(), WAIT_MS, `traffic to cut at ${at}`);
    }
  })();
  cutter.catch(() => {});   // awaited below; this keeps an early failure elsewhere from leaving it unhandled

  const inFlight = [];
  for (let n = 1; n <= TOTAL; n++) {
    if (n - got.items.length > AHEAD) await got.count(n - AHEAD, 60000);
    inFlight.push(withTimeout(publisher.publish(channel, { n }), 2 * WAIT_MS, `publish ${n}`));
    if (inFlight.length >= WINDOW) await inFlight.shift();
  }
  await Promise.all(inFlight);
  await got.count(TOTAL, 60000);
  await cutter;

  // One more recovery from the last position: nothing is handed over twice.
  const seen = client.probe.incoming.items.length;
  recovery.recover(channel);
  await client.probe.incoming.find((m) => client.probe.incoming.items.indexOf(m) >= seen
    && m.channel === '/meta/subscribe' && m.ext && m.ext.recovered === true, WAIT_MS, 'the last recovery\'s reply');

  t.diagnostic(`cuts ${proxy.cuts}, extension ${JSON.stringify(recovery.stats)}`);
  assert.equal(got.items.length, TOTAL, 'nothing more than the messages published');
  assert.deepEqual(got.items, range(1, TOTAL), 'every message once, in order');
  assert.equal(proxy.cuts, CUT_AT.length);
  assert.ok(recovery.stats.recoveries >= CUT_AT.length, 'a recovery after each cut at least');
  assert.equal(resets.items.length, 0, 'history reached back every time: no reset');
});

test(`a client whose session was ended re-handshakes and recovers what it missed (${TRANSPORT})`, { timeout: 60000 }, async (t) => {
  const proxy = await startProxy(t);
  const { client, resets } = recoveringClient(t, proxy);
  const channel = `/rec${uniquePrefix('lost')}`;
  const got = await subscribeNumbers(client, channel);
  const { publisher } = await publishingClient(t);

  await publishRange(publisher, channel, 1, 20);
  await got.count(20);
  const handshakes = () => client.probe.outgoing.items.filter((m) => m.channel === '/meta/handshake').length;
  assert.equal(handshakes(), 1);
  // Faye keeps its session id on the dispatcher (src/protocol/client.js, handshake).
  const clientId = client._dispatcher.clientId;
  const seen = client.probe.incoming.items.length;

  proxy.pause();
  await endSession(clientId);
  await publishRange(publisher, channel, 21, 60);   // the session is gone: only history has these
  proxy.resume();

  await got.count(60, 30000);
  assert.deepEqual(got.items, range(1, 60), 'every message once, in order');
  assert.equal(handshakes(), 2, 'one new handshake');
  assert.notEqual(client._dispatcher.clientId, clientId);
  const replies = subscribeReplies(client, channel, seen);
  assert.ok(replies.some((m) => m.successful && m.ext && m.ext.recovered === true),
    `Faye's re-subscribe recovered: ${JSON.stringify(replies)}`);
  assert.equal(resets.items.length, 0);

  await publishRange(publisher, channel, 61, 61);
  await got.count(61);
  assert.deepEqual(got.items, range(1, 61), 'live traffic follows');
});

test(`when history no longer reaches back, onReset is called and live traffic follows (${TRANSPORT})`, { timeout: 60000 }, async (t) => {
  const proxy = await startProxy(t);
  const { client, resets } = recoveringClient(t, proxy);
  const channel = `/few${uniquePrefix('reset')}`;   // keeps 5 messages
  const got = await subscribeNumbers(client, channel);
  const { publisher } = await publishingClient(t);

  await publishRange(publisher, channel, 1, 3);
  await got.count(3);
  const clientId = client._dispatcher.clientId;

  proxy.pause();
  await endSession(clientId);
  await publishRange(publisher, channel, 4, 20);    // history keeps 16..20: 4..15 are gone
  proxy.resume();

  await resets.count(1, 30000);
  assert.deepEqual(resets.items, [channel]);
  const reply = subscribeReplies(client, channel).find((m) => m.ext && m.ext.recovered === false);
  assert.ok(reply, 'the re-subscribe was answered recovered: false');
  assert.equal(reply.ext.position, 20, 'where the channel is now');

  await publishRange(publisher, channel, 21, 22);
  await got.count(5);
  assert.deepEqual(got.items, [1, 2, 3, 21, 22], 'nothing of the lost stretch, then live traffic in order');
});
