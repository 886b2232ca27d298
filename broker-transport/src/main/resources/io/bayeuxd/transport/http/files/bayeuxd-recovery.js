/*
 * bayeuxd-recovery.js: a Faye client extension that gets every message of a bayeuxd history channel
 * exactly once and in order across cut connections and lost sessions (see docs/recovery.md).
 *
 *   client.addExtension(new BayeuxRecovery(client, {onReset: function (channel) { reload(channel); }}));
 *
 * The broker numbers each message of a history channel (--history-channels): ext.position (1, 2, ...)
 * and ext.epoch (changes when the channel's history was lost). This extension remembers, per channel
 * subscribed to by its exact name, the last {position, epoch} it let through, and:
 *  - lets a message through only when it is the next one (position last + 1, same epoch), or when
 *    nothing is known yet; drops duplicates (position <= last);
 *  - on a gap (position > last + 1, or another epoch) drops the message and asks for what was missed:
 *    a forced re-subscribe, which Faye sends even when already subscribed. The broker answers it by
 *    handing over every kept message after our last one, ahead of live traffic;
 *  - adds ext.recover {position, epoch} to every /meta/subscribe of a channel it tracks, which also
 *    covers Faye's own re-subscribe after a new handshake (the session was lost);
 *  - re-subscribes every tracked channel when the transport goes down (sent when it is back), for
 *    messages lost at the tail of a cut, with nothing after them to show the gap;
 *  - when the broker answers recovered: false (history no longer reaches back, or a new epoch), starts
 *    again from where the channel is now and calls options.onReset(channel): the application reloads.
 *
 * Channels received only through a pattern subscription (/chat/*) pass through untouched: the broker
 * recovers exact channels only. No dependencies; works in browsers (global BayeuxRecovery, after
 * Faye's client.js) and in Node (require).
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) {
    module.exports = factory();
  } else {
    root.BayeuxRecovery = factory();
  }
}(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  function isPattern(channel) {
    return channel.indexOf('*') >= 0;
  }

  // The one channel of a /meta/subscribe or /meta/unsubscribe (Faye sends one per message).
  function channelOf(message) {
    var s = message.subscription;
    if (typeof s === 'string') return s;
    if (s && s.length === 1 && typeof s[0] === 'string') return s[0];
    return null;
  }

  function isPoint(ext) {
    return ext != null && typeof ext.position === 'number' && typeof ext.epoch === 'string';
  }

  /**
   * @param client  the Faye.Client this extension is added to
   * @param options {onReset: function (channel)}: called when messages of channel were lost for good
   */
  function BayeuxRecovery(client, options) {
    this.client = client;
    this.onReset = (options && options.onReset) || function () {};
    // channel -> {position, epoch (null until known), pending: a recovery is asked for and not answered}
    this.channels = {};
    // message id of a /meta/subscribe sent with ext.recover -> the point it asked from
    this.asked = {};
    this.stats = {accepted: 0, duplicates: 0, gaps: 0, recoveries: 0, recovered: 0, resets: 0, stale: 0};

    // Messages lost at the tail of a cut leave no gap to see, so every tracked channel asks for recovery
    // when the transport goes down. Faye queues the request and sends it as soon as it can again; it
    // carries the last point we know, which is final, since nothing arrives while the transport is down.
    // (Waiting for transport:up instead would wait for a response: with long-polling that can be a
    // held /meta/connect, answered only after the server's timeout when no message comes.)
    var self = this;
    client.on('transport:down', function () {
      for (var channel in self.channels) {
        if (self.channels[channel].epoch !== null) self.recover(channel);
      }
    });
  }

  /** Asks for what came after the last message of channel: a forced re-subscribe (see outgoing). */
  BayeuxRecovery.prototype.recover = function (channel) {
    var state = this.channels[channel];
    if (!state || state.pending) return;
    state.pending = true;
    this.client.subscribe(channel, true);
  };

  BayeuxRecovery.prototype.outgoing = function (message, callback) {
    var channel = message.channel === '/meta/subscribe' || message.channel === '/meta/unsubscribe'
      ? channelOf(message) : null;
    if (channel === null || isPattern(channel)) {
      if (message.channel === '/meta/disconnect') {
        this.channels = {};
        this.asked = {};
      }
      return callback(message);
    }
    if (message.channel === '/meta/unsubscribe') {
      delete this.channels[channel];   // no longer wanted: not re-subscribed on transport:up
      return callback(message);
    }
    var state = this.channels[channel];
    if (!state) {
      this.channels[channel] = {position: 0, epoch: null, pending: false};
    } else if (state.epoch !== null) {
      message.ext = message.ext || {};
      message.ext.recover = {position: state.position, epoch: state.epoch};
      this.asked[message.id] = message.ext.recover;
      state.pending = true;
      this.stats.recoveries++;
    }
    callback(message);
  };

  BayeuxRecovery.prototype.incoming = function (message, callback) {
    if (message.channel === '/meta/subscribe') return this.subscribed(message, callback);
    var state = this.channels[message.channel];
    var ext = message.ext;
    if (!state || message.data === undefined || !isPoint(ext)) return callback(message);

    if (state.epoch === null) {
      // The first message of a new subscription, maybe ahead of the subscribe reply.
      state.epoch = ext.epoch;
      state.position = ext.position;
    } else if (ext.epoch === state.epoch && ext.position === state.position + 1) {
      state.position = ext.position;
    } else if (ext.epoch === state.epoch && ext.position <= state.position) {
      this.stats.duplicates++;
      return callback(null);   // Faye's pipeline: a falsy message is passed on to no one
    } else {
      // Something before it was lost (or the channel's history was): it comes again in the replay.
      this.stats.gaps++;
      this.recover(message.channel);
      return callback(null);
    }
    this.stats.accepted++;
    callback(message);
  };

  // A /meta/subscribe reply: where the channel is, and whether the recovery asked for was served.
  BayeuxRecovery.prototype.subscribed = function (message, callback) {
    var channel = channelOf(message);
    var state = channel === null ? null : this.channels[channel];
    var asked = this.asked[message.id];
    delete this.asked[message.id];
    if (!state) return callback(message);
    state.pending = false;
    var ext = message.ext;
    if (!message.successful || !isPoint(ext)) {
      // Refused, or not a history channel: nothing to track unless messages show positions later.
      return callback(message);
    }
    if (ext.recovered === false && asked
        && (asked.position !== state.position || asked.epoch !== state.epoch)) {
      // Asked from a point we have left since (e.g. Faye's re-subscribe after a handshake and ours after
      // transport:up both went out, and the first answer reset the channel already): nothing to do.
      this.stats.stale++;
    } else if (ext.recovered === false) {
      // What was missed is gone: go on from where the channel is now and let the application reload.
      state.position = ext.position;
      state.epoch = ext.epoch;
      this.stats.resets++;
      callback(message);
      var onReset = this.onReset;
      Promise.resolve().then(function () { onReset(channel); });
      return;
    } else if (ext.recovered === true) {
      // The replay follows (or came already) as ordinary messages: they move the position, not this.
      this.stats.recovered++;
    } else if (state.epoch === null) {
      state.position = ext.position;
      state.epoch = ext.epoch;
    }
    callback(message);
  };

  return BayeuxRecovery;
}));
