package io.bayeuxd.protocol;

/**
 * The names of the five meta channels a Bayeux client sends to. Whether a channel is meta at all, which
 * {@code /meta} itself and everything below it are, is {@link io.bayeuxd.channel.ChannelName#isMeta}.
 */
public final class MetaChannels {
    public static final String HANDSHAKE = "/meta/handshake";
    public static final String CONNECT = "/meta/connect";
    public static final String SUBSCRIBE = "/meta/subscribe";
    public static final String UNSUBSCRIBE = "/meta/unsubscribe";
    public static final String DISCONNECT = "/meta/disconnect";

    private MetaChannels() {
    }
}
