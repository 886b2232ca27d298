'use strict';
// Writes docs/benchmarks.md from the raw results of bench/side-by-side.sh, which calls it:
//
//   node bench/side-by-side-report.js <results dir> <markdown file>
//
// Reads <server>-<scenario>.json (the load generator's JSON line), <server>-<scenario>.server.json
// (server CPU and memory read by the script), machine.txt and settings.txt. Every number in the
// report comes from those files; the verdicts on the targets are computed here, not written by hand.

const fs = require('fs');
const path = require('path');
const { GENERATOR_SATURATED_CORES, CONTENDED_CORES, args, resultsIn, arrivingPerSec, num, table } = require('./report-common');

const { dir, docPath } = args('side-by-side-report.js');
const { json: readJson, text: readText } = resultsIn(dir);

const SERVERS = ['bayeuxd', 'cometd', 'faye', 'relay'];
const NAMES = { bayeuxd: 'bayeuxd', cometd: 'CometD', faye: 'Faye', relay: 'relay (ceiling)' };
const SCENARIOS = {
  S1: { title: 'S1 fan-out', what: '1,000 WebSocket clients on one channel, 1 publisher at 200 msg/s, 100-byte payload: 200,000 deliveries/s offered.' },
  S2: { title: 'S2 fan-out at the limit', what: 'S1 with `--rate 0`: the publisher sends as fast as the load generator\'s in-flight window allows (`--window` publishes not yet acknowledged or not yet delivered to every subscriber).' },
  S3: { title: 'S3 chat rooms', what: '2,000 WebSocket clients over 200 channels (10 per channel), 200 publishers, 2,000 msg/s in total, 200-byte payload: 20,000 deliveries/s offered.' },
  S4: { title: 'S4 long-polling', what: '500 long-polling clients over 50 channels (10 per channel), 50 publishers, 500 msg/s in total, 100-byte payload: 5,000 deliveries/s offered. The relay speaks WebSocket only and sits this one out.' },
  S5: { title: 'S5 idle memory', what: 'Idle WebSocket clients connect (1,000 handshakes/s), subscribe over 100 channels, and hold their `/meta/connect` with nothing published (`--publishers 0 --hold`).' },
};
const runs = {};
for (const server of SERVERS) {
  for (const scn of Object.keys(SCENARIOS)) {
    const gen = readJson(`${server}-${scn}.json`);
    const srv = readJson(`${server}-${scn}.server.json`);
    if (!gen && !srv) continue;
    const run = { server, scn, gen, srv };
    if (gen && srv && srv.serverCpuSec > 0) run.perCpuSec = gen.delivered / srv.serverCpuSec;
    // What else used the machine in the window: everything busy minus the server and the generator.
    if (srv && srv.machineCores !== undefined) {
      run.otherCores = Math.max(0, srv.machineCores - srv.serverCores - (gen && gen.loadgenCpuCores > 0 ? gen.loadgenCpuCores : 0));
    }
    // The generator's own report lists the last error of each kind: keep them for the findings.
    run.lastErrors = readText(`${server}-${scn}.loadgen.out`).split('\n')
      .filter((l) => /^\s+last /.test(l)).map((l) => l.trim());
    // A server that fell behind before the window still delivers at its own pace; this shows that pace
    // when none of the window's messages arrived in time.
    const arriving = arrivingPerSec(readText(`${server}-${scn}.loadgen.err`));
    if (arriving !== undefined) run.arrivingPerSec = arriving;
    // Warnings and errors the server logged: a broker that is quietly unhappy shows here.
    run.logProblems = readText(`${server}-${scn}.server.log`).split('\n')
      .filter((l) => /\b(WARN|WARNING|ERROR|SEVERE)\b|Exception|LEAK/.test(l));
    runs[`${server}-${scn}`] = run;
  }
}
const get = (server, scn) => runs[`${server}-${scn}`];

// ---- formatting ----------------------------------------------------------------------------

function ms(v) {
  // The generator writes -1 for a percentile of no samples.
  if (v === undefined || v === null || !Number.isFinite(v) || v < 0) return 'n/a';
  return v >= 100 ? num(v, 0) : v >= 10 ? num(v, 1) : num(v, 2);
}
function mb(kb) {
  return kb === undefined || kb === null || kb < 0 ? 'n/a' : num(kb / 1024, 0);
}
function ratio(a, b) {
  if (Number.isFinite(a) && a > 0 && b === 0) return 'n/a (0 below)';
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return 'n/a';
  return num(a / b, a / b >= 10 ? 1 : 2) + 'x';
}
// ---- per-scenario tables -------------------------------------------------------------------

