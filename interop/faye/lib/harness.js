'use strict';

// Shared helpers for the interop tests.  Lives outside test/ because
// `node --test test/` treats every .js file under a directory named `test`
// as a test file.
//
// Everything here drives the real, unmodified Faye client (faye@1.4.3).
// Where a helper touches a Faye internal (a field starting with `_`) the
// comment says which one and why; the internals were read from
// node_modules/faye/src of exactly that version, which package-lock.json pins.

const http = require('http');
const faye = require('faye');

const BAYEUX_URL = process.env.BAYEUX_URL;
const TRANSPORT = process.env.BAYEUX_TRANSPORT || 'websocket';

if (!BAYEUX_URL) {
  throw new Error('BAYEUX_URL is not set (e.g. BAYEUX_URL=http://127.0.0.1:8000/)');
}
// Every node of a cluster, for the cluster test; a single server is a cluster of one.
const URLS = (process.env.BAYEUX_URLS || BAYEUX_URL).split(',').map((u) => u.trim()).filter((u) => u.length > 0);
if (TRANSPORT !== 'websocket' && TRANSPORT !== 'long-polling') {
  throw new Error(`BAYEUX_TRANSPORT must be 'websocket' or 'long-polling', got '${TRANSPORT}'`);
}
for (const url of [BAYEUX_URL, ...URLS]) {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) {
    throw new Error(`BAYEUX_URL and BAYEUX_URLS must point at this machine (loopback), got ${host}`);
  }
}

// Default bound for a single wait inside a test (ms).
const WAIT_MS = Number(process.env.INTEROP_WAIT_MS || 10000);
// Default bound for a whole test (ms); the 1,000-message tests get 3x.
const TEST_TIMEOUT_MS = Number(process.env.INTEROP_TEST_TIMEOUT_MS || 60000);

// ---------------------------------------------------------------------------
// HTTP request log.  Faye's long-polling transport (src/transport/node_http.js)
// calls `http.request(params)` through the `http` module object at call time,
// so wrapping `http.request` here sees every Bayeux POST this process makes.
// The WebSocket transport (faye-websocket) opens its socket with net.connect,
// so it never appears here.  Used to prove which transport carried what.
// ---------------------------------------------------------------------------
const httpLog = [];
const originalRequest = http.request;
http.request = function patchedRequest(...args) {
  const req = originalRequest.apply(this, args);
  const params = args[0] || {};
  const entry = { method: params.method, path: params.path, channels: null };
  httpLog.push(entry);
  const originalEnd = req.end;
  req.end = function patchedEnd(body, ...rest) {
    try {
      const parsed = JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : String(body));
      entry.channels = [].concat(parsed).map((m) => m && m.channel);
    } catch (_) {
      entry.channels = [];
    }
    return originalEnd.call(this, body, ...rest);
  };
  return req;
};

// ---------------------------------------------------------------------------
// WebSocket tracking.  Faye's WebSocket transport keeps the socket it is
// still opening in a local variable (src/transport/web_socket.js, connect),
// so a socket whose upgrade never completes could not be closed at teardown
// and would keep the process alive.  Recording every socket the transport
// creates, per dispatcher, lets shutdown() close them all.
// ---------------------------------------------------------------------------
const FayeWebSocketTransport = require('faye/src/transport/web_socket');
const originalCreateSocket = FayeWebSocketTransport.prototype._createSocket;
FayeWebSocketTransport.prototype._createSocket = function trackedCreateSocket(...args) {
  const socket = originalCreateSocket.apply(this, args);
  if (socket) {
    this._dispatcher.interopSockets = this._dispatcher.interopSockets || new Set();
    this._dispatcher.interopSockets.add(socket);
  }
  return socket;
};

// faye-websocket readyState values.
const WS_CONNECTING = 0;
const WS_OPEN = 1;
const WS_CLOSED = 3;

/**
 * Close a faye-websocket client socket within `ms`: a normal close handshake
 * if it is open, then (or straight away if it is still connecting) destroy
 * the TCP stream via the library's own abort path (_beginClose), which also
 * clears its 30 s close timer.
 */
