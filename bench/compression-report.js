'use strict';
// Writes the table of one bench/compression.sh run into the report, between
// <!-- figures: bench/compression.sh clients=C rate=R --> and <!-- /figures: bench/compression.sh clients=C rate=R -->,
// from the JSON lines the script left in its output directory:
//
//   node bench/compression-report.js <out dir> <doc> <clients> <rate> <size> <duration>

const fs = require('fs');

const [out, doc, clients, rate, size, duration] = process.argv.slice(2);
const read = (label) => JSON.parse(fs.readFileSync(`${out}/${label}.json`, 'utf8'));
const rows = [
  ['plain', 'no extension (`--websocket-compression false`)'],
  ['per-connection', '`permessage-deflate`, each frame compressed per connection by Netty (`--websocket-compress-once false`)'],
  ['compress-once', '`permessage-deflate`, each publication compressed once and shared (the default)'],
].map(([label, what]) => ({ what, r: read(label) }));
const plain = rows[0].r;
const bytesPerDelivery = (r) => r.sentBytes / r.deliveries;
const deliveriesPerCpu = (r) => r.deliveries / r.serverCpuSec;

let table = `| ${clients} subscribers on one channel, ${rate} records/s of ${size} bytes of text, ${duration} s measured `
  + '| deliveries | bytes on the wire per delivery (ratio to plain) | deliveries per server CPU-second (ratio to plain) '
  + '| compressions run | compressed copies reused |\n|---|---:|---:|---:|---:|---:|\n';
for (const { what, r } of rows) {
  table += `| ${what} | ${r.deliveries} | ${bytesPerDelivery(r).toFixed(1)} (${(bytesPerDelivery(r) / bytesPerDelivery(plain)).toFixed(2)}) `
    + `| ${Math.round(deliveriesPerCpu(r))} (${(deliveriesPerCpu(r) / deliveriesPerCpu(plain)).toFixed(2)}) `
    + `| ${r.compressed} | ${r.reused} |\n`;
}

const begin = `<!-- figures: bench/compression.sh clients=${clients} rate=${rate} -->`;
const end = `<!-- /figures: bench/compression.sh clients=${clients} rate=${rate} -->`;
const text = fs.readFileSync(doc, 'utf8');
const i = text.indexOf(begin);
const j = text.indexOf(end);
if (i < 0 || j < i) {
  throw new Error(`${doc} has no ${begin} ... ${end}: add them where this run's table goes`);
}
fs.writeFileSync(doc, text.slice(0, i + begin.length) + '\n' + table + text.slice(j));
process.stdout.write(table);
