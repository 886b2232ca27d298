'use strict';

// Shared pieces of the browser interop test: configuration, the static page
// server, the browser, and a per-page log of the traffic to the Bayeux server.
// Lives outside test/ because `node --test test/` runs every .js file there.

const fs = require('fs');
const http = require('http');
const path = require('path');
const { chromium } = require('playwright-core');

const BAYEUX_URL = process.env.BAYEUX_URL;
if (!BAYEUX_URL) {
  throw new Error('BAYEUX_URL is not set (e.g. BAYEUX_URL=http://127.0.0.1:8000/)');
}
const BROKER = new URL(BAYEUX_URL);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(BROKER.hostname)) {
  throw new Error(`BAYEUX_URL must point at this machine (loopback), got ${BROKER.hostname}`);
}
// The mount with a trailing slash, so that `client.js` resolves beneath it as
// it does under Faye's NodeAdapter.
const MOUNT_URL = BROKER.href.endsWith('/') ? BROKER.href : `${BROKER.href}/`;
// Where Faye's browser client opens its WebSocket: its endpoint with ws:.
const WS_URL = MOUNT_URL.replace(/^http/, 'ws');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// Where screenshots go (created if needed); unset: none are taken.
const ARTIFACTS_DIR = process.env.ARTIFACTS_DIR || null;
// The channel patterns the server keeps records of (bayeuxd's --state-channels), comma-separated;
// unset: the tests that need a storage channel are skipped.
const STATE_CHANNELS = process.env.STATE_CHANNELS || null;
// Bound for one wait inside a test, and for one whole test (ms).
const WAIT_MS = Number(process.env.INTEROP_WAIT_MS || 10000);
const TEST_TIMEOUT_MS = Number(process.env.INTEROP_TEST_TIMEOUT_MS || 60000);

// Channel names unique to this run, so that runs against a long-lived server
// do not see each other's messages.
const RUN = `${Date.now().toString(36)}${process.pid.toString(36)}`;
const channel = (name, root = 'browser') => `/${root}/${RUN}/${name}`;

// ---------------------------------------------------------------------------
// The pages come from their own server on another port: another origin than
// the Bayeux server, so the browser applies its cross-origin rules (CORS for
// XHR, script tags for JSONP, an Origin header on the WebSocket).
// ---------------------------------------------------------------------------
const WEBIX_JS = path.join(path.dirname(require.resolve('webix/package.json')), 'webix.js');
// The newest Webix (npm alias webix-current), which has no faye proxy of its own: its pages load
// bayeuxd's, from the server under test.
const WEBIX_CURRENT_JS = path.join(path.dirname(require.resolve('webix-current/package.json')), 'webix.js');

const page = (webixSrc, extra = '') => `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<title>bayeuxd browser interop</title>
<script src="${MOUNT_URL}client.js"></script>
<script src="${webixSrc}"></script>
${extra}</head>
<body><div id="app" style="width: 400px; height: 300px"></div></body>
</html>
`;
// Webix 6.4.0 with its own faye proxy.
const PAGE = page('/webix/webix.js');
// Current Webix with bayeuxd's proxy, loaded from the server as a page of any origin would.
const PAGE_CURRENT = page('/webix-current/webix.js', `<script src="${MOUNT_URL}webix/faye-proxy.js"></script>\n`);

const STATIC = {
  '/page.html': { type: 'text/html; charset=utf-8', body: () => PAGE },
  '/current.html': { type: 'text/html; charset=utf-8', body: () => PAGE_CURRENT },
  '/webix/webix.js': { type: 'text/javascript; charset=utf-8', body: () => fs.readFileSync(WEBIX_JS) },
  '/webix-current/webix.js': { type: 'text/javascript; charset=utf-8', body: () => fs.readFileSync(WEBIX_CURRENT_JS) },
  // Chromium asks for it; an answer keeps a 404 out of the console.
  '/favicon.ico': { type: 'image/x-icon', body: () => '' },
};

function startStaticServer() {
  const server = http.createServer((req, res) => {
    const file = req.method === 'GET' ? STATIC[new URL(req.url, 'http://x').pathname] : undefined;
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-store' }).end(file.body());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({
      origin: `http://127.0.0.1:${server.address().port}`,
      close: () => new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
    }));
  });
}