function closeSocket(socket, ms = 2000) {
  if (socket.readyState === WS_CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const force = () => {
      if (socket.readyState !== WS_CLOSED) socket._beginClose('', 1006);
      resolve();
    };
    const timer = setTimeout(force, socket.readyState === WS_CONNECTING ? 0 : ms);
    socket.addEventListener('close', () => { clearTimeout(timer); resolve(); });
    if (socket.readyState === WS_OPEN) socket.close();
  });
}

// ---------------------------------------------------------------------------
// Small utilities
// ---------------------------------------------------------------------------

let counter = 0;
const RUN_ID = `${process.pid.toString(36)}${Date.now().toString(36)}`;

/** A channel prefix no other test (or concurrent run) uses: '/it-<run>-<n>'. */
function uniquePrefix(tag) {
  counter += 1;
  return `/it-${RUN_ID}-${counter}${tag ? '-' + tag : ''}`;
}

/**
 * Resolve/reject like `thenable`, or reject after `ms` with a message naming
 * `label`.  Faye's Subscription and Publication objects are thenables
 * (src/mixins/deferrable.js), so they can be passed directly.  The timer is
 * always cleared, so a settled wait leaves nothing behind.
 */
function withTimeout(thenable, ms, label) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${label}`)), ms);
  });
  return Promise.race([Promise.resolve(thenable), timeout]).finally(() => clearTimeout(timer));
}

/** Wait until the thenable rejects; returns the rejection value.  Fails if it resolves. */
async function expectRejection(thenable, ms, label) {
  let outcome;
  await withTimeout(
    new Promise((resolve) => {
      thenable.then(
        (value) => { outcome = { resolved: true, value }; resolve(); },
        (error) => { outcome = { resolved: false, error }; resolve(); }
      );
    }),
    ms,
    label
  );
  if (outcome.resolved) throw new Error(`${label}: expected a rejection, but it succeeded`);
  return outcome.error;
}

/**
 * A queue of values with bounded waits.  `push` from a subscription
 * callback, `next`/`waitFor` from the test.
 */
class Inbox {
  constructor(name) {
    this.name = name;
    this.items = [];
    this.waiters = [];
  }

  push(item) {
    this.items.push(item);
    for (const waiter of this.waiters.slice()) waiter.check();
  }

  /** Wait until `predicate(items)` is true; resolves with the items array. */
  until(predicate, ms = WAIT_MS, label = 'condition') {
    if (predicate(this.items)) return Promise.resolve(this.items);
    return new Promise((resolve, reject) => {
      const waiter = {
        check: () => {
          if (!predicate(this.items)) return;
          finish();
          resolve(this.items);
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${ms} ms on ${this.name}: ${label} (have ${this.items.length} item(s))`));
      }, ms);
      const finish = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
      };
      this.waiters.push(waiter);
    });
  }

  /** Wait until at least `n` items have arrived. */
  count(n, ms = WAIT_MS) {
    return this.until((items) => items.length >= n, ms, `${n} item(s)`);
  }

  /** Wait for an item matching `predicate`; resolves with that item. */
  async find(predicate, ms = WAIT_MS, label = 'matching item') {
    const items = await this.until((xs) => xs.some(predicate), ms, label);
    return items.find(predicate);
  }
}

// ---------------------------------------------------------------------------
// Client probe: a Faye client extension (public API: client.addExtension)
// that records every message the client sends and receives, after all other
// client extensions for outgoing messages (it is added last).  Tests use it
// to wait for protocol replies that Faye's API does not surface, e.g. the
// /meta/unsubscribe acknowledgement, and to see which connectionType the
// client announces on /meta/connect.
// ---------------------------------------------------------------------------
function attachProbe(client) {
  const probe = {
    incoming: new Inbox('incoming messages'),
    outgoing: new Inbox('outgoing messages'),
    extension: {
      incoming(message, callback) {
        probe.incoming.push(JSON.parse(JSON.stringify(message)));
        callback(message);
      },
      outgoing(message, callback) {
        probe.outgoing.push(JSON.parse(JSON.stringify(message)));
        callback(message);
      }
    }
  };
  client.addExtension(probe.extension);
  return probe;
}

// ---------------------------------------------------------------------------
// Client life cycle
// ---------------------------------------------------------------------------

