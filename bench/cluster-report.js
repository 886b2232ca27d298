'use strict';
// Writes docs/benchmarks-cluster.md from the raw results of bench/cluster.sh, which calls it:
//
//   node bench/cluster-report.js <results dir> <markdown file>
//
// Reads <system>-<N>n-<scenario>-<transport>.json (the load generator's JSON line), .server.json (CPU of
// the nodes and Redis over the measured window, read by the script), .metrics.txt (bayeuxd's cluster
// metrics), .loadgen.err (progress lines), machine.txt, settings.txt and skipped.txt. Every number in
// the report comes from those files; the verdicts on the goals are computed here, not written by hand.

const fs = require('fs');
const { GENERATOR_SATURATED_CORES, CONTENDED_CORES, args, resultsIn, arrivingPerSec, num, table } = require('./report-common');

const { dir, docPath } = args('cluster-report.js');
const { json: readJson, text: readText } = resultsIn(dir);

const SYSTEMS = ['bayeuxd', 'bayeuxd-memory', 'faye', 'relay'];
const NAMES = { bayeuxd: 'bayeuxd (Redis engine)', 'bayeuxd-memory': 'bayeuxd (in-memory engine, no Redis)', faye: 'Faye + faye-redis',
  relay: 'relay (no broker work: the ceiling)' };
const NODE_COUNTS = [1, 2, 3];
const SCENARIOS = {
  S1: { title: 'S1 fan-out', what: '1,000 clients on one channel, 1 publisher at 200 msg/s, 100-byte payload: 200,000 deliveries/s offered.' },
  S3: { title: 'S3 chat rooms', what: '2,000 clients over 200 channels (10 per channel), 200 publishers, 2,000 msg/s in total, 200-byte payload: 20,000 deliveries/s offered.' },
  // Not one of the issue's goals: the same rooms at a load Faye + faye-redis carries without falling behind,
  // so that both systems write each delivery by itself.
  S3L: { title: 'S3L chat rooms at a quarter of the rate', what: 'S3 at 500 msg/s in total: 5,000 deliveries/s offered, a load Faye + faye-redis keeps up with.', informative: true },
};
const GOAL_SCENARIOS = Object.keys(SCENARIOS).filter((scn) => !SCENARIOS[scn].informative);
const TRANSPORTS = ['websocket', 'long-polling'];
// Goals of issue 9.
const MAX_CROSS_NODE_CPU_RATIO = 2;
const MIN_FAYE_RATIO = 10;

const key = (system, nodes, scn, transport) => `${system}-${nodes}n-${scn}-${transport}`;
const runs = {};
for (const system of SYSTEMS) {
  for (const nodes of NODE_COUNTS) {
    for (const scn of Object.keys(SCENARIOS)) {
      for (const transport of TRANSPORTS) {
        const label = key(system, nodes, scn, transport);
        const gen = readJson(`${label}.json`);
        const srv = readJson(`${label}.server.json`);
        if (!gen && !srv) continue;
        const run = { system, nodes, scn, transport, gen, srv };
        if (gen && srv && srv.cpuSec > 0) {
          run.perCpuSec = gen.delivered / srv.cpuSec;
          if (gen.delivered > 0) run.cpuUsPerDelivery = srv.cpuSec * 1e6 / gen.delivered;
        }
        if (srv && srv.machineCores !== undefined) {
          run.otherCores = Math.max(0, srv.machineCores - srv.cores - (gen && gen.loadgenCpuCores > 0 ? gen.loadgenCpuCores : 0));
        }
        const arriving = arrivingPerSec(readText(`${label}.loadgen.err`));
        if (arriving !== undefined) run.arrivingPerSec = arriving;
        // Credited deliveries per CPU second: the larger of what was delivered of the window's messages
        // and what arrived in the window, so that a system that fell behind is not scored as zero.
        if (srv && srv.cpuSec > 0) {
          const arriving = (run.arrivingPerSec || 0) * srv.windowSec / srv.cpuSec;
          run.creditPerCpuSec = Math.max(run.perCpuSec || 0, arriving);
          run.creditIsArriving = arriving > (run.perCpuSec || 0);
        }
        // bayeuxd's cluster metrics, summed over the nodes, read before and after the run (nodes serve
        // both transports in turn): what this run added, warm-up and drain included.
        const sums = (file) => {
          const metrics = {};
          for (const line of readText(file).split('\n')) {
            const m = line.match(/^(bayeux_cluster_[a-z_]+) ([0-9.eE+-]+)$/);
            if (m) metrics[m[1]] = (metrics[m[1]] || 0) + Number(m[2]);
          }
          return metrics;
        };
        const before = sums(`${label}.metrics-before.txt`);
        run.metrics = {};
        for (const [name, value] of Object.entries(sums(`${label}.metrics.txt`))) run.metrics[name] = value - (before[name] || 0);
        run.lastErrors = readText(`${label}.loadgen.out`).split('\n').filter((l) => /^\s+last /.test(l)).map((l) => l.trim());
        run.logProblems = [];
        for (let i = 0; i < nodes; i++) {
          run.logProblems.push(...readText(`${label}.node${i}.log`).split('\n')
            .filter((l) => /\b(WARN|WARNING|ERROR|SEVERE)\b|Exception|LEAK|Error:/.test(l))
            // Lettuce's start-up notice that it chose epoll over io_uring: not a problem.
            .filter((l) => !/Both epoll and io_uring native transports are available/.test(l)).map((l) => `node ${i}: ${l}`));
        }
        runs[label] = run;
      }
    }
  }
}
const get = (system, nodes, scn, transport) => runs[key(system, nodes, scn, transport)];

