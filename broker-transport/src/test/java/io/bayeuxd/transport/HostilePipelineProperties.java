package io.bayeuxd.transport;

import io.bayeuxd.protocol.BayeuxDecoder;

import java.util.List;

/**
 * Hostile-input properties against the production pipeline: one {@link EmbeddedBroker} per property,
 * three of its sessions whose ids the generated bodies use, and the decoder that says what the broker
 * must accept.
 */
abstract class HostilePipelineProperties extends HostileProperties {
    protected final EmbeddedBroker server = new EmbeddedBroker();
    protected final List<String> clientIds = server.sessions(3);
    protected final BayeuxDecoder oracle = new BayeuxDecoder();

    @Override
    protected final void closeBroker() {
        server.close();
    }
}