function loadTable(scn) {
  const rows = [];
  for (const server of SERVERS) {
    const r = get(server, scn);
    if (!r) continue;
    const g = r.gen || {};
    const s = r.srv || {};
    rows.push([
      NAMES[server],
      num(g.deliveredPerSec),
      num(r.arrivingPerSec),
      g.expected !== undefined ? `${num(g.lost)} of ${num(g.expected)}` : 'n/a',
      num(g.errors),
      ms(g.p50Ms), ms(g.p99Ms), ms(g.p999Ms), ms(g.maxMs),
      num(s.serverCores, 2),
      num(r.perCpuSec),
      num(g.loadgenCpuCores, 2),
      num(r.otherCores, 2),
      mb(s.rssEndKb),
    ]);
  }
  return table(['server', 'delivered/s', 'arriving/s', 'lost', 'errors', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms',
    'server CPU (cores)', 'deliveries per server-CPU-s', 'generator CPU (cores)', 'other processes (cores)', 'server RSS (MB)'], rows);
}

function ratioTable(scn) {
  const pairs = [['bayeuxd', 'cometd'], ['bayeuxd', 'faye'], ['bayeuxd', 'relay'], ['cometd', 'relay'], ['faye', 'relay']];
  const rows = [];
  for (const [a, b] of pairs) {
    const ra = get(a, scn);
    const rb = get(b, scn);
    if (!ra || !rb || !ra.gen || !rb.gen) continue;
    rows.push([`${NAMES[a]} / ${NAMES[b]}`,
      ratio(ra.gen.deliveredPerSec, rb.gen.deliveredPerSec),
      ratio(ra.perCpuSec, rb.perCpuSec),
      ratio(ra.gen.p99Ms, rb.gen.p99Ms)]);
  }
  if (rows.length === 0) return '';
  return table(['ratio', 'delivered/s', 'deliveries per server-CPU-s', 'p99 (lower is better)'], rows);
}

function idle(r) {
  if (!r || !r.srv) return null;
  const clients = r.gen ? r.gen.subscribed : undefined;
  const s = r.srv;
  const out = { clients, rssBefore: s.rssBeforeKb, rssWith: s.rssWithKb, heapBefore: s.heapBeforeKb, heapWith: s.heapWithKb, cores: s.serverCores };
  if (clients > 0 && s.rssWithKb > 0 && s.rssBeforeKb > 0) out.kbPerClient = (s.rssWithKb - s.rssBeforeKb) / clients;
  if (clients > 0 && s.heapWithKb > 0 && s.heapBeforeKb > 0) out.heapKbPerClient = (s.heapWithKb - s.heapBeforeKb) / clients;
  return out;
}

/** The largest classes on each JVM server's heap with the idle clients connected (jcmd GC.class_histogram). */
function heapHistograms() {
  const out = [];
  for (const server of SERVERS) {
    const r = get(server, 'S5');
    const text = readText(`${server}-S5.histogram.txt`);
    if (!r || !r.gen || !text) continue;
    const clients = r.gen.subscribed;
    const rows = text.split('\n')
      .map((l) => l.match(/^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)/))
      .filter((m) => m)
      .slice(0, 6)
      .map((m) => ['`' + m[3] + '`', num(Number(m[1])), num(Number(m[2]) / 1024 / 1024, 1), clients > 0 ? num(Number(m[2]) / clients, 0) : 'n/a']);
    if (rows.length === 0) continue;
    out.push(`${NAMES[server]}, ${num(clients)} idle clients:`);
    out.push('');
    out.push(table(['class', 'instances', 'MB', 'bytes per client'], rows));
    out.push('');
  }
  return out.join('\n');
}

function idleTable() {
  const rows = [];
  for (const server of SERVERS) {
    const r = get(server, 'S5');
    const i = idle(r);
    if (!i) continue;
    rows.push([NAMES[server], num(i.clients), mb(i.rssBefore), mb(i.rssWith), num(i.kbPerClient, 1),
      mb(i.heapBefore), mb(i.heapWith), num(i.heapKbPerClient, 1), num(i.cores, 2), num(r.otherCores, 2), r.gen ? num(r.gen.errors) : 'n/a']);
  }
  return table(['server', 'clients held', 'RSS before (MB)', 'RSS with clients (MB)', 'KB RSS per client',
    'heap before (MB)', 'heap with clients (MB)', 'KB heap per client', 'idle CPU (cores)', 'other processes (cores)', 'errors'], rows);
}


// ---- S6: as many clients as the machine allows ------------------------------------------------

const S6_BEGIN = '<!-- S6 begin: written by bench/side-by-side-report.js -->';
const S6_END = '<!-- S6 end -->';
const S6_KB_PER_CLIENT = 6;
const S6_P99_MS = 250;

