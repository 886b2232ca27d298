'use strict';

// The Webix data proxy pattern: every page subscribes to /data, publishes its
// data operations there tagged with its own page id, receives its own
// broadcast (and ignores it by clientId), and other pages apply it.  The
// payload must arrive unchanged.  The channel is literally /data, as in the
// proxy; a concurrent run against the same server could add foreign messages
// there, so the test looks for its payload rather than "the first message".

const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

test('a data operation published to /data reaches another page unchanged', { timeout: h.TEST_TIMEOUT_MS }, async (t) => {
  const pageA = h.createClient(t);
  const pageB = h.createClient(t);
  const a = await h.subscribe(pageA, '/data');
  const b = await h.subscribe(pageB, '/data');

  const operation = { operation: 'insert', data: { id: 1, value: 'x' }, clientId: 'page-a' };
  await h.publish(pageA, '/data', operation);

  const isOurs = (d) => d && d.clientId === 'page-a' && d.operation === 'insert' && d.data && d.data.id === 1;
  const gotB = await b.inbox.find(isOurs, h.WAIT_MS, 'the insert on page B');
  assert.deepEqual(gotB, operation);

  // Page A gets its own broadcast back, just as unchanged.
  const gotA = await a.inbox.find(isOurs, h.WAIT_MS, 'the insert echoed to page A');
  assert.deepEqual(gotA, operation);

  // On the wire, too, the data member is exactly what was published.
  const wire = await h.awaitDelivery(pageB, '/data', isOurs);
  assert.deepEqual(wire.data, operation);

  await h.assertTestTransports(t, assert);
});
