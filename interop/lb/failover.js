'use strict';
// Faye clients behind a load balancer while one broker node drains (used by LoadBalancerIT and
// NginxLoadBalancerIT).
//
// Env: LB_URL (the balancer), NODE_URLS (comma-separated URLs of each broker, published to directly),
// CLIENTS (subscribers, default 20), BAYEUX_TRANSPORT (websocket or long-polling). Protocol on stdio: prints READY once every subscriber has received a message; then
// waits for a line DRAINED on stdin; prints RECOVERED once every subscriber has received a message
// published after that line, then exits 0. Any wait over its bound exits 1 with the reason.
// Messages do not cross nodes (no shared engine yet), so every tick publishes the same message to each
// node directly (a plain Bayeux POST, which needs no handshake); a subscriber recovers once it has
// reconnected through the balancer to the surviving node.

const http = require('http');
const path = require('path');
const readline = require('readline');
const faye = require(path.join(__dirname, '..', 'faye', 'node_modules', 'faye'));

const URL = process.env.LB_URL;
const CLIENTS = Number(process.env.CLIENTS || 20);
const TRANSPORT = process.env.BAYEUX_TRANSPORT || 'websocket';
const NODE_URLS = (process.env.NODE_URLS || '').split(',').filter((u) => u);
const CHANNEL = '/lb/news';

function publishDirect(url, seq) {
  const body = JSON.stringify({ channel: CHANNEL, data: { seq } });
  const req = http.request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, timeout: 2000 });
  req.on('error', () => {});
  req.on('timeout', () => req.destroy());
  req.on('response', (res) => res.resume());
  req.end(body);
}

function client() {
  const c = new faye.Client(URL, { timeout: 10, retry: 1 });
  if (TRANSPORT === 'long-polling') c.disable('websocket');
  return c;
}

function waitUntil(check, ms, what) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (check()) { clearInterval(timer); resolve(); }
      else if (Date.now() - started > ms) { clearInterval(timer); reject(new Error('timed out waiting for ' + what)); }
    }, 50);
  });
}

function lineFromStdin(expected, ms) {
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: process.stdin });
    const timer = setTimeout(() => { rl.close(); reject(new Error('no ' + expected + ' on stdin')); }, ms);
    rl.on('line', (line) => {
      if (line.trim() === expected) { clearTimeout(timer); rl.close(); resolve(); }
    });
  });
}

// Without a shared engine a client's requests must reach the node that knows it. The balancer's
// stickiness (HAProxy's cookie, nginx's ip_hash) keeps them there once set; a request that lands
// elsewhere before that is refused with 401, Faye handshakes again, and a subscribe refused meanwhile is
// retried, as an application would.
async function subscribeWithRetry(state) {
  for (let attempt = 1; ; attempt++) {
    try {
      await state.client.subscribe(CHANNEL, (m) => state.seqs.push(m.seq));
      return;
    } catch (e) {
      if (attempt >= 10) throw e;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

async function main() {
  const subscribers = [];
  for (let i = 0; i < CLIENTS; i++) {
    const state = { client: client(), seqs: [] };
    await subscribeWithRetry(state);
    subscribers.push(state);
  }
  let seq = 0;
  const ticker = setInterval(() => { seq += 1; NODE_URLS.forEach((u) => publishDirect(u, seq)); }, 100);

  await waitUntil(() => subscribers.every((s) => s.seqs.length > 0), 20000, 'first deliveries');
  console.log('READY');
  await lineFromStdin('DRAINED', 60000);
  const drainedAt = seq;
  await waitUntil(() => subscribers.every((s) => s.seqs.some((n) => n > drainedAt)), 30000, 'deliveries after the drain');
  console.log('RECOVERED after seq ' + drainedAt);

  clearInterval(ticker);
  await Promise.all(subscribers.map((s) => s.client.disconnect()));
  process.exit(0);
}

main().catch((e) => { console.log('FAILED ' + e.message); process.exit(1); });