// ---------------------------------------------------------------------------
// The browser: Debian's Chromium, driven by playwright-core (which brings no
// browser of its own). The flags keep it from calling out to Google's
// services, which this machine cannot reach.
// ---------------------------------------------------------------------------
function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

async function start() {
  const statics = await startStaticServer();
  let browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    await statics.close();
    throw error;
  }
  return {
    // `page`: 'page.html' (Webix 6.4.0), 'current.html' (current Webix and bayeuxd's proxy), or a
    // full URL (a page the server itself serves, such as its demo).
    open: (name, page = 'page.html') => openPage(browser, new URL(page, `${statics.origin}/`).href, name),
    // The browser goes first: its open connections would hold up the static
    // server's close.
    async close() {
      try {
        await withTimeout(browser.close(), 10000, 'closing the browser');
      } finally {
        await statics.close();
      }
    },
  };
}

// Opens the test page in a fresh browser context (its own cookies and
// storage, as another user would have) and records, as the browser sees it,
// every request, response and WebSocket frame exchanged with the Bayeux server.
async function openPage(browser, pageUrl, name) {
  const context = await browser.newContext();
  context.setDefaultTimeout(WAIT_MS);
  // Before any script of the page: every WebSocket the page opens (Faye's client takes the constructor when
  // it loads) is listed in window.openedSockets with the extensions the browser negotiated, which only the
  // page's own WebSocket object tells.
  await context.addInitScript(() => {
    const Native = window.WebSocket;
    window.openedSockets = [];
    window.WebSocket = class extends Native {
      constructor(...args) {
        super(...args);
        const entry = { url: this.url, extensions: null };
        window.openedSockets.push(entry);
        this.addEventListener('open', () => { entry.extensions = this.extensions; });
      }
    };
  });
  const page = await context.newPage();
  // `seq` numbers requests and frames in the order the browser reported them.
  const traffic = { requests: [], sockets: [], seq: 0 };
  const problems = [];

  page.on('request', (request) => {
    if (!request.url().startsWith(BROKER.origin)) return;
    const entry = { seq: traffic.seq++, method: request.method(), url: request.url(), body: request.postData(),
      headers: request.headers(), status: null, responseHeaders: null, responseBody: null };
    traffic.requests.push(entry);
    request.response().then(async (response) => {
      if (!response) return;
      entry.status = response.status();
      entry.responseHeaders = response.headers();
      entry.responseBody = await response.text();
    }).catch(() => {}); // the page may be closed while a long-poll is still held
  });
  page.on('websocket', (ws) => {
    const socket = { url: ws.url(), sent: [], received: [] };
    traffic.sockets.push(socket);
    ws.on('framesent', (frame) => socket.sent.push({ seq: traffic.seq++, payload: frame.payload }));
    ws.on('framereceived', (frame) => socket.received.push({ seq: traffic.seq++, payload: frame.payload }));
  });
  page.on('pageerror', (error) => problems.push(`uncaught ${error.stack || error}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()} (${message.location().url})`);
  });

  const response = await page.goto(pageUrl);
  if (!response.ok()) throw new Error(`${name}: test page answered ${response.status()}`);
  const loaded = await page.evaluate(() => typeof Faye === 'object' && typeof webix === 'object');
  if (!loaded) throw new Error(`${name}: Faye's client (${MOUNT_URL}client.js) or webix did not load`);

  return {
    name, page, traffic, problems,
    // Runs fn in the page, bounded: page.evaluate itself never times out.
    run: (fn, arg, what = 'page script') => withTimeout(page.evaluate(fn, arg), WAIT_MS, `${name}: ${what}`),
    async close() {
      // Faye says goodbye on `beforeunload`, which closing a context skips.
      await withTimeout(page.evaluate(() => window.client && window.client.disconnect()), 2000, 'disconnect')
        .catch(() => {});
      await withTimeout(context.close(), 5000, `${name}: closing its context`);
    },
  };
}

// ---------------------------------------------------------------------------
// The recorded traffic as Bayeux messages, each with what carried it:
//   'websocket'  a WebSocket text frame
//   'form-post'  a POST whose body is `message=<json>` (cross-origin-long-polling)
//   'json-post'  a POST whose body is JSON (same-origin long-polling)
//   'jsonp'      a GET with `message=` and `jsonp=` in the query (callback-polling)
// ---------------------------------------------------------------------------
function carrierOf(request) {
  const url = new URL(request.url);
  if (request.method === 'GET' && url.searchParams.has('jsonp') && url.searchParams.has('message')) {
    return { carrier: 'jsonp', json: url.searchParams.get('message') };
  }
  if (request.method === 'POST' && request.body && request.body.startsWith('message=')) {
    return { carrier: 'form-post', json: new URLSearchParams(request.body).get('message') };
  }
  if (request.method === 'POST' && request.body) return { carrier: 'json-post', json: request.body };
  return null;
}

