package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.ClientSession;
import io.bayeuxd.bench.loadgen.LoopContext;
import io.bayeuxd.bench.loadgen.ServerMessage;
import io.bayeuxd.bench.loadgen.TransportKind;
import io.netty.buffer.ByteBuf;

/**
 * A {@link ClientSession} of the soak, over one link: every refusal or lost link is one
 * {@link #onFailure}, and the subclass decides what it means: a well-behaved client counts it and
 * recovers, a churned one counts it and ends.
 */
abstract class SoakClient extends ClientSession {

    protected final SoakContext soak;

    SoakClient(SoakContext soak, LoopContext loop, TransportKind transport, int payloadBytes) {
        super(loop, soak.links, soak.clock, transport, payloadBytes, false);
        this.soak = soak;
    }

    /** The link went down, or the server refused something, while this client still needed it. */
    protected abstract void onFailure(String what);

    @Override
    protected final void onLinkLost(String reason) {
        onFailure("connection lost: " + reason);
    }

    @Override
    protected final void onHandshakeRefused(ServerMessage m) {
        onFailure("handshake refused: " + m.error);
    }

    @Override
    protected final void onConnectRefused(ServerMessage m) {
        onFailure("connect refused: " + m.error + " (advice " + m.reconnect + ")");
    }

    @Override
    protected final void onMalformedFrame(ByteBuf frame) {
        soak.stats.malformedFrames.increment();
    }

    @Override
    protected final void onDisconnectAcked() {
        soak.stats.disconnectsAcked.increment();
    }
}