const s6runs = {};
for (const server of SERVERS) {
  const gen = readJson(`${server}-S6.json`);
  const srv = readJson(`${server}-S6.server.json`);
  if (!gen && !srv) continue;
  const run = { server, scn: 'S6', gen, srv };
  if (srv && gen && gen.subscribed > 0 && srv.rssWithKb > 0 && srv.rssBeforeKb > 0) run.kbPerClient = (srv.rssWithKb - srv.rssBeforeKb) / gen.subscribed;
  if (srv && gen && gen.subscribed > 0 && srv.heapWithKb > 0 && srv.heapBeforeKb > 0) run.heapKbPerClient = (srv.heapWithKb - srv.heapBeforeKb) / gen.subscribed;
  if (srv && srv.machineCores !== undefined) run.otherCores = Math.max(0, srv.machineCores - srv.serverCores - (gen && gen.loadgenIdleCores > 0 ? gen.loadgenIdleCores : 0));
  run.logProblems = readText(`${server}-S6.server.log`).split('\n').filter((l) => /\b(WARN|WARNING|ERROR|SEVERE)\b|Exception|LEAK/.test(l));
  run.stormLines = readText(`${server}-S6.loadgen.err`).split('\n').filter((l) => l.startsWith('[storm  ] t='));
  s6runs[server] = run;
}

function completeness(g, rate) {
  const e = g[`b${rate}_expected`];
  const d = g[`b${rate}_delivered`];
  if (e === undefined) return 'n/a';
  return `${num(d)} of ${num(e)}` + (e > 0 ? ` (${num(100 * d / e, 2)} %)` : '');
}

/** A horizontal bar chart, one bar per server, as an SVG file beside the report; returns its Markdown. */
function barChart(file, title, unit, values, limit) {
  const rows = values.filter((v) => Number.isFinite(v.value));
  if (rows.length === 0) return '';
  const max = Math.max(...rows.map((v) => v.value), limit || 0) * 1.1;
  const w = 640, left = 130, bar = 26, gap = 10, top = 34;
  const h = top + rows.length * (bar + gap) + 20;
  const x = (v) => left + (w - left - 80) * v / max;
  const esc = (t) => String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="13">`,
    `<rect width="${w}" height="${h}" fill="white"/>`, `<text x="10" y="20" font-weight="bold">${esc(title)}</text>`];
  rows.forEach((v, i) => {
    const y = top + i * (bar + gap);
    parts.push(`<text x="10" y="${y + bar * 0.7}">${esc(v.label)}</text>`);
    parts.push(`<rect x="${left}" y="${y}" width="${Math.max(1, x(v.value) - left)}" height="${bar}" fill="${v.label === 'bayeuxd' ? '#2b6cb0' : '#a0aec0'}"/>`);
    parts.push(`<text x="${x(v.value) + 5}" y="${y + bar * 0.7}">${esc(num(v.value, v.value < 100 ? 1 : 0))} ${esc(unit)}</text>`);
  });
  if (limit) {
    parts.push(`<line x1="${x(limit)}" y1="${top - 6}" x2="${x(limit)}" y2="${h - 10}" stroke="#c53030" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${x(limit) + 3}" y="${h - 4}" fill="#c53030" font-size="11">target ${esc(num(limit))} ${esc(unit)}</text>`);
  }
  parts.push('</svg>');
  const out = path.join(path.dirname(docPath), 'img', file);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, parts.join('\n') + '\n');
  return `![${title}](img/${file})`;
}

