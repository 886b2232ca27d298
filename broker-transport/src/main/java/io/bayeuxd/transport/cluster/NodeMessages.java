package io.bayeuxd.transport.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The messages one node sends another about a polling request, on the cluster bus:
 *
 * <pre>
 *   REQUEST  type, id, from (node token), client id, connection type, remote address, header lines, body
 *   REPLY    type, id, body (the JSON array to answer with)
 *   ABANDON  type, id, from, client id   (the request's connection closed before its answer)
 * </pre>
 *
 * Strings are a 4-byte length and UTF-8; a body is the rest of the message. {@code id} is unique per
 * sending node; {@code from} says where to answer.
 */
final class NodeMessages {
    static final byte REQUEST = 1;
    static final byte REPLY = 2;
    static final byte ABANDON = 3;

    private NodeMessages() {
    }

    static byte[] request(long id, String from, String clientId, String connectionType, String remote, String headers, byte[] body) {
        byte[][] strings = utf8(from, clientId, connectionType, remote, headers);
        ByteBuffer out = ByteBuffer.allocate(1 + 8 + size(strings) + body.length);
        out.put(REQUEST).putLong(id);
        for (byte[] s : strings) {
            out.putInt(s.length).put(s);
        }
        return out.put(body).array();
    }

    static byte[] reply(long id, byte[] body) {
        return ByteBuffer.allocate(1 + 8 + body.length).put(REPLY).putLong(id).put(body).array();
    }

    static byte[] abandon(long id, String from, String clientId) {
        byte[][] strings = utf8(from, clientId);
        ByteBuffer out = ByteBuffer.allocate(1 + 8 + size(strings));
        out.put(ABANDON).putLong(id);
        for (byte[] s : strings) {
            out.putInt(s.length).put(s);
        }
        return out.array();
    }

    /** A message being read: its type and id first, then its strings in order, then its body. */
    static final class Reader {
        private final ByteBuffer in;
        final byte type;
        final long id;

        Reader(byte[] message) {
            this.in = ByteBuffer.wrap(message);
            this.type = in.get();
            this.id = in.getLong();
        }

        String string() {
            int n = in.getInt();
            if (n < 0 || n > in.remaining()) {
                throw new IllegalArgumentException("bad string length " + n);
            }
            String s = new String(in.array(), in.position(), n, StandardCharsets.UTF_8);
            in.position(in.position() + n);
            return s;
        }

        byte[] body() {
            byte[] body = new byte[in.remaining()];
            in.get(body);
            return body;
        }
    }

    private static byte[][] utf8(String... strings) {
        byte[][] out = new byte[strings.length][];
        for (int i = 0; i < strings.length; i++) {
            out[i] = (strings[i] == null ? "" : strings[i]).getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    private static int size(byte[][] strings) {
        int n = 0;
        for (byte[] s : strings) {
            n += 4 + s.length;
        }
        return n;
    }
}
