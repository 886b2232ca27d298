/**
 * The protocol engine: one small handler per meta channel and one for publishing, with
 * {@link io.bayeuxd.broker.Broker} routing each decoded message to its handler through the extensions
 * ({@code RequestWalk}, in the order the message goes).
 * This is step 2 of the message path ("the session validates"); fan-out starts in the publish handler.
 * A message that waits for an asynchronous extension or security policy resumes here, on its request's
 * event loop ({@code DecisionWait}).
 */
package io.bayeuxd.broker;
