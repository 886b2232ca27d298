'use strict';
// Faye clients that reach bayeuxd nodes on one Redis ONLY through a load balancer (used by
// RedisLoadBalancerIT and RoundRobinLoadBalancerIT): subscribers over WebSocket and long-polling, and one
// publisher (WebSocket) that publishes a numbered stream on one channel. The test drives it on stdin and
// does the judging; this script records what each client saw.
//
// Env: LB_URL (the balancer), WS_SUBSCRIBERS and LP_SUBSCRIBERS (how many of each, default 6),
// PUBLISH_EVERY_MS (default 20), MAX_MESSAGES (the stream's bound, default 6000), RETRY_S (Faye's retry
// interval, default 1), ROUTING (default cookie):
//   cookie       the balancer sets a stickiness cookie, COOKIE (default BAYEUXD), whose value names the
//                node a client is on; each client gets it before it starts, as a browser with its page
//   round-robin  no cookie: a client's node is its session's, the node token its client id starts with
// Each WebSocket a client opens is recorded with the balancer's X-Upstream response header (the node it
// reached), when the balancer sends one.
//
// Prints READY once every client has subscribed. Then one reply line per command line on stdin:
//   START               starts the stream (seq 1, 2, ...)                        -> OK START
//   MARK <name>         notes the last seq sent, and each subscriber's highest
//                       seq received, node and subscribe replies so far           -> OK MARK <name> <sent>
//   WAIT_SENT <n>       until seq n has been sent                                 -> OK WAIT_SENT <sent>
//   WAIT_ALL <n>        until every subscriber has received a seq >= n            -> OK WAIT_ALL
//   WAIT_RESUBSCRIBED <mark> <node>
//                       until every subscriber that was on <node> at <mark> has
//                       had a subscribe reply since, from another node            -> OK WAIT_RESUBSCRIBED
//   PAUSE               stops the stream, waits for the publisher's acks and
//                       until every subscriber has received every seq sent        -> OK PAUSE <sent>
//                       (START starts it again)
//   DROP <ids>          destroys the TCP connection under each of these (comma-
//                       separated) WebSocket subscribers' socket, as a network
//                       blip would, and waits until Faye has seen it close        -> OK DROP <sent>
//   WAIT_RECONNECTED <ids> <n>
//                       until each of these has opened a WebSocket since its last
//                       drop and received a seq >= n                              -> OK WAIT_RECONNECTED
//   STOP                stops the stream and waits for the publisher's last acks  -> OK STOP <last>
//   REPORT              what each client saw (lines below), then END
//   QUIT                disconnects every client and exits 0
// A wait is bounded (WAIT_TIMEOUT_MS, default 30 s); past it the reply is FAILED <why>, with each
// subscriber's state, and the script goes on reading commands.
//
// REPORT lines:
//   PUB <node> <sent> <acked> <failed seqs, comma-separated or ->
//   SUB <id> <transport> <handshakes> <subscribe replies as seqSentThen:node, comma-separated> <seqs received, in arrival order>
//       <client id> <WebSockets opened, as seqSentThen:upstream port, comma-separated or -> <drops, as seqSentThen:upstream port of the dropped socket, or ->
//   MARK <name> <sent> <per subscriber: highestReceived:node:subscribeReplies, comma-separated>

const http = require('http');
const path = require('path');
const readline = require('readline');
const faye = require(path.join(__dirname, '..', 'faye', 'node_modules', 'faye'));

const URL = process.env.LB_URL;
const WS = Number(process.env.WS_SUBSCRIBERS || 6);
const LP = Number(process.env.LP_SUBSCRIBERS || 6);
const EVERY_MS = Number(process.env.PUBLISH_EVERY_MS || 20);
const MAX_MESSAGES = Number(process.env.MAX_MESSAGES || 6000);
const COOKIE = process.env.COOKIE || 'BAYEUXD';
const ROUTING = process.env.ROUTING || 'cookie';
const RETRY_S = Number(process.env.RETRY_S || 1);
const WAIT_TIMEOUT_MS = Number(process.env.WAIT_TIMEOUT_MS || 30000);
const CHANNEL = '/lb/stream';

let sent = 0;
let acked = 0;
const failed = [];
const inFlight = new Set();
let ticker = null;
const marks = new Map();

// The node a client's requests go to: the value of the balancer's cookie in the client's cookie jar
// (faye 1.4.3 keeps it in its dispatcher, and sends it on both transports).
function nodeOf(client) {
  if (ROUTING === 'round-robin') return client._dispatcher.clientId ? client._dispatcher.clientId.slice(0, 7) : '?';
  const jar = client._dispatcher.cookies;
  const cookie = jar && jar.getCookiesSync(URL).find((c) => c.key === COOKIE);
  return cookie ? cookie.value : '?';
}

