/**
 * The protocol engine: one small handler per meta channel and one for publishing, with
 * {@link io.bayeuxd.broker.Broker} routing each decoded message to its handler through the extensions
 * ({@code RequestWalk}, in the order the message goes).
 * This is step 2 of the message path ("the session validates"); fan-out starts in the publish handler.
 * A message that waits for an asynchronous extension or security policy resumes here, on its request's
 * event loop ({@code DecisionWait}).
 *
 * <p>Exported because an embedding application uses {@link io.bayeuxd.broker.LocalClient} (the in-process
 * client), {@link io.bayeuxd.broker.BrokerConfig} and the registration methods of
 * {@link io.bayeuxd.broker.Broker} ({@code BrokerServer#broker()}). The other public types here
 * ({@code BatchResult}, {@code RequestContext}, {@code BrokerSettings}) are public for the transport
 * module only and are internal: they may change without notice.
 */
package io.bayeuxd.broker;
