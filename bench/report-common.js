'use strict';
// What the benchmark reports share: the command line, reading a run's files, figures and Markdown tables.

const fs = require('fs');
const path = require('path');

// The generator's CPU (cores) at or above which it, not the server, may have set the pace.
const GENERATOR_SATURATED_CORES = 0.8;
// CPU of other processes on the machine during a measured window above which a run is flagged as contended.
const CONTENDED_CORES = 0.25;

/** <results dir> and <markdown file> from the command line; exits with the usage of `script` without them. */
function args(script) {
  const [dir, docPath] = process.argv.slice(2);
  if (!dir || !docPath) {
    process.stderr.write(`usage: node ${script} <results dir> <markdown file>\n`);
    process.exit(2);
  }
  return { dir, docPath };
}

/** Reads the files of results directory `dir`: a missing or broken one is null (JSON) or empty (text). */
function resultsIn(dir) {
  return {
    json(file) {
      try {
        return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
      } catch (e) {
        return null;
      }
    },
    text(file) {
      try {
        return fs.readFileSync(path.join(dir, file), 'utf8');
      } catch (e) {
        return '';
      }
    },
  };
}

/**
 * Everything that arrived during the measured window, whenever it was published: the mean of the
 * generator's progress lines ("del N/s") in its stderr `errText`; undefined without any.
 */
function arrivingPerSec(errText) {
  const rates = errText.split('\n')
    .filter((l) => l.startsWith('[measure]'))
    .map((l) => Number((l.match(/del +([0-9.]+)\/s/) || [])[1]))
    .filter((v) => Number.isFinite(v));
  return rates.length > 0 ? rates.reduce((a, b) => a + b, 0) / rates.length : undefined;
}

function num(v, digits = 0) {
  if (v === undefined || v === null || !Number.isFinite(v)) return 'n/a';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function table(header, rows) {
  const line = (cells) => '| ' + cells.join(' | ') + ' |';
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

module.exports = { GENERATOR_SATURATED_CORES, CONTENDED_CORES, args, resultsIn, arrivingPerSec, num, table };
