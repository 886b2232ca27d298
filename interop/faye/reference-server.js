#!/usr/bin/env node
'use strict';

// Reference Bayeux server for the interop suite: the real, unmodified Faye
// server (faye@1.4.3 NodeAdapter) mounted at '/' on 127.0.0.1.
//
// Usage:  node reference-server.js [port]      (or PORT=<port> node ...)
// Port 0 (the default) asks the OS for an ephemeral port.  Once listening,
// exactly one line `LISTENING <port>` is printed on stdout.
//
// Env:    FAYE_TIMEOUT  long-poll hold time in seconds (default 10); Faye
//                       advertises it to clients as advice.timeout (in ms).
//
// SIGTERM / SIGINT close the adapter and the HTTP server and exit 0.

const http = require('http');
const faye = require('faye');

// ---------------------------------------------------------------------------
// The server-side rule the /secure/ tests rely on.  Any Bayeux server under
// test must install the equivalent of this extension:
//
//   An incoming *publish* (a message whose channel is not /meta/**) to a
//   channel under /secure/ is rejected with error '403::Forbidden channel'
//   unless message.ext.token === 'letmein'.
//
// Setting message.error in an incoming extension makes Faye answer the
// publisher with {successful: false, error: '403::Forbidden channel'} and
// skip delivery.  Subscribing to /secure/** is allowed (a subscribe request
// travels on /meta/subscribe, so it never matches the prefix).  Whether the
// token is stripped before delivery is unspecified; the tests do not look.
// ---------------------------------------------------------------------------
const secureChannelGuard = {
  incoming(message, callback) {
    const channel = message.channel || '';
    if (channel.startsWith('/secure/')) {
      const token = message.ext && message.ext.token;
      if (token !== 'letmein') message.error = '403::Forbidden channel';
    }
    callback(message);
  }
};

function parsePort() {
  const raw = process.argv[2] !== undefined ? process.argv[2] : (process.env.PORT || '0');
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`invalid port: ${raw}`);
    process.exit(2);
  }
  return port;
}

const timeout = Number(process.env.FAYE_TIMEOUT || 10);
const bayeux = new faye.NodeAdapter({ mount: '/', timeout });
bayeux.addExtension(secureChannelGuard);

const server = http.createServer((req, res) => {
  // Only reached for requests the adapter does not claim (it claims '/').
  res.writeHead(404, { 'Content-Type': 'text/plain' });
  res.end('Not found\n');
});
bayeux.attach(server);

server.on('clientError', (err, socket) => socket.destroy());

server.listen(parsePort(), '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${server.address().port}\n`);
});

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  bayeux.close();
  server.close(() => process.exit(0));
  server.closeAllConnections();
  // Upgraded (WebSocket) sockets are no longer tracked by the http.Server.
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