// ---- formatting ----------------------------------------------------------------------------

function ms(v) {
  if (v === undefined || v === null || !Number.isFinite(v)) return 'n/a';
  return v >= 100 ? num(v, 0) : v >= 10 ? num(v, 1) : num(v, 2);
}
function x(v) {
  if (v === undefined || v === null || !Number.isFinite(v)) return 'n/a';
  return num(v, v >= 10 ? 1 : 2) + 'x';
}
function pct(lost, expected) {
  return expected > 0 && lost > 0 ? ` (${num(100 * lost / expected, lost > 0 && 100 * lost / expected < 0.1 ? 3 : 1)} %)` : '';
}

// ---- tables --------------------------------------------------------------------------------

function resultTable(scn, transport) {
  const rows = [];
  for (const system of SYSTEMS) {
    for (const nodes of NODE_COUNTS) {
      const r = get(system, nodes, scn, transport);
      if (!r) continue;
      const g = r.gen || {};
      const s = r.srv || {};
      const cross = r.metrics.bayeux_cluster_deliveries_total;
      rows.push([
        NAMES[system], String(nodes),
        num(g.deliveredPerSec), num(r.arrivingPerSec),
        g.expected !== undefined ? `${num(g.lost)} of ${num(g.expected)}${pct(g.lost, g.expected)}` : 'n/a',
        num(g.errors),
        ms(g.p50Ms), ms(g.p99Ms), ms(g.p999Ms), ms(g.maxMs),
        num(s.brokersCpuSec !== undefined ? s.brokersCpuSec / s.windowSec : undefined, 2),
        system === 'bayeuxd-memory' || system === 'relay' ? '-' : num(s.redisCpuSec !== undefined ? s.redisCpuSec / s.windowSec : undefined, 2),
        num(r.perCpuSec), num(r.cpuUsPerDelivery, 2),
        num(g.loadgenCpuCores, 2), num(r.otherCores, 2),
        system === 'faye' ? '-' : num(cross),
      ]);
    }
  }
  return table(['system', 'nodes', 'delivered/s', 'arriving/s', 'lost', 'errors', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms',
    'nodes CPU (cores)', 'Redis CPU (cores)', 'deliveries per CPU-s', 'CPU µs per delivery', 'generator CPU (cores)',
    'other processes (cores)', 'cross-node deliveries'], rows);
}

// ---- goals ---------------------------------------------------------------------------------

// What other processes took during the runs of a comparison, when it is enough to matter.
function contention(...rs) {
  const busy = rs.filter((r) => r && r.otherCores >= CONTENDED_CORES);
  return busy.length === 0 ? '' : '; contended: other processes took ' +
    busy.map((r) => `${num(r.otherCores, 2)} cores in the ${r.system === 'faye' ? 'Faye ' : ''}${r.nodes}-node run`).join(', ');
}