// In the order they were sent.
function sentMessages(traffic) {
  const out = [];
  for (const request of traffic.requests) {
    const sent = carrierOf(request);
    if (!sent) continue;
    for (const message of parseMessages(sent.json)) out.push({ seq: request.seq, carrier: sent.carrier, message });
  }
  for (const socket of traffic.sockets) {
    for (const frame of socket.sent) {
      for (const message of parseMessages(frame.payload)) out.push({ seq: frame.seq, carrier: 'websocket', message });
    }
  }
  return out.sort((x, y) => x.seq - y.seq).map(({ carrier, message }) => ({ carrier, message }));
}

function receivedMessages(traffic) {
  const out = [];
  for (const request of traffic.requests) {
    const sent = carrierOf(request);
    if (!sent || request.responseBody === null) continue;
    // A JSONP reply is `/**/name([...]);`: the JSON is between the parentheses.
    const body = sent.carrier === 'jsonp'
      ? request.responseBody.slice(request.responseBody.indexOf('(') + 1, request.responseBody.lastIndexOf(')'))
      : request.responseBody;
    for (const message of parseMessages(body)) out.push({ carrier: sent.carrier, message });
  }
  for (const socket of traffic.sockets) {
    for (const frame of socket.received) {
      for (const message of parseMessages(frame.payload)) out.push({ carrier: 'websocket', message });
    }
  }
  return out;
}

function parseMessages(json) {
  try {
    return [].concat(JSON.parse(json));
  } catch (_) {
    return [];
  }
}

// One line per exchange, printed when a test fails.
function describeTraffic(p) {
  const lines = [`--- ${p.name}: traffic with the Bayeux server`];
  for (const r of p.traffic.requests) {
    const body = (r.responseBody ?? "").slice(0, Number(process.env.TRAFFIC_CHARS || 500)); // not the whole of client.js
    lines.push(`${r.method} ${r.url}${r.body ? ` body=${r.body}` : ''} -> ${r.status} ${body}`);
  }
  for (const s of p.traffic.sockets) {
    lines.push(`WebSocket ${s.url}`);
    const frames = [...s.sent.map((f) => ({ ...f, dir: '>' })), ...s.received.map((f) => ({ ...f, dir: '<' }))];
    for (const f of frames.sort((x, y) => x.seq - y.seq)) lines.push(`  ${f.dir} ${f.payload}`);
  }
  for (const problem of p.problems) lines.push(`page problem: ${problem}`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------
// Waiting: every wait is bounded.
// ---------------------------------------------------------------------------
function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Polls a condition on the Node side, for the traffic log (which lives here).
async function until(condition, what, ms = WAIT_MS) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

// Saves a screenshot of the page as ARTIFACTS_DIR/<name>.png, and also at `alsoTo` when given.
async function screenshot(p, name, alsoTo) {
  const targets = [];
  if (ARTIFACTS_DIR) targets.push(path.join(ARTIFACTS_DIR, `${name}.png`));
  if (alsoTo) targets.push(alsoTo);
  for (const target of targets) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await withTimeout(p.page.screenshot({ path: target }), WAIT_MS, `${p.name}: screenshot ${target}`);
  }
}

// The server's Prometheus metrics (GET <origin>/metrics), as { 'name{labels}': value }.
async function serverMetrics() {
  const response = await withTimeout(fetch(`${BROKER.origin}/metrics`), WAIT_MS, 'GET /metrics');
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const values = {};
  for (const line of (await response.text()).split('\n')) {
    const match = /^([a-z_]+(?:\{[^}]*\})?) ([0-9.eE+-]+)$/.exec(line);
    if (match) values[match[1]] = Number(match[2]);
  }
  return values;
}

module.exports = {
  MOUNT_URL, WS_URL, WAIT_MS, TEST_TIMEOUT_MS, STATE_CHANNELS, channel, start, sentMessages, receivedMessages,
  describeTraffic, withTimeout, until, screenshot, serverMetrics,
};