function s6Section() {
  const servers = SERVERS.filter((s) => s6runs[s]);
  if (servers.length === 0) return '';
  const settings6 = (settings.match(/SBS_S6_[A-Z_]+=[^ \n]*/g) || []).join(' ');
  const out = [S6_BEGIN, '', '## S6 at the machine\'s limits', ''];
  const anyGen = (s6runs.bayeuxd || s6runs[servers[0]]).gen || {};
  out.push(`As many WebSocket clients as the open-file limit allows (${num((settings.match(/SBS_S6_CLIENTS=([0-9]+)/) || [])[1] * 1)} asked of each server unless set per server), ` +
    `each subscribed to one of ${num(anyGen.rooms || 1000)} room channels and to one broadcast channel; the clients ramp at 1,000 handshakes/s. ` +
    'Then: an idle hold, in which the script reads RSS, heap and idle CPU as in S5 (RSS after the settle time below, not 5 s); one publisher on the ' +
    `broadcast channel at 1 message/s, then 5/s, ${num(anyGen.phaseSec)} s each (100-byte payload; latency publish to delivery, every delivery owed counted); ` +
    'then a reconnect storm: every client drops its socket at once, without `/meta/disconnect`, and reconnects (new connection, handshake, both ' +
    'subscriptions) at a random moment within 5 s, following `advice`; the storm ends when every client is subscribed again (at most 90 s). ' +
    'Meanwhile the generator fetches a probe URL every 100 ms on a new connection (bayeuxd: `/healthz` on its management port; CometD and Faye, ' +
    'which have none: a GET of the Bayeux URL, any answer counting) and samples the server\'s RSS. The broker runs with its default command line ' +
    '(plus `--management-port`), the JVMs with no flags.');
  out.push('');
  out.push('```sh');
  out.push(`SBS_SCENARIOS=S6 ${settings6.replace(/SBS_S6_(PHASE|HOLD|SETTLE|CLIENTS)=(18500|60|45|20)( |$)/g, '').trim()} bench/side-by-side.sh`.replace(/  +/g, ' '));
  out.push('```');
  out.push('');
  const when = (machine.match(/^date: (.*)$/m) || [])[1] || 'n/a';
  const commit = (machine.match(/^commit: (.*)$/m) || [])[1] || 'n/a';
  out.push(`Run on ${when} at commit ${commit}, on the machine above unless the run says otherwise. Settings of this run: ` +
    `\`SBS_SERVERS="${(settings.match(/SBS_SERVERS="([^"]*)"/) || [])[1]}" ${settings6}\`.`);
  out.push('');
  // Targets.
  const o = s6runs.bayeuxd;
  const rows = [];
  if (o && o.gen) {
    rows.push([`S6 at most ${S6_KB_PER_CLIENT} KB RSS per idle client`, o.kbPerClient !== undefined ? `${num(o.kbPerClient, 1)} KB (${num(o.gen.subscribed)} clients)` : 'n/a',
      verdict(o.kbPerClient !== undefined ? o.kbPerClient <= S6_KB_PER_CLIENT : undefined)]);
    const p99 = o.gen.b5_p99Ms;
    rows.push([`S6 broadcast p99 below ${S6_P99_MS} ms at 5/s`, Number.isFinite(p99) && p99 >= 0 ? `${ms(p99)} ms (${completeness(o.gen, 5)} delivered)` : 'n/a',
      verdict(Number.isFinite(p99) && p99 >= 0 ? p99 < S6_P99_MS && o.gen.b5_delivered === o.gen.b5_expected : undefined)]);
  }
  if (rows.length) {
    out.push(table(['target (bayeuxd)', 'measured', 'verdict'], rows));
    out.push('');
  }
  const idleRows = [];
  const bcastRows = [];
  const stormRows = [];
  for (const server of servers) {
    const r = s6runs[server];
    const g = r.gen || {};
    const s = r.srv || {};
    idleRows.push([NAMES[server], `${num(g.subscribed)} of ${num(g.clients)}`, mb(s.rssBeforeKb), mb(s.rssWithKb), num(r.kbPerClient, 1),
      mb(s.heapBeforeKb), mb(s.heapWithKb), num(r.heapKbPerClient, 1), num(s.serverCores, 3), num(r.otherCores, 2)]);
    bcastRows.push([NAMES[server], completeness(g, 1), ms(g.b1_p50Ms), ms(g.b1_p99Ms), ms(g.b1_maxMs),
      completeness(g, 5), ms(g.b5_p50Ms), ms(g.b5_p99Ms), ms(g.b5_maxMs)]);
    const full = g.stormFullMs >= 0 ? num(g.stormFullMs / 1000, 1) + ' s' : `not all: ${num(g.stormResubscribed)} of ${num(g.stormClients)} after 90 s`;
    stormRows.push([NAMES[server], g.stormClients !== undefined ? `${num(g.stormResubscribed)} of ${num(g.stormClients)}` : 'n/a', g.stormClients !== undefined ? full : 'n/a',
      num(g.stormErrors), mb(g.stormPeakRssKb), mb(s.rssPeakKb),
      server === 'relay' ? 'none' : `${num(g.probes)} / ${num(g.probeFailures)}`, server === 'relay' ? 'n/a' : ms(g.probeWorstMs),
      s.aliveAtEnd === 0 ? 'no' : s.aliveAtEnd === 1 ? 'yes' : 'n/a']);
  }
  out.push(`**Idle** (RSS ${num((servers.map((x) => s6runs[x].srv).find((x) => x) || {}).settleSec)} s into the hold; heap after a full GC; idle CPU over the next 10 s):`);
  out.push('');
  out.push(table(['server', 'clients held', 'RSS before (MB)', 'RSS with clients (MB)', 'KB RSS per client', 'heap before (MB)',
    'heap with clients (MB)', 'KB heap per client', 'idle CPU (cores)', 'other processes (cores)'], idleRows));
  out.push('');
  out.push(barChart('s6-rss-per-client.svg', 'S6: KB of RSS per idle client', 'KB', servers.map((x) => ({ label: NAMES[x], value: s6runs[x].kbPerClient })), S6_KB_PER_CLIENT));
  out.push('');
  out.push('**Broadcast** to every client (latency publish to delivery; delivered of owed):');
  out.push('');
  out.push(table(['server', '1/s delivered', 'p50 ms', 'p99 ms', 'max ms', '5/s delivered', 'p50 ms', 'p99 ms', 'max ms'], bcastRows));
  out.push('');
  out.push(barChart('s6-broadcast-p99.svg', 'S6: broadcast p99 at 5 messages/s', 'ms', servers.map((x) => ({ label: NAMES[x], value: (s6runs[x].gen || {}).b5_p99Ms })), S6_P99_MS));
  out.push('');
  out.push('**Reconnect storm** (subscribed again: of the clients subscribed when it began; probes: fetched / failed, a failure being no answer within 2 s or a refused connection):');
  out.push('');
  out.push(table(['server', 'subscribed again', 'time to all', 'errors in the storm', 'peak RSS in the storm (MB)', 'peak RSS of the run (MB)',
    'probes / failed', 'worst probe ms', 'server alive at the end'], stormRows));
  const notes = [];
  for (const server of servers) {
    const r = s6runs[server];
    const g = r.gen || {};
    if (!r.gen) notes.push(`- ${NAMES[server]}: no result from the generator (see \`target/side-by-side/${server}-S6.loadgen.err\`).`);
    else if (g.subscribed < g.clients) notes.push(`- ${NAMES[server]}: held ${num(g.subscribed)} of ${num(g.clients)} clients; last errors: \`${g.lastErrors || 'none'}\`.`);
    else if (g.errors > 0) notes.push(`- ${NAMES[server]}: ${num(g.errors)} errors; last: \`${g.lastErrors}\`.`);
    if (g.probeFailures > 0) notes.push(`- ${NAMES[server]}: ${num(g.probeFailures)} probes failed in the storm; last: \`${g.probeLastFailure}\`.`);
    if (r.otherCores >= CONTENDED_CORES) notes.push(`- ${NAMES[server]}: other processes took ${num(r.otherCores, 2)} cores while its idle CPU was read.`);
    if (r.logProblems.length > 0) notes.push(`- ${NAMES[server]} logged ${num(r.logProblems.length)} warnings or errors; the first: \`${r.logProblems[0].slice(0, 200).replace(/`/g, "'")}\`.`);
  }
  if (notes.length) {
    out.push('');
    out.push(...notes);
  }
  const histograms = [];
  for (const server of servers) {
    const text = readText(`${server}-S6.histogram.txt`);
    const g = s6runs[server].gen;
    if (!text || !g || !(g.subscribed > 0)) continue;
    const hrows = text.split('\n').map((l) => l.trim().match(/^\d+:\s+(\d+)\s+(\d+)\s+(\S+)/)).filter((m) => m).slice(0, 6)
      .map((m) => ['`' + m[3] + '`', num(Number(m[1])), num(Number(m[2]) / 1048576, 1), num(Number(m[2]) / g.subscribed)]);
    if (hrows.length) histograms.push(`${NAMES[server]}, ${num(g.subscribed)} idle clients:\n\n` + table(['class', 'instances', 'MB', 'bytes per client'], hrows));
  }
  if (histograms.length) {
    out.push('');
    out.push('The largest classes on each JVM\'s heap in the idle hold (`jcmd <pid> GC.class_histogram`, after the full GC):');
    out.push('');
    out.push(histograms.join('\n\n'));
  }
  out.push('');
  out.push(S6_END);
  return out.join('\n');
}

