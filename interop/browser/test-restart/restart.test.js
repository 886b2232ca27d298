'use strict';

// The demo's Webix list across a restart of the broker with --data-dir: run once with
// RESTART_PHASE=save (a page adds records and waits until the server acknowledged them), then, after
// the broker was stopped and started again on the same port and data directory, with
// RESTART_PHASE=show (a page opened now shows them). Over WebSocket and over long-polling, each on its
// own storage channel: RESTART_CHANNEL followed by -websocket or -long-polling.

const { it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

const PHASE = process.env.RESTART_PHASE;
const CHANNEL = process.env.RESTART_CHANNEL;
const TITLES = ['Kept across a restart', 'And this one'];

let session;
before(async () => {
  assert.ok(PHASE === 'save' || PHASE === 'show', 'RESTART_PHASE is save or show');
  assert.ok(CHANNEL, 'RESTART_CHANNEL is set');
  session = await h.start();
});
after(async () => {
  if (session) await session.close();
});

const titles = (p) => p.run(() => $$('list').serialize().map((item) => item.title));

for (const transport of ['websocket', 'long-polling']) {
it(`the demo's list over ${transport}, phase ${PHASE}`, { timeout: h.TEST_TIMEOUT_MS }, async () => {
  const channel = `${CHANNEL}-${transport}`;
  const page = await session.open(`demo ${transport} ${PHASE}`,
    `${h.MOUNT_URL}demo/?channel=${encodeURIComponent(channel)}&transport=${transport}`);
  try {
    await h.until(() => h.receivedMessages(page.traffic).some((r) => r.message.channel === '/meta/subscribe'
      && r.message.subscription === channel && r.message.successful), `${page.name}: subscribed to ${channel}`);
    if (PHASE === 'save') {
      for (const text of TITLES) {
        await page.page.fill('[view_id="title"] input', text);
        await page.page.click('[view_id="add"] button');
      }
      await page.page.waitForFunction(() => webix.dp($$('list')).getState() === false);
      assert.deepEqual(await titles(page), TITLES);
    } else {
      await page.page.waitForFunction((json) => JSON.stringify($$('list').serialize().map((item) => item.title)) === json,
        JSON.stringify(TITLES));
      await h.screenshot(page, `demo-after-restart-${transport}`);
    }
    const overSocket = () => h.sentMessages(page.traffic).some((s) => s.carrier === 'websocket');
    if (transport === 'websocket') {
      // Faye's client moves to the socket once its probe has connected; in the show phase the page may
      // have had the whole list over HTTP before that, so wait for its first message on the socket.
      await h.until(overSocket, `${page.name}: messages went over websocket`);
    } else {
      assert.equal(overSocket(), false, `${page.name}: messages went over long-polling only`);
    }
    assert.deepEqual(page.problems, [], `${page.name}: no script errors in the page`);
  } catch (error) {
    console.log(h.describeTraffic(page));
    throw error;
  } finally {
    await page.close();
  }
});
}