// Faye client states (src/protocol/client.js).
const CONNECTED = 3;

/**
 * Create a Faye client for BAYEUX_URL (or `url`, a node of BAYEUX_URLS), configured for BAYEUX_TRANSPORT, with
 * the given client extensions and a probe.  The client is torn down when the
 * test `t` ends, passed or failed.
 */
const clientsByTest = new WeakMap();

function createClient(t, { extensions = [], url = BAYEUX_URL } = {}) {
  const client = new faye.Client(url);
  if (!clientsByTest.has(t)) clientsByTest.set(t, []);
  clientsByTest.get(t).push(client);
  if (TRANSPORT === 'long-polling') client.disable('websocket');
  for (const ext of extensions) client.addExtension(ext);
  client.probe = attachProbe(client);
  t.after(() => shutdown(client));
  return client;
}

/**
 * Disconnect `client` and make sure nothing it owns keeps the process alive.
 *
 * 1. client.disconnect() sends /meta/disconnect; its return value is a
 *    Publication that settles on the server's reply (bounded wait here).
 * 2. Then this client instance is neutralised, so that a misbehaving server
 *    (or a test that timed out mid-handshake) cannot keep the process alive.
 *    Faye retries handshakes, re-sends unacknowledged messages and cycles
 *    /meta/connect with raw setTimeout timers, and an advice object in a
 *    late reply would overwrite advice.reconnect = 'none'.  So the instance's
 *    handshake/connect become no-ops, the dispatcher sends nothing more, any
 *    HTTP request still in flight is aborted (as Dispatcher#handleError
 *    does), resend timers are cleared, and every WebSocket the client created
 *    is closed, including one still waiting for its upgrade.  Internals
 *    used: Dispatcher#_envelopes, Dispatcher#_sendEnvelope, and the socket
 *    tracking above.
 */
async function shutdown(client) {
  if (client._state === CONNECTED) {
    const done = client.disconnect();
    if (done) await withTimeout(done, 5000, '/meta/disconnect reply').catch(() => {});
  }
  client._advice.reconnect = 'none';
  client.handshake = function () {};
  client.connect = function () {};

  const dispatcher = client._dispatcher;
  dispatcher._sendEnvelope = function () {};
  for (const envelope of dispatcher._envelopes.values()) {
    clearTimeout(envelope.timer);
    if (envelope.request) {
      Promise.resolve(envelope.request).then((req) => {
        if (req && typeof req.destroy === 'function') req.destroy();
        else if (req && typeof req.abort === 'function') req.abort();
      }, () => {});
    }
  }
  dispatcher._envelopes.clear();

  dispatcher.close();
  const sockets = [...(dispatcher.interopSockets || [])];
  await Promise.all(sockets.map((socket) => closeSocket(socket)));
}

/**
 * Subscribe and wait (bounded) for the server's acknowledgement.  Returns
 * {subscription, inbox} where inbox receives every `data` delivered to the
 * callback, and inbox.withChannel receives {channel, data} pairs.
 */
async function subscribe(client, channel, ms = WAIT_MS) {
  const inbox = new Inbox(`deliveries on ${channel}`);
  const subscription = client.subscribe(channel, (data) => inbox.push(data));
  await withTimeout(subscription, ms, `subscription to ${channel}`);
  return { subscription, inbox };
}

/**
 * Messages the server actually delivered to `client` on `channel` (wire
 * level, seen by the probe before Faye's client-side routing).  Use this,
 * not subscription callbacks, to prove that the *server* did not deliver
 * something: once a subscription is cancelled, Faye's client drops
 * deliveries for it locally, which would hide a server bug.
 */
function deliveries(client, channel) {
  return client.probe.incoming.items.filter(
    (m) => m.channel === channel && !m.channel.startsWith('/meta/') && m.data !== undefined
  );
}

/** Wait for the server to deliver a message on `channel` whose data satisfies `predicate`. */
function awaitDelivery(client, channel, predicate = () => true, ms = WAIT_MS) {
  return client.probe.incoming.find(
    (m) => m.channel === channel && m.data !== undefined && predicate(m.data),
    ms,
    `delivery on ${channel}`
  );
}