// ---- targets -------------------------------------------------------------------------------

function verdict(ok) {
  return ok === undefined ? 'not measured' : ok ? '**met**' : '**not met**';
}

/** ", while other processes took N cores" when a run was contended, for the verdicts. */
function contention(...rs) {
  const busy = rs.filter((r) => r && r.otherCores >= CONTENDED_CORES);
  return busy.length === 0 ? '' : '; other processes took ' +
    busy.map((r) => `${num(r.otherCores, 2)} cores during ${NAMES[r.server]}'s run`).join(', ');
}

function targets() {
  const rows = [];
  const o2 = get('bayeuxd', 'S2');
  const c2 = get('cometd', 'S2');
  const f2 = get('faye', 'S2');
  const has = (r) => r && r.gen;
  // The other server is credited with the larger of its delivered/s and its arriving/s, so that one
  // that fell so far behind that none of the window's messages arrived in time is not counted as 0.
  const credit = (r) => Math.max(r.gen.deliveredPerSec, r.arrivingPerSec || 0);
  for (const [other, factor] of [[c2, 2], [f2, 5]]) {
    const label = `S2 delivered/s at least ${factor}x ${other ? NAMES[other.server] : (factor === 2 ? 'CometD' : 'Faye')}`;
    if (has(o2) && has(other)) {
      const theirs = credit(other);
      const x = o2.gen.deliveredPerSec / theirs;
      const how = theirs > other.gen.deliveredPerSec ? ' (theirs: arriving/s, higher than their delivered/s)' : '';
      rows.push([label, `${num(o2.gen.deliveredPerSec)} vs ${num(theirs)}${how}: ${num(x, 2)}x${contention(o2, other)}`, verdict(x >= factor)]);
    } else rows.push([label, 'n/a', verdict(undefined)]);
  }
  if (o2 && c2 && o2.perCpuSec && c2.srv && c2.srv.serverCpuSec > 0) {
    // Credited the same way: what arrived during the window per CPU second, when that is more.
    const arriving = (c2.arrivingPerSec || 0) * c2.srv.windowSec / c2.srv.serverCpuSec;
    const theirs = Math.max(c2.perCpuSec || 0, arriving);
    const how = theirs > (c2.perCpuSec || 0) ? ' (theirs: arriving/s per CPU second)' : '';
    const x = o2.perCpuSec / theirs;
    rows.push(['S2 deliveries per server-CPU-second at least 3x CometD', `${num(o2.perCpuSec)} vs ${num(theirs)}${how}: ${num(x, 2)}x`, verdict(x >= 3)]);
  } else rows.push(['S2 deliveries per server-CPU-second at least 3x CometD', 'n/a', verdict(undefined)]);
  if (has(o2)) {
    rows.push(['S2 without loss', `lost ${num(o2.gen.lost)} of ${num(o2.gen.expected)}, errors ${num(o2.gen.errors)}`, verdict(o2.gen.lost === 0 && o2.gen.errors === 0)]);
  }
  const o1 = get('bayeuxd', 'S1');
  rows.push(['S1 p99 below 100 ms', has(o1) ? `${ms(o1.gen.p99Ms)} ms (lost ${num(o1.gen.lost)}${contention(o1)})` : 'n/a', verdict(has(o1) ? o1.gen.p99Ms < 100 : undefined)]);
  for (const scn of ['S3', 'S4']) {
    const o = get('bayeuxd', scn);
    const c = get('cometd', scn);
    const f = get('faye', scn);
    if (has(o) && has(c) && has(f)) {
      rows.push([`${scn} p99 below CometD's and Faye's`, `${ms(o.gen.p99Ms)} ms vs ${ms(c.gen.p99Ms)} ms (CometD), ${ms(f.gen.p99Ms)} ms (Faye)${contention(o, c, f)}`,
        verdict(o.gen.p99Ms < c.gen.p99Ms && o.gen.p99Ms < f.gen.p99Ms)]);
    } else rows.push([`${scn} p99 below CometD's and Faye's`, 'n/a', verdict(undefined)]);
  }
  const i = idle(get('bayeuxd', 'S5'));
  rows.push(['S5 at most 10 KB RSS per idle client', i && i.kbPerClient !== undefined ? `${num(i.kbPerClient, 1)} KB (${num(i.clients)} clients)` : 'n/a',
    verdict(i && i.kbPerClient !== undefined ? i.kbPerClient <= 10 : undefined)]);
  return table(['target (bayeuxd)', 'measured', 'verdict'], rows);
}

