// Reads bench/history.sh's raw results (target/history/{off,on}-N/bayeuxd-S*.json and .server.json)
// and writes the history-cost report: deliveries per server-CPU-second with history off and on, per
// round and scenario, and their ratio.
'use strict';
const fs = require('fs');
const path = require('path');

const [dir, doc, historyArgs] = process.argv.slice(2);
const read = (f) => { try { return JSON.parse(fs.readFileSync(f, 'utf8')); } catch (e) { return null; } };
const num = (v, d = 0) => (v === undefined || v === null || !Number.isFinite(v)) ? 'n/a'
  : v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

const rounds = fs.readdirSync(dir).filter((d) => /^(off|on)-\d+$/.test(d))
  .map((d) => Number(d.split('-')[1])).filter((v, i, a) => a.indexOf(v) === i).sort((a, b) => a - b);
const scenarios = ['S1', 'S2', 'S3', 'S4'];

function run(mode, round, scn) {
  const base = path.join(dir, `${mode}-${round}`, `bayeuxd-${scn}`);
  const gen = read(base + '.json');
  const srv = read(base + '.server.json');
  if (!gen || !srv || !(srv.serverCpuSec > 0)) return null;
  return { perCpuSec: gen.delivered / srv.serverCpuSec, delivered: gen.delivered, lost: gen.lost,
    p99: gen.p99Ms, cpu: srv.serverCpuSec };
}

const rows = [];
const ratios = {};
for (const scn of scenarios) {
  for (const round of rounds) {
    const off = run('off', round, scn);
    const on = run('on', round, scn);
    if (!off && !on) continue;
    const ratio = off && on ? on.perCpuSec / off.perCpuSec : undefined;
    if (ratio !== undefined) (ratios[scn] = ratios[scn] || []).push(ratio);
    rows.push(`| ${scn} | ${round} | ${num(off && off.perCpuSec)} | ${num(on && on.perCpuSec)} | ${num(ratio, 2)} | `
      + `${num(off && off.p99, 1)} / ${num(on && on.p99, 1)} | ${num(off && off.lost)} / ${num(on && on.lost)} |`);
  }
}
const verdicts = Object.entries(ratios).map(([scn, rs]) => {
  const mean = rs.reduce((a, b) => a + b, 0) / rs.length;
  return `| ${scn} | ${rs.map((r) => num(r, 2)).join(', ')} | ${num(mean, 2)} | ${mean >= 0.85 ? 'met' : 'not met'} |`;
});
const machine = (() => { try { return fs.readFileSync(path.join(dir, `off-${rounds[0]}`, 'machine.txt'), 'utf8').trim(); } catch (e) { return ''; } })();

const out = [
  '# Benchmarks: what channel history costs',
  '',
  'Written by `bench/history.sh` (do not edit by hand). bayeuxd alone, scenarios of `bench/side-by-side.sh` '
    + '(see [benchmarks](benchmarks.md) for what each scenario is and how CPU is measured), once with history off '
    + `and once with \`${historyArgs}\`: every channel keeps its last 1,000 messages, each stamped with its position. `
    + 'The two are alternated in one session, round after round, so that drift on a shared machine falls on both.',
  '',
  'Target (issue 10): history costs at most 15% of the deliveries per server-CPU-second, that is on ÷ off ≥ 0.85.',
  '',
  '| scenario | round | deliveries per CPU-second, off | on | on ÷ off | p99 ms off / on | lost off / on |',
  '|---|---|---|---|---|---|---|',
  ...rows,
  '',
  '| scenario | on ÷ off per round | mean | target ≥ 0.85 |',
  '|---|---|---|---|',
  ...verdicts,
  '',
  '## Machine',
  '',
  '```',
  machine,
  '```',
  '',
];
fs.writeFileSync(doc, out.join('\n'));
console.log(`wrote ${doc}`);
