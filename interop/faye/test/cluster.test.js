'use strict';

// Several broker nodes acting as one (BAYEUX_URLS lists them; skipped with
// one URL).  Subscribers are spread over every node and one publisher per
// node publishes; every subscriber must receive every message exactly once,
// in each publisher's order.  A client subscribed to overlapping wildcards on
// another node than the publisher gets each message once too.

const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

const PER_PUBLISHER = 100;
const single = h.URLS.length < 2 && 'BAYEUX_URLS names fewer than two nodes: cluster test skipped';

test('a publication on any node reaches every subscriber on every node once, in publisher order',
  { skip: single, timeout: 3 * h.TEST_TIMEOUT_MS }, async (t) => {
    const prefix = h.uniquePrefix('cluster');
    const channel = `${prefix}/feed`;
    const nodes = h.URLS.length;

    const subscribers = [];
    for (let i = 0; i < 2 * nodes; i++) {
      const client = h.createClient(t, { url: h.URLS[i % nodes] });
      const { inbox } = await h.subscribe(client, channel);
      subscribers.push({ node: i % nodes, inbox });
    }
    const wildcard = h.createClient(t, { url: h.URLS[1] });
    const wildcardInbox = new h.Inbox('overlapping wildcards');
    await h.withTimeout(wildcard.subscribe(`${prefix}/*`, (d) => wildcardInbox.push(d)), h.WAIT_MS, 'subscription to /*');
    await h.withTimeout(wildcard.subscribe(`${prefix}/**`, () => {}), h.WAIT_MS, 'subscription to /**');

    const publishers = h.URLS.map((url) => h.createClient(t, { url }));
    // Publishers run at once; each waits for the acknowledgement of one message before the next.
    await Promise.all(publishers.map(async (publisher, from) => {
      for (let n = 0; n < PER_PUBLISHER; n++) await h.publish(publisher, channel, { from, n });
    }));
    // A closing marker per publisher: by per-publisher order, once each subscriber has every marker
    // it has everything that publisher sent before it, so the counts below are final.
    await Promise.all(publishers.map((publisher, from) => h.publish(publisher, channel, { from, marker: true })));

    const expected = Array.from({ length: PER_PUBLISHER }, (_, n) => n);
    const check = async (inbox, what) => {
      await inbox.until((items) => items.filter((d) => d.marker).length === nodes, 30000, `${nodes} markers`);
      for (let from = 0; from < nodes; from++) {
        const got = inbox.items.filter((d) => d.from === from && !d.marker).map((d) => d.n);
        assert.deepEqual(got, expected, `${what}: publisher on node ${from} complete, once, in order`);
      }
    };
    for (const s of subscribers) await check(s.inbox, `subscriber on node ${s.node}`);
    // Faye's client calls both wildcard callbacks for one delivery; the first one sees each message once.
    await check(wildcardInbox, 'overlapping wildcard subscriber');
    const wire = wildcard.probe.incoming.items.filter((m) => m.channel === channel && m.data !== undefined);
    assert.equal(wire.length, nodes * (PER_PUBLISHER + 1), 'the server sent each message to the wildcard client once');

    await h.assertTestTransports(t, assert);
  });