const goals = [];
const informative = [];
for (const scn of GOAL_SCENARIOS) {
  for (const transport of TRANSPORTS) {
    const one = get('bayeuxd', 1, scn, transport);
    if (!one) continue;
    for (const nodes of [2, 3]) {
      const many = get('bayeuxd', nodes, scn, transport);
      if (!many) continue;
      const name = `${scn} ${transport}: CPU per delivery at ${nodes} nodes at most ${MAX_CROSS_NODE_CPU_RATIO}x 1 node`;
      if (!one.cpuUsPerDelivery || !many.cpuUsPerDelivery) {
        goals.push([name, 'no deliveries to divide by', '**not measured**']);
        continue;
      }
      const ratio = many.cpuUsPerDelivery / one.cpuUsPerDelivery;
      const lost = (many.gen.lost || 0) + (one.gen.lost || 0);
      const measured = `${num(many.cpuUsPerDelivery, 2)} vs ${num(one.cpuUsPerDelivery, 2)} µs: ${x(ratio)}` +
        (lost > 0 ? `; lost ${num(many.gen.lost)} at ${nodes} nodes, ${num(one.gen.lost)} at 1` : '') + contention(one, many);
      const met = ratio <= MAX_CROSS_NODE_CPU_RATIO && lost === 0;
      goals.push([name, measured, met ? '**met**' : `**not met**${lost > 0 && ratio <= MAX_CROSS_NODE_CPU_RATIO ? ' (loss)' : ''}`]);
    }
  }
}
for (const scn of Object.keys(SCENARIOS)) {
  const into = SCENARIOS[scn].informative ? informative : goals;
  for (const transport of TRANSPORTS) {
    for (const nodes of NODE_COUNTS) {
      const ours = get('bayeuxd', nodes, scn, transport);
      const theirs = get('faye', nodes, scn, transport);
      if (!ours || !theirs) continue;
      const name = `${scn} ${transport}, ${nodes} node${nodes > 1 ? 's' : ''}: deliveries per CPU-s at least ${MIN_FAYE_RATIO}x Faye + faye-redis`;
      if (!ours.perCpuSec || !theirs.creditPerCpuSec) {
        into.push([name, `${num(ours.perCpuSec)} vs ${num(theirs.creditPerCpuSec)}`, theirs.creditPerCpuSec === 0 && ours.perCpuSec > 0 ? '**met** (Faye delivered nothing)' : '**not measured**']);
        continue;
      }
      const ratio = ours.perCpuSec / theirs.creditPerCpuSec;
      into.push([name,
        `${num(ours.perCpuSec)} vs ${num(theirs.creditPerCpuSec)}${theirs.creditIsArriving ? ' (theirs: arriving/s per CPU-s, higher than their delivered)' : ''}: ${x(ratio)}` +
          `; lost ${num(ours.gen.lost)} vs ${num(theirs.gen.lost)} of ${num(theirs.gen.expected)}${pct(theirs.gen.lost, theirs.gen.expected)}` +
          contention(ours, theirs),
        ratio >= MIN_FAYE_RATIO ? '**met**' : '**not met**']);
    }
  }
}

// ---- findings ------------------------------------------------------------------------------

const findings = [];
const saturated = Object.values(runs).filter((r) => r.gen && r.gen.loadgenCpuCores >= GENERATOR_SATURATED_CORES);
if (saturated.length > 0) {
  findings.push('**The load generator was at or above ' + GENERATOR_SATURATED_CORES + ' of its one core** in: ' +
    saturated.map((r) => `${key(r.system, r.nodes, r.scn, r.transport)} (${num(r.gen.loadgenCpuCores, 2)})`).join(', ') +
    '. There delivered/s is a floor, and latency includes the generator\'s own queueing.');
}
const quiet = readText('settings.txt').match(/CL_QUIET_CORES=([0-9.]+)/);
const unquiet = Object.values(runs).filter((r) => quiet && r.srv && r.srv.busyCoresBefore > Number(quiet[1]));
if (unquiet.length > 0) {
  findings.push(`**The machine never became quiet** (at most ${quiet[1]} busy cores over a second) within the wait before: ` +
    unquiet.map((r) => `${key(r.system, r.nodes, r.scn, r.transport)} (${num(r.srv.busyCoresBefore, 2)})`).join(', ') + '.');
}
const contended = Object.values(runs).filter((r) => r.otherCores >= CONTENDED_CORES);
if (contended.length > 0) {
  findings.push('**Other processes used the machine** (' + CONTENDED_CORES + ' cores or more beside the nodes, Redis and the generator) during: ' +
    contended.map((r) => `${key(r.system, r.nodes, r.scn, r.transport)} (${num(r.otherCores, 2)})`).join(', ') +
    '. Those runs had less CPU than the others; their latencies suffer first.');
}
for (const r of Object.values(runs)) {
  const label = key(r.system, r.nodes, r.scn, r.transport);
  if (!r.gen) { findings.push(`${label}: no result from the load generator.`); continue; }
  if (!r.srv) findings.push(`${label}: the measurement window was never reached, so no CPU was read.`);
  if (r.srv && r.srv.processGone) findings.push(`${label}: a node or Redis exited during the window.`);
  if (r.gen.subscribed < r.gen.clients) findings.push(`${label}: only ${num(r.gen.subscribed)} of ${num(r.gen.clients)} clients subscribed.`);
  if (r.gen.lost > 0) {
    findings.push(`${label}: lost ${num(r.gen.lost)} of ${num(r.gen.expected)} deliveries${pct(r.gen.lost, r.gen.expected)}` +
      (r.arrivingPerSec > 0 ? `, while ${num(r.arrivingPerSec)} deliveries/s arrived: it fell behind, and what it owed had not arrived by the end of the drain.` : '.'));
  }
  if (r.gen.errors > 0) findings.push(`${label}: ${num(r.gen.errors)} errors. ${r.lastErrors.map((e) => '`' + e + '`').join(', ')}`);
  if (r.metrics.bayeux_cluster_publications_undelivered_total > 0) {
    findings.push(`${label}: ${num(r.metrics.bayeux_cluster_publications_undelivered_total)} publications did not reach Redis (bayeux_cluster_publications_undelivered_total).`);
  }
  if (r.logProblems.length > 0) {
    findings.push(`${label}: the nodes logged ${r.logProblems.length} warning or error lines; first: \`${r.logProblems[0].slice(0, 200)}\``);
  }
}
const skipped = readText('skipped.txt').split('\n').filter(Boolean);
if (skipped.length > 0) findings.push(`Skipped for time (CL_MAX_SECONDS): ${skipped.join(', ')}.`);