// As a browser gets the balancer's cookie with the page before its Bayeux client starts: one plain
// request through the balancer, whose Set-Cookie goes into the client's jar. Without it, Faye's
// WebSocket probe (sent before the handshake, without a cookie) and its handshake could land on two
// nodes: the client would handshake twice and the jar could name either node.
function landingCookie() {
  return new Promise((resolve, reject) => {
    const req = http.get(URL + 'healthz', { timeout: 5000 }, (res) => {
      res.resume();
      const cookie = [].concat(res.headers['set-cookie'] || []).find((c) => c.startsWith(COOKIE + '='));
      if (cookie) resolve(cookie); else reject(new Error('no ' + COOKIE + ' cookie from the balancer'));
    });
    req.on('timeout', () => req.destroy(new Error('no answer from the balancer')));
    req.on('error', reject);
  });
}

// Every WebSocket Faye opens, by client: the seq sent when it opened, the node the balancer says it
// reached (the port in X-Upstream), and the socket itself while it is open.
const sockets = new WeakMap();
const WebSocketTransport = require(path.join(__dirname, '..', 'faye', 'node_modules', 'faye', 'src', 'transport', 'web_socket'));
const createSocket = WebSocketTransport.prototype._createSocket;
WebSocketTransport.prototype._createSocket = function () {
  const socket = createSocket.apply(this, arguments);
  const client = this._dispatcher._client;
  if (socket && sockets.has(client)) {
    const record = sockets.get(client);
    socket.addEventListener('open', () => {
      record.current = socket;
      const upstream = socket.headers && socket.headers['x-upstream'];   // host:port
      record.opened.push(sent + ':' + (upstream ? upstream.slice(upstream.lastIndexOf(':') + 1) : '?'));
    });
    socket.addEventListener('close', () => { if (record.current === socket) record.current = null; });
  }
  return socket;
};

// Not an async function: a faye.Client is a thenable that never settles, so awaiting one would hang.
function newClient(transport, cookie) {
  const c = new faye.Client(URL, { timeout: 10, retry: RETRY_S });
  if (transport === 'long-polling') c.disable('websocket');
  if (cookie) c._dispatcher.cookies.setCookieSync(cookie, URL);
  sockets.set(c, { opened: [], drops: [], current: null });
  return c;
}

function landing() {
  return ROUTING === 'round-robin' ? Promise.resolve(null) : landingCookie();
}

function subscriber(id, transport, cookie) {
  const s = { id, transport, client: newClient(transport, cookie), seqs: [], handshakes: 0, subscribes: [] };
  s.client.addExtension({
    incoming(message, callback) {
      if (message.channel === '/meta/handshake' && message.successful) s.handshakes += 1;
      if (message.channel === '/meta/subscribe' && message.successful) s.subscribes.push(sent + ':' + nodeOf(s.client));
      callback(message);
    },
  });
  return s;
}

function max(s) {
  return s.seqs.length === 0 ? 0 : Math.max(...s.seqs);
}

function node(s) {
  return nodeOf(s.client);
}

// Faye retries a subscribe that failed on the way (a node that did not know the client yet, before the
// balancer's cookie was set); an application would retry a refused one.
async function subscribe(s) {
  for (let attempt = 1; ; attempt++) {
    try {
      await s.client.subscribe(CHANNEL, (m) => s.seqs.push(m.seq));
      return;
    } catch (e) {
      if (attempt >= 10) throw e;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

function publishNext(publisher) {
  if (sent >= MAX_MESSAGES) return;
  sent += 1;
  const seq = sent;
  inFlight.add(seq);
  publisher.publish(CHANNEL, { seq }).then(
    () => { inFlight.delete(seq); acked += 1; },
    () => { inFlight.delete(seq); failed.push(seq); });
}

function waitUntil(check, what, timeoutMs = WAIT_TIMEOUT_MS) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (check()) { clearInterval(timer); resolve(); }
      else if (Date.now() - started > timeoutMs) { clearInterval(timer); reject(new Error('timed out waiting for ' + (typeof what === 'function' ? what() : what))); }
    }, 20);
  });
}

function state(subscribers) {
  return subscribers.map((s) => s.id + '=' + max(s) + '@' + node(s) + '/' + s.subscribes.length).join(' ');
}