// ---- findings ------------------------------------------------------------------------------

function findings() {
  const out = [];
  const saturated = Object.values(runs).filter((r) => r.gen && r.gen.loadgenCpuCores >= GENERATOR_SATURATED_CORES);
  if (saturated.length > 0) {
    out.push(`- **The load generator was the bottleneck** (at or above ${GENERATOR_SATURATED_CORES} of its one core) in: ` +
      saturated.map((r) => `${NAMES[r.server]} ${r.scn} (${num(r.gen.loadgenCpuCores, 2)} cores)`).join(', ') +
      '. There, delivered/s is a floor for the server, not its limit, and latency includes the generator\'s own queueing.');
  } else {
    out.push(`- The load generator stayed below ${GENERATOR_SATURATED_CORES} cores in every run.`);
  }
  const contended = Object.values(runs).filter((r) => r.otherCores >= CONTENDED_CORES);
  if (contended.length > 0) {
    out.push(`- **Other processes used the machine** (${CONTENDED_CORES} cores or more beside the server and the generator) during: ` +
      contended.map((r) => `${NAMES[r.server]} ${r.scn} (${num(r.otherCores, 2)})`).join(', ') +
      '. The machine is shared; those runs had less CPU than the others, and their numbers are less comparable.');
  } else {
    out.push(`- No other process used more than ${CONTENDED_CORES} cores during any measured window.`);
  }
  for (const r of Object.values(runs)) {
    const g = r.gen;
    if (!g) {
      out.push(`- ${NAMES[r.server]} ${r.scn}: the load generator produced no result (see \`${r.server}-${r.scn}.loadgen.err\`).`);
      continue;
    }
    const problems = [];
    if (!g.completed) problems.push('did not complete');
    if (g.lost > 0) {
      problems.push(`lost ${num(g.lost)} of ${num(g.expected)} deliveries (${num(100 * g.lost / g.expected, 2)} %)` +
        (r.arrivingPerSec > 0 ? `, while ${num(r.arrivingPerSec)} deliveries/s arrived: it fell behind, and what it owed had not arrived by the end of the drain` : ''));
    }
    if (g.extra > 0) problems.push(`${num(g.extra)} extra deliveries`);
    if (g.errors > 0) problems.push(`${num(g.errors)} errors`);
    if (g.deadSessions > 0) problems.push(`${num(g.deadSessions)} sessions gave up`);
    if (g.rehandshakes > 0) problems.push(`${num(g.rehandshakes)} re-handshakes`);
    const wantSubscribed = g.clients;
    if (g.subscribed < wantSubscribed) problems.push(`only ${num(g.subscribed)} of ${num(wantSubscribed)} clients subscribed`);
    if (r.logProblems.length > 0) {
      problems.push(`the server logged ${num(r.logProblems.length)} warning or error lines, the first: ` +
        '`' + r.logProblems[0].slice(0, 200).replace(/`/g, "'") + '`');
    }
    if (problems.length > 0) {
      out.push(`- ${NAMES[r.server]} ${r.scn}: ${problems.join('; ')}.` +
        (r.lastErrors.length > 0 ? ' Last errors: ' + r.lastErrors.map((e) => '`' + e.replace(/`/g, "'") + '`').join(', ') + '.' : ''));
    }
  }
  return out.join('\n');
}

// ---- the document --------------------------------------------------------------------------

const machine = readText('machine.txt').trim();
const settings = readText('settings.txt').trim();
const field = (name) => {
  const m = machine.match(new RegExp('^' + name + ': (.*)$', 'm'));
  return m ? m[1] : 'unknown';
};

const doc = [];
doc.push('# Benchmarks: bayeuxd side by side with CometD and Faye');
doc.push('');
doc.push(`Generated by \`bench/side-by-side.sh\` on ${field('date')}; every number below comes from that run. ` +
  'Do not edit by hand: run the script again.');
doc.push('');
doc.push('Several bayeuxd nodes on one Redis, against Faye with faye-redis, are measured by `bench/cluster.sh`: ' +
  'see [benchmarks-cluster.md](benchmarks-cluster.md).');
doc.push('');
doc.push('WebSocket compression (`permessage-deflate`: bytes on the wire per delivery, deliveries per server CPU-second, ' +
  'compressed once per publication or per connection) is measured by `bench/compression.sh` and `CompressionWireBytesTest`: ' +
  'see [benchmarks-compression.md](benchmarks-compression.md).');
doc.push('');
doc.push('## The command');
doc.push('');
doc.push('```sh');
doc.push('bench/side-by-side.sh');
doc.push('```');
doc.push('');
doc.push('It builds what it needs (`mvn package -DskipTests` for bayeuxd, the load generator, the relay and the CometD server; ' +
  '`npm ci` for Faye), then, for each server in turn, runs each scenario against a fresh server process on a free loopback port, ' +
  'and writes this file. Raw results (JSON lines, HdrHistogram files, latency plots, server logs) go to `target/side-by-side/`. ' +
  'The settings of this run (environment variables, see the script\'s header):');
doc.push('');
doc.push('```');
doc.push(settings);
doc.push('```');
doc.push('');
doc.push('## Machine');
doc.push('');
doc.push('```');
doc.push(machine);
doc.push('```');
doc.push('');
const nices = (Object.values(runs).find((r) => r.srv) || { srv: {} }).srv;
doc.push(`Server and load generator share these cores. The generator runs at niceness ${nices.loadgenNice} and the server at ` +
  `${nices.serverNice}, so that when both want the CPU the generator wins and the server's limit, not the generator's, is what shows. ` +
  'The generator uses one I/O thread. The machine is shared with other work, which the script does not control; the ' +
  '"other processes" columns show how much of it that work took during each measured window.');
doc.push('');
const relayArgs = ((settings.match(/SBS_RELAY_ARGS="([^"]*)"/) || [])[1] || '').trim();
const jvmOpts = ((settings.match(/SBS_JVM_OPTS="([^"]*)"/) || [])[1] || '').trim();
const java = jvmOpts ? 'java ' + jvmOpts : 'java';
doc.push('## Servers');
doc.push('');
doc.push(table(['server', 'version', 'how it runs'], [
  ['bayeuxd', `${field('version')} (commit ${field('commit')})`, '`' + java + ' -jar broker-transport/target/bayeuxd.jar --host 127.0.0.1 --port P --timeout 30`: documented flags only, everything else at its default (event loops: 2 x cores)'],
  ['CometD', '9.0.0 on Jetty 12.1.2', '`' + java + ' -jar bench-cometd-server/target/cometd-server.jar --port P --timeout 30`: `CometDServlet` at `/cometd` with default settings and CometD\'s default transports (WebSocket through `JettyWebSocketTransport`, long-polling, callback-polling); see `bench-cometd-server`'],
  ['Faye', `1.4.3 on Node ${field('node --version')}`, '`node bench/servers/faye/faye-server.js --port P --timeout 30`: `new faye.NodeAdapter({mount: \'/\', timeout: 30})`, in-memory engine'],
  ['relay', 'this commit', '`' + java + ' -cp broker-bench/target/loadgen.jar io.bayeuxd.bench.relay.RelayServer --port P --timeout 30 ' + relayArgs + '`: canned meta replies, each publish forwarded verbatim to the subscribers of its channel, flushed once per read batch; no parsing, no sessions, no queues. ' +
    'The ceiling for the work a broker adds per message, not for throughput at high fan-out: it writes one WebSocket frame per message per subscriber, where bayeuxd packs a subscriber\'s queued messages into one frame, so bayeuxd can exceed it there (S1, S2)'],
]));
doc.push('');
doc.push(jvmOpts
  ? 'The JVMs run with the same flags, `' + jvmOpts + '`, and otherwise their defaults. Every server holds a `/meta/connect` for 30 s.'
  : 'The JVMs run with no flags: default heap (a quarter of the memory) and G1. Every server holds a `/meta/connect` for 30 s.');
doc.push('');
doc.push('## Method');
doc.push('');
doc.push('- The load generator (`broker-bench/target/loadgen.jar`, see `broker-bench/README.md`) speaks raw Bayeux. ' +
  'Each run: subscribers ramp up (500 handshakes/s, 1,000 for S5), publishers handshake, ' +
  'then a warm-up, the measured window and a drain of up to a few seconds for late deliveries.');
doc.push('- **delivered/s**: deliveries of messages published in the measured window (and seen by the end of the drain), divided by its length. **lost**: deliveries owed but not seen by then. ' +
  '**arriving/s**: every delivery that arrived during the window, whenever its message was published (mean of the generator\'s per-second progress lines): ' +
  'the pace of a server that fell behind during the warm-up, which delivered/s does not show when none of the window\'s messages arrive in time.');
doc.push('- **Latency** is end to end, publish to delivery, on one clock. At a fixed rate (S1, S3, S4) each message is stamped with its scheduled send time, so a server that falls behind shows it as latency (no coordinated omission). S2 stamps the actual send time.');
doc.push('- **Server CPU**: utime + stime of the server process from `/proc/<pid>/stat`, in clock ticks (`getconf CLK_TCK`), read at the start and the end of the measured window; cores = CPU seconds / wall seconds. **Deliveries per server-CPU-second** = delivered / those CPU seconds.');
doc.push('- **Server RSS**: `VmRSS` at the end of the run. **Generator CPU**: from its own report, over the measured window. ' +
  '**Other processes**: the whole machine\'s busy time in `/proc/stat` over the same window, less the server and the generator: the machine is shared, and this shows how much of it something else took.');
doc.push('- **S5**: RSS (`VmRSS`) before the clients connect, and 5 s into the hold with every client connected; KB per idle client = (RSS with clients - RSS before) / clients. Heap: for the JVMs the used heap after a full GC (`jcmd <pid> GC.run`, then `GC.heap_info`), read after the RSS; for Faye, Node\'s `heapUsed` (no GC forced). Idle CPU over 10 s of the hold.');
doc.push('');
doc.push('## Targets');
doc.push('');
doc.push(targets());
doc.push('');
doc.push('## Findings');
doc.push('');
doc.push(findings());
doc.push('');
doc.push('## Results');
for (const scn of Object.keys(SCENARIOS)) {
  const any = SERVERS.some((s) => get(s, scn));
  if (!any) continue;
  doc.push('');
  doc.push(`### ${SCENARIOS[scn].title}`);
  doc.push('');
  doc.push(SCENARIOS[scn].what);
  doc.push('');
  if (scn === 'S5') {
    doc.push(idleTable());
    const histograms = heapHistograms();
    if (histograms) {
      doc.push('');
      doc.push('The largest classes on the heap of each JVM with the idle clients connected (`jcmd <pid> GC.class_histogram`, after the full GC):');
      doc.push('');
      doc.push(histograms.trimEnd());
    }
  } else {
    doc.push(loadTable(scn));
    const ratios = ratioTable(scn);
    if (ratios) {
      doc.push('');
      doc.push(ratios);
    }
  }
}
const s6 = s6Section();
if (s6) {
  doc.push('');
  doc.push(s6);
}
doc.push('');

fs.mkdirSync(path.dirname(docPath), { recursive: true });
if (Object.keys(runs).length === 0 && s6) {
  // S6 alone: replace only its section of the existing report (or add it at the end), keeping the rest.
  const existing = fs.existsSync(docPath) ? fs.readFileSync(docPath, 'utf8') : '';
  const begin = existing.indexOf(S6_BEGIN);
  const end = existing.indexOf(S6_END);
  const updated = begin >= 0 && end > begin
    ? existing.slice(0, begin) + s6 + existing.slice(end + S6_END.length)
    : existing.trimEnd() + '\n\n' + s6 + '\n';
  fs.writeFileSync(docPath, updated);
} else {
  fs.writeFileSync(docPath, doc.join('\n'));
}
process.stdout.write(`wrote ${docPath}\n`);
