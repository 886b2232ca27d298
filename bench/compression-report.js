'use strict';
// Writes the table of one bench/compression.sh run into the report, between
// <!-- figures: bench/compression.sh clients=C rate=R --> and <!-- /figures: bench/compression.sh clients=C rate=R -->,
// from the JSON lines the script left in its output directory:
//
//   node bench/compression-report.js <out dir> <doc> <clients> <rate> <size> <duration>

const fs = require('fs');

const [out, doc, clients, rate, size, duration] = process.argv.slice(2);
// A counter of the scrapes the script saved at the start (0) and the end (1) of the measured window.
const scraped = (label, at, name) => {
  const line = fs.readFileSync(`${out}/${label}.metrics.${at}`, 'utf8').split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
};
const FRAMES = 'bayeux_frames_written_total{transport="websocket"}';
// The load generator's own summary line: its latency percentiles, publish to delivery.
const loadgen = (label) => {
  try {
    return JSON.parse(fs.readFileSync(`${out}/${label}.loadgen.json`, 'utf8'));
  } catch (e) {
    return {};
  }
};
const read = (label) => Object.assign(JSON.parse(fs.readFileSync(`${out}/${label}.json`, 'utf8')),
  { frames: scraped(label, 1, FRAMES) - scraped(label, 0, FRAMES), p99Ms: loadgen(label).p99Ms });
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
  + '| records per frame | p99 publish to delivery, ms | compressions run | compressed copies reused |\n|---|---:|---:|---:|---:|---:|---:|---:|\n';
for (const { what, r } of rows) {
  table += `| ${what} | ${r.deliveries} | ${bytesPerDelivery(r).toFixed(1)} (${(bytesPerDelivery(r) / bytesPerDelivery(plain)).toFixed(2)}) `
    + `| ${Math.round(deliveriesPerCpu(r))} (${(deliveriesPerCpu(r) / deliveriesPerCpu(plain)).toFixed(2)}) `
    + `| ${(r.deliveries / r.frames).toFixed(2)} | ${r.p99Ms === undefined ? '?' : r.p99Ms} | ${r.compressed} | ${r.reused} |\n`;
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