/** Publish and wait (bounded) for the server's acknowledgement. */
function publish(client, channel, data, ms = WAIT_MS) {
  return withTimeout(client.publish(channel, data), ms, `publish to ${channel}`);
}

/**
 * Cancel a subscription and wait for the server's /meta/unsubscribe reply.
 * Subscription#cancel returns nothing, so the acknowledgement is observed
 * through the probe.
 */
async function unsubscribe(client, subscription, channel, ms = WAIT_MS) {
  const seen = client.probe.incoming.items.length;
  subscription.cancel();
  const reply = await client.probe.incoming.find(
    (m) => client.probe.incoming.items.indexOf(m) >= seen &&
      m.channel === '/meta/unsubscribe' &&
      [].concat(m.subscription).includes(channel),
    ms,
    `/meta/unsubscribe reply for ${channel}`
  );
  if (!reply.successful) throw new Error(`unsubscribe from ${channel} failed: ${reply.error}`);
  return reply;
}

/**
 * Verify that `client` is using the transport selected by BAYEUX_TRANSPORT.
 *
 * How we know (faye 1.4.3):
 *  - The handshake always goes over HTTP long-polling (Client#handshake calls
 *    Dispatcher#selectTransport(MANDATORY_CONNECTION_TYPES), which excludes
 *    'websocket'); meanwhile the WebSocket transport is opened in advance.
 *    After a successful handshake the client re-selects among the server's
 *    supportedConnectionTypes and picks 'websocket' if the socket opened.
 *  - Every /meta/connect carries `connectionType`, copied from the selected
 *    transport (Dispatcher#connectionType), and is sent over that transport.
 *    The probe sees it (public extension API).  The first /meta/connect may
 *    still go out over long-polling if the socket was not open yet when the
 *    handshake reply arrived, so we wait for one with 'websocket'.
 *  - Internals, to make sure: Dispatcher#_transport is the transport object
 *    in use; for WebSocket its `_socket` is set only while the socket is
 *    open (src/transport/web_socket.js).
 * Long-polling mode asserts the converse: /meta/connect announces
 * 'long-polling' and no WebSocket transport object was ever created
 * (client.disable('websocket') makes Transport.get skip it entirely).
 */
async function assertTransport(client, assert, ms = WAIT_MS) {
  // If the first /meta/connect went out over HTTP, the next one is sent only
  // when the server answers it, i.e. after up to advice.timeout ms.
  const handshake = client.probe.incoming.items.find((m) => m.channel === '/meta/handshake' && m.successful);
  const adviceTimeout = (handshake && handshake.advice && Number(handshake.advice.timeout)) || 0;
  const bound = Math.max(ms, 1.2 * adviceTimeout + 2000);

  const connect = await client.probe.outgoing.find(
    (m) => m.channel === '/meta/connect' && m.connectionType === TRANSPORT,
    bound,
    `a /meta/connect with connectionType '${TRANSPORT}'`
  );
  assert.equal(connect.connectionType, TRANSPORT);
  const transport = client._dispatcher._transport;
  assert.ok(transport, 'client has a selected transport');
  assert.equal(transport.connectionType, TRANSPORT, 'selected transport type');
  if (TRANSPORT === 'websocket') {
    assert.ok(transport._socket, 'WebSocket transport has an open socket');
    assert.equal(transport._socket.readyState, 1, 'WebSocket readyState is OPEN');
  } else {
    assert.equal(client._dispatcher.transports.websocket, undefined, 'no WebSocket transport was created');
  }
}

/** assertTransport for every client createClient() made for test `t`. */
async function assertTestTransports(t, assert) {
  for (const client of clientsByTest.get(t) || []) await assertTransport(client, assert);
}

module.exports = {
  BAYEUX_URL,
  URLS,
  TRANSPORT,
  WAIT_MS,
  TEST_TIMEOUT_MS,
  httpLog,
  Inbox,
  uniquePrefix,
  withTimeout,
  expectRejection,
  attachProbe,
  createClient,
  shutdown,
  subscribe,
  publish,
  unsubscribe,
  deliveries,
  awaitDelivery,
  assertTransport,
  assertTestTransports
};
