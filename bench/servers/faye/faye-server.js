'use strict';
// The Faye server that bench/side-by-side.sh compares bayeuxd with: Faye's NodeAdapter with its
// defaults (in-memory engine, WebSocket, EventSource, long-polling and callback-polling) mounted at
// '/', on a plain Node http server bound to loopback. Only the connect hold time is set, so that
// every server in a comparison holds /meta/connect equally long.
//
//   node faye-server.js --port 0 [--host 127.0.0.1] [--timeout 30]
//
// Prints "LISTENING <port>" on stdout once it accepts connections; on SIGUSR2 prints
// "MEMORY rss=<KB> heapUsed=<KB> heapTotal=<KB>" (the benchmark's idle-memory scenario reads it);
// stops on SIGTERM or SIGINT.

const http = require('http');
const faye = require('faye');

function parseArgs(argv) {
  const options = { port: 8000, host: '127.0.0.1', timeout: 30 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error('missing value for ' + name);
    switch (name) {
      case '--port': options.port = Number(value); break;
      case '--host': options.host = value; break;
      case '--timeout': options.timeout = Number(value); break;
      default: throw new Error('unknown option ' + name);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error('--port must be in [0, 65535]');
  }
  if (!(options.timeout > 0 && options.timeout <= 3600)) {
    throw new Error('--timeout must be in (0, 3600] seconds');
  }
  return options;
}

let options;
try {
  options = parseArgs(process.argv.slice(2));
} catch (e) {
  process.stderr.write('invalid options: ' + e.message + '\n');
  process.exit(2);
}

const bayeux = new faye.NodeAdapter({ mount: '/', timeout: options.timeout });
const server = http.createServer();
bayeux.attach(server);

server.listen(options.port, options.host, () => {
  process.stdout.write('LISTENING ' + server.address().port + '\n');
});

process.on('SIGUSR2', () => {
  const m = process.memoryUsage();
  const kb = (bytes) => Math.round(bytes / 1024);
  process.stdout.write('MEMORY rss=' + kb(m.rss) + ' heapUsed=' + kb(m.heapUsed) + ' heapTotal=' + kb(m.heapTotal) + '\n');
});

function stop() {
  server.close();
  // Held connects and open sockets would keep close() waiting; the benchmark wants the process gone.
  setTimeout(() => process.exit(0), 200).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
