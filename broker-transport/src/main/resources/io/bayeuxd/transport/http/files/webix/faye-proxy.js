/*
 * webix.proxy.faye: Webix's "faye->" data proxy for current Webix (7 and later, which no longer bundle
 * one), served by bayeuxd at <mount>/webix/faye-proxy.js. It speaks what Webix 6's built-in proxy spoke,
 * so pages with either proxy share a channel.
 *
 *   <script src="//host:8000/client.js"></script>            Faye's browser client
 *   <script src="webix.js"></script>
 *   <script src="//host:8000/webix/faye-proxy.js"></script>   this file, after Webix
 *
 *   webix.proxy.faye.client = new Faye.Client('//host:8000/');
 *   webix.proxy.faye.clientId = 'page-1';                    optional: a random one is made
 *   webix.ui({view: 'list', url: 'faye->/data', save: 'faye->/data'});
 *
 * - Loading ("url") subscribes the view to the channel. Nothing is fetched: the records arrive as
 *   messages (a broker with a storage channel sends the current ones first, as inserts).
 * - Saving ("save") publishes each change of Webix's DataProcessor to the channel as
 *   {id, operation: "insert"|"update"|"delete", data: {id, ...}, clientId}, in the order they were
 *   made, one at a time. Webix counts the change as saved when the server acknowledges the
 *   publication, and as failed when it refuses it.
 * - Messages from other pages are applied to the view (without being saved again): delete removes,
 *   update merges the fields, insert adds; an insert for an id already shown updates it instead, so a
 *   replayed insert never duplicates a row. The page's own messages, which the server echoes back, are
 *   recognised by their clientId and skipped. A "reset" (a storage channel about to hand its records
 *   over again, after the page's session was lost) clears the view first.
 * - With bayeuxd's recovery extension loaded (<script src="//host:8000/bayeuxd-recovery.js">), the proxy
 *   installs it on the client: on a history channel, what was missed while the connection was down
 *   comes again, once and in order (docs/recovery.md).
 *
 * Registered as webix.proxy.faye only when Webix has none (Webix 6 and earlier have their own). To use
 * this one there too: webix.proxy.faye = webixFayeProxy;
 */
(function (global) {
  'use strict';

  // Webix copies webix.proxy.faye (webix.copy, a deep copy of its enumerable properties) each time it
  // parses 'faye->...'. A Faye.Client refers to itself, so copying it would recurse until the stack
  // overflows. The client and the clientId therefore live here, shared by every copy, behind accessors
  // that webix.copy does not see (not enumerable).
  var shared = { client: null, clientId: null };

  // This page's changes are published one at a time, each once the server has acknowledged the one
  // before: over long-polling Faye sends publications made apart in time as separate requests, on
  // separate connections, which may reach the server in any order, and an update overtaking its insert
  // would be lost on the other pages. A burst of changes costs a round trip each.
  var lastPublication = Promise.resolve();

  function randomId() {
    if (global.crypto && typeof global.crypto.randomUUID === 'function') return global.crypto.randomUUID();
    return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2);
  }

  // `proxy` is webix.proxy.faye or one of Webix's copies of it; a copy made with extra settings
  // (webix.proxy('faye', '/data', {client: ..., clientId: ...})) has its own.
  function clientOf(proxy) {
    var client = proxy.client || shared.client;
    if (!client) throw new Error('faye-> proxy: set webix.proxy.faye.client to a Faye.Client first');
    return client;
  }

  function clientIdOf(proxy) {
    if (proxy.clientId) return proxy.clientId;
    if (!shared.clientId) shared.clientId = randomId();
    return shared.clientId;
  }

  // Applies another page's change to the view, inside the view's DataProcessor's ignore() so that it is
  // not sent back to the channel.
  function apply(view, message, ownClientId) {
    if (!message || message.clientId === ownClientId) return; // our own change, echoed by the server
    var dp = typeof global.webix.dp === 'function' ? global.webix.dp(view, true) : null;
    if (message.operation === 'reset') {
      // A storage channel hands its records over again (this page's session was lost): start from them.
      if (dp) dp.ignore(function () { view.clearAll(); });
      else view.clearAll();
      return;
    }
    var record = message.data;
    if (!record || record.id === undefined || record.id === null) return;
    var id = record.id;
    var change = function () {
      if (message.operation === 'delete') {
        if (view.exists(id)) view.remove(id);
      } else if (message.operation === 'insert' || message.operation === 'update') {
        // One message object reaches every subscriber of the page: each view gets its own copy.
        if (view.exists(id)) view.updateItem(id, global.webix.copy(record));
        // An update for a record this view never had cannot be shown: its other fields are unknown.
        else if (message.operation === 'insert') view.add(global.webix.copy(record));
      }
    };
    if (dp) dp.ignore(change);
    else change();
  }

  var proxy = {
    $proxy: true,

    load: function (view) {
      var channel = this.source;
      var own = clientIdOf(this);
      var client = clientOf(this);
      // With the broker's recovery extension on the page (<script src="/bayeuxd-recovery.js">), a
      // history channel's messages missed while the connection was down come again, once and in order.
      if (global.BayeuxRecovery && !client.bayeuxdRecovery) {
        client.bayeuxdRecovery = new global.BayeuxRecovery(client);
        client.addExtension(client.bayeuxdRecovery);
      }
      var subscription = client.subscribe(channel, function (message) {
        apply(view, message, own);
      });
      subscription.errback(function (error) {
        global.console.error('faye-> proxy: subscribing to ' + channel + ' failed: ' + (error && error.message));
      });
      // A view that is destroyed stops listening.
      if (view.attachEvent) view.attachEvent('onDestruct', function () { subscription.cancel(); });
      // Nothing to hand Webix now: the records come as messages.
    },

    save: function (view, update) {
      var client = clientOf(this);
      var channel = this.source;
      var message = {
        id: update.id, operation: update.operation, data: global.webix.copy(update.data), clientId: clientIdOf(this),
      };
      var send = function () {
        return new Promise(function (resolve, reject) {
          var publication = client.publish(channel, message);
          // An empty answer: Webix keeps the record's id.
          publication.callback(function () { resolve({}); });
          publication.errback(function (error) {
            reject(new Error('faye-> proxy: publishing to ' + channel + ' failed: ' + (error && error.message)));
          });
        });
      };
      var result = lastPublication.then(send, send);
      lastPublication = result.then(null, function () {}); // a refused change does not hold up the next
      return result;
    },
  };

  ['client', 'clientId'].forEach(function (name) {
    Object.defineProperty(proxy, name, {
      enumerable: false,
      get: function () { return shared[name]; },
      set: function (value) { shared[name] = value; },
    });
  });

  global.webixFayeProxy = proxy;
  if (global.webix && global.webix.proxy && !global.webix.proxy.faye) global.webix.proxy.faye = proxy;
})(window);