// ---- document ------------------------------------------------------------------------------

// The relay writes every delivery and does nothing else: how far below it Faye + faye-redis is bounds what
// any broker could reach against Faye on this machine.
for (const scn of Object.keys(SCENARIOS)) {
  const relay = get('relay', 1, scn, 'websocket');
  const theirs = get('faye', 1, scn, 'websocket');
  const ours = get('bayeuxd', 1, scn, 'websocket');
  if (!relay || !relay.perCpuSec) continue;
  if (theirs && theirs.creditPerCpuSec) {
    const ratio = relay.perCpuSec / theirs.creditPerCpuSec;
    informative.push([`${scn} websocket, 1 node: the relay's deliveries per CPU-s against Faye + faye-redis`,
      `${num(relay.perCpuSec)} vs ${num(theirs.creditPerCpuSec)}: ${x(ratio)}`,
      (ratio >= MIN_FAYE_RATIO ? `at least ${MIN_FAYE_RATIO}x` : `under ${MIN_FAYE_RATIO}x even with no broker work`) + contention(relay, theirs)]);
  }
  if (ours && ours.perCpuSec) {
    informative.push([`${scn} websocket, 1 node: bayeuxd (Redis engine) against the relay`,
      `${num(ours.perCpuSec)} vs ${num(relay.perCpuSec)}: ${x(ours.perCpuSec / relay.perCpuSec)}`, 'of the ceiling']);
  }
}

