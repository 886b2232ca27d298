/**
 * Channel names and the subscription index.
 *
 * <p>Where this sits in the message path:
 * <ol>
 *   <li>bytes are decoded on the event loop;</li>
 *   <li>the session validates: {@link io.bayeuxd.channel.ChannelName} checks the channel grammar and
 *   tells meta and service channels apart;</li>
 *   <li><b>the subscription index matches</b>: {@link io.bayeuxd.channel.ChannelTrie#match} puts the
 *   subscribers of the published channel, and of every pattern that covers it, into the publishing
 *   thread's {@link io.bayeuxd.channel.MatchSet}, each once;</li>
 *   <li>the message is encoded once;</li>
 *   <li>each subscriber's bounded outbox gets one reference to that one buffer (a single
 *   {@code retain(n)} for all of them);</li>
 *   <li>the subscriber's event loop drains a bounded batch and writes one frame or completes the held
 *   long-poll.</li>
 * </ol>
 *
 * <p>Steps 2 and 3 run for every publish, on many threads at once, so nothing here takes a lock or
 * allocates on that path. Subscribing and unsubscribing change the index under one lock and publish
 * copy-on-write arrays that readers walk by index. Policy (who may subscribe to what, meta and service
 * channels) is not decided here.
 */
package io.bayeuxd.channel;