async function main() {
  // Interleaved, so that the balancer's round robin spreads both transports over the nodes.
  const transports = [];
  for (let i = 0; i < Math.max(WS, LP); i++) {
    if (i < WS) transports.push('websocket');
    if (i < LP) transports.push('long-polling');
  }
  const subscribers = [];
  for (const transport of transports) {
    const s = subscriber(subscribers.length, transport, await landing());
    await subscribe(s);
    subscribers.push(s);
  }
  // Faye handshakes over HTTP and moves to WebSocket once its probe has connected; publications sent
  // before that go over HTTP, on another connection than the later ones, and may overtake each other.
  // The stream starts once the publisher is on its WebSocket.
  const publisher = newClient('websocket', await landing());
  await publisher.subscribe('/lb/publisher', () => {});
  await waitUntil(() => publisher._dispatcher.connectionType === 'websocket', 'the publisher to move to WebSocket');
  console.log('READY');

  const commands = readline.createInterface({ input: process.stdin });
  for await (const line of commands) {
    const [command, ...args] = line.trim().split(/\s+/);
    try {
      if (command === 'START') {
        if (!ticker) ticker = setInterval(() => publishNext(publisher), EVERY_MS);
        console.log('OK START');
      } else if (command === 'PAUSE') {
        clearInterval(ticker);
        ticker = null;
        await waitUntil(() => inFlight.size === 0 && subscribers.every((s) => max(s) >= sent), 'every subscriber to receive seq ' + sent);
        console.log('OK PAUSE ' + sent);
      } else if (command === 'DROP') {
        const dropped = args[0].split(',').map((id) => subscribers[Number(id)]);
        for (const s of dropped) {
          const record = sockets.get(s.client);
          if (!record.current) throw new Error('subscriber ' + s.id + ' has no open WebSocket');
          record.drops.push(sent + ':' + record.opened[record.opened.length - 1].split(':')[1]);
          record.current._stream.destroy();
        }
        await waitUntil(() => dropped.every((s) => sockets.get(s.client).current === null), () => 'the dropped sockets to close (still open: '
          + dropped.filter((s) => sockets.get(s.client).current !== null).map((s) => s.id + ' in state ' + sockets.get(s.client).current.readyState
            + ', opened ' + sockets.get(s.client).opened.join(',')).join('; ') + ')', 10000);
        console.log('OK DROP ' + sent);
      } else if (command === 'WAIT_RECONNECTED') {
        const dropped = args[0].split(',').map((id) => subscribers[Number(id)]);
        const n = Number(args[1]);
        await waitUntil(() => dropped.every((s) => {
          const record = sockets.get(s.client);
          return record.current !== null && record.opened.length > record.drops.length && max(s) >= n;
        }), 'the dropped subscribers to reconnect and receive seq ' + n);
        console.log('OK WAIT_RECONNECTED');
      } else if (command === 'MARK') {
        marks.set(args[0], { sent, subscribers: subscribers.map((s) => max(s) + ':' + node(s) + ':' + s.subscribes.length) });
        console.log('OK MARK ' + args[0] + ' ' + sent);
      } else if (command === 'WAIT_SENT') {
        const n = Number(args[0]);
        await waitUntil(() => sent >= n, 'seq ' + n + ' to be sent');
        console.log('OK WAIT_SENT ' + sent);
      } else if (command === 'WAIT_ALL') {
        const n = Number(args[0]);
        await waitUntil(() => subscribers.every((s) => max(s) >= n), 'every subscriber to receive seq ' + n);
        console.log('OK WAIT_ALL');
      } else if (command === 'WAIT_RESUBSCRIBED') {
        const mark = marks.get(args[0]);
        const moved = subscribers.filter((s, i) => mark.subscribers[i].split(':')[1] === args[1]);
        await waitUntil(() => moved.every((s) => s.subscribes.length > Number(mark.subscribers[s.id].split(':')[2])
            && node(s) !== args[1]), 'the clients of node ' + args[1] + ' to subscribe again elsewhere');
        console.log('OK WAIT_RESUBSCRIBED');
      } else if (command === 'STOP') {
        clearInterval(ticker);
        ticker = null;
        await waitUntil(() => inFlight.size === 0, 'the last publications to be acknowledged');
        console.log('OK STOP ' + sent);
      } else if (command === 'REPORT') {
        console.log(['PUB', nodeOf(publisher), sent, acked, failed.join(',') || '-'].join(' '));
        subscribers.forEach((s) => console.log(['SUB', s.id, s.transport, s.handshakes, s.subscribes.join(',') || '-',
          s.seqs.join(',') || '-', s.client._dispatcher.clientId || '-', sockets.get(s.client).opened.join(',') || '-',
          sockets.get(s.client).drops.join(',') || '-'].join(' ')));
        marks.forEach((m, name) => console.log(['MARK', name, m.sent, m.subscribers.join(',')].join(' ')));
        console.log('END');
      } else if (command === 'QUIT') {
        clearInterval(ticker);
        await Promise.all(subscribers.map((s) => s.client.disconnect()).concat(publisher.disconnect()));
        process.exit(0);
      } else {
        console.log('FAILED unknown command ' + line);
      }
    } catch (e) {
      console.log('FAILED ' + e.message + ' [' + state(subscribers) + ']');
    }
  }
}

main().catch((e) => { console.log('FAILED ' + e.message); process.exit(1); });