const settings = readText('settings.txt').trim();
const machine = readText('machine.txt').trim();
const out = [];
out.push('# Cross-node benchmark: bayeuxd on Redis against Faye + faye-redis');
out.push('');
out.push('Generated by `bench/cluster.sh` (this file is its output; do not edit by hand). Part of issue 9; the');
out.push('single-node comparison with CometD, Faye and a relay is in [benchmarks](benchmarks.md), and how the nodes');
out.push('share publications is in [scaling](scaling.md).');
out.push('');
out.push('Scenarios S1 and S3 of the load generator (`broker-bench`), and S3L (S3 at a quarter of the rate), across 1, 2 and 3 nodes on one Redis on this');
out.push('machine, over loopback. Each scenario and node count gets a fresh `redis-server` on a free port and its');
out.push('own nodes; bayeuxd\'s serve the WebSocket run and then the long-polling run (a JVM takes seconds to start');
out.push('on this busy machine), Faye gets fresh processes and a fresh Redis for every run (a Faye run may leave a');
out.push('backlog behind). The generator\'s subscribers are spread over the nodes (`--url` given once per node: round-robin');
out.push('within every channel, so with *n* nodes (n-1)/n of all deliveries cross nodes); every publisher is on the');
out.push('first node. Sessions stay on the node they handshook with; there is no balancer.');
out.push('');
out.push('- **bayeuxd**: `bayeuxd.jar --engine redis --redis-url redis://127.0.0.1:PORT`, one JVM per node with its defaults.');
out.push('- **Faye + faye-redis**: Faye 1.4.3\'s NodeAdapter with the faye-redis 0.2.0 engine (and the callback-style');
out.push('  `redis` 2.8.0 client it was written for), one Node process per node (`bench/servers/faye-redis`).');
out.push('  Faye keeps sessions, subscriptions and each client\'s message queue in Redis.');
out.push('- **bayeuxd (in-memory engine)**: one node without Redis, for reference: what the Redis engine costs one node.');
out.push('- **relay**: the load generator\'s relay (`io.bayeuxd.bench.relay.RelayServer`, one event loop): canned meta');
out.push('  replies, each publication forwarded verbatim to the subscribers of its channel, no sessions, no queues, no');
out.push('  Redis. One node over WebSocket in S3 and S3L: the cost of writing the deliveries alone, the ceiling here.');
out.push('');
out.push('Figures come from one run of the script, every system side by side on the same machine within minutes.');
out.push('**The machine is small and may be shared**: 2 cores, which the nodes, Redis and the generator share, and');
out.push('whatever else ran at the time (the "other processes" column; each run first waits a few seconds for a quiet one). The');
out.push('runs are short (see the settings), so numbers move by tens of percent between runs: read ratios, not');
out.push('absolutes, and only ratios measured in the same run.');
out.push('');
out.push('## How it was run');
out.push('');
out.push('```');
out.push('bench/cluster.sh');
out.push('```');
out.push('');
out.push('Settings (the defaults):');
out.push('');
out.push('```');
out.push(settings || 'n/a');
out.push('```');
out.push('');
out.push('Machine:');
out.push('');
out.push('```');
out.push(machine || 'n/a');
out.push('```');
out.push('');
out.push('**deliveries per CPU-s**: deliveries of the messages published in the measured window (those that');
out.push('arrived by the end of the drain), divided by the CPU seconds (user + system, from `/proc/PID/stat`) that');
out.push('every node process **and** the `redis-server` process used during the measured window, summed.');
out.push('**CPU µs per delivery** is its inverse. **arriving/s**: every delivery that arrived during the window,');
out.push('whenever its message was published (the generator\'s per-second progress lines): a system that fell');
out.push('behind still delivers at its own pace. Where that is higher, Faye is credited with it in the goals.');
out.push('**cross-node deliveries**: what `bayeux_cluster_deliveries_total`, summed over the nodes, grew by in the run');
out.push('(warm-up and drain included): copies of other nodes\' publications the nodes queued for their sessions.');
out.push('Loss: deliveries owed for the window\'s messages that had not arrived by the end of the drain.');
out.push('');
out.push('## Goals');
out.push('');
out.push(goals.length > 0 ? table(['goal', 'measured', 'verdict'], goals) : 'No goal could be evaluated: runs are missing.');
out.push('');
out.push('The first goal compares bayeuxd with itself on Redis (1 node, where the node still sends one `EVAL` per');
out.push('publication to Redis, against 2 and 3 nodes) and counts as met only without loss; the second compares it');
out.push('with Faye + faye-redis at the same node count, scenario and transport.');
out.push('');
if (informative.length > 0) {
  out.push('Outside the goals: the same comparison at a quarter of S3\'s rate (S3L), which Faye + faye-redis keeps up');
  out.push('with over WebSocket, so that its writes, like bayeuxd\'s, mostly carry one delivery each; and the relay,');
  out.push('which writes each delivery and does nothing else, against both.');
  out.push('');
  out.push(table(['comparison', 'measured', 'verdict'], informative));
  out.push('');
}
out.push('## Findings');
out.push('');
out.push(findings.length > 0 ? findings.map((f) => '- ' + f).join('\n') : '- Nothing unusual: no loss, no errors, no saturation.');
out.push('');
out.push('## Results');
for (const scn of Object.keys(SCENARIOS)) {
  for (const transport of TRANSPORTS) {
    if (!SYSTEMS.some((s) => NODE_COUNTS.some((n) => get(s, n, scn, transport)))) continue;
    out.push('');
    out.push(`### ${SCENARIOS[scn].title}, ${transport}`);
    out.push('');
    out.push(SCENARIOS[scn].what);
    out.push('');
    out.push(resultTable(scn, transport));
  }
}
out.push('');
fs.writeFileSync(docPath, out.join('\n'));
process.stdout.write(`wrote ${docPath}\n`);
