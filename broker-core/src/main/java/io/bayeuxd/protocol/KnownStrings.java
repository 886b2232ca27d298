package io.bayeuxd.protocol;

/**
 * The strings almost every message repeats: the meta channels, the connection types and the version.
 * The reader answers these with one shared instance instead of a new {@code String} each time, since a
 * long-polling client sends a {@code /meta/connect} naming its connection type with every poll.
 */
final class KnownStrings {
    private static final String[] KNOWN = {
        MetaChannels.HANDSHAKE, MetaChannels.CONNECT, MetaChannels.SUBSCRIBE, MetaChannels.UNSUBSCRIBE, MetaChannels.DISCONNECT,
        ConnectionTypes.WEBSOCKET, ConnectionTypes.LONG_POLLING, ConnectionTypes.CROSS_ORIGIN_LONG_POLLING,
        ConnectionTypes.CALLBACK_POLLING, ConnectionTypes.EVENTSOURCE, "1.0",
    };

    private KnownStrings() {
    }

    /** The known string equal to {@code chars[offset, offset + length)}, or null. Allocates nothing. */
    static String lookup(char[] chars, int offset, int length) {
        for (String known : KNOWN) {
            if (known.length() == length && matches(known, chars, offset)) {
                return known;
            }
        }
        return null;
    }

    private static boolean matches(String known, char[] chars, int offset) {
        for (int i = 0; i < known.length(); i++) {
            if (known.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }
}
