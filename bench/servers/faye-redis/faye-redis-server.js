'use strict';
// The Faye cluster node that bench/cluster.sh compares bayeuxd's Redis engine with: Faye's
// NodeAdapter with its defaults (WebSocket, EventSource, long-polling and callback-polling) mounted
// at '/', with the faye-redis engine, so that several such processes on one Redis act as one
// server: sessions, subscriptions and message queues live in Redis. Only the connect hold time and
// the Redis address are set.
//
//   node faye-redis-server.js --port 0 --redis-port 6379 [--host 127.0.0.1] [--redis-host 127.0.0.1] [--timeout 30]
//
// Prints "LISTENING <port>" on stdout once it accepts connections; stops on SIGTERM or SIGINT.

const http = require('http');
const faye = require('faye');
const fayeRedis = require('faye-redis');

function parseArgs(argv) {
  const options = { port: 8000, host: '127.0.0.1', timeout: 30, redisHost: '127.0.0.1', redisPort: 6379 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error('missing value for ' + name);
    switch (name) {
      case '--port': options.port = Number(value); break;
      case '--host': options.host = value; break;
      case '--timeout': options.timeout = Number(value); break;
      case '--redis-host': options.redisHost = value; break;
      case '--redis-port': options.redisPort = Number(value); break;
      default: throw new Error('unknown option ' + name);
    }
  }
  for (const [name, port] of [['--port', options.port], ['--redis-port', options.redisPort]]) {
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(name + ' must be in [0, 65535]');
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

const bayeux = new faye.NodeAdapter({
  mount: '/',
  timeout: options.timeout,
  engine: { type: fayeRedis, host: options.redisHost, port: options.redisPort },
});
const server = http.createServer();
bayeux.attach(server);

server.listen(options.port, options.host, () => {
  process.stdout.write('LISTENING ' + server.address().port + '\n');
});

function stop() {
  server.close();
  // Held connects and open sockets would keep close() waiting; the benchmark wants the process gone.
  setTimeout(() => process.exit(0), 200).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
