package io.bayeuxd.bench.jmh;

import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.Message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The traffic the benchmarks feed in, shaped like a Faye client's: publishes of a small JSON object on
 * a chat-like channel, and a {@code /meta/connect} over WebSocket, each as a batch array as Faye sends
 * them.
 */
final class SampleMessages {
    /** A client id of the length {@code ClientIdGenerator} makes (31 base-36 characters). */
    static final String CLIENT_ID = "3f9k2m7q1x8v0c5n4b6z2w9e1r7t3y5";
    static final String CHANNEL = "/chat/room42";
    /** Size of each publication's serialized {@code data} value. */
    static final int DATA_BYTES = 100;

    private SampleMessages() {
    }

    /**
     * {@code [{"channel":..,"data":{..},"clientId":..,"id":..}, ...]}: {@code count} publishes, each
     * with exactly {@link #DATA_BYTES} bytes of data, and ids counting up in base 36 as Faye's do.
     */
    static byte[] publishBatch(int count) {
        StringBuilder json = new StringBuilder(count * 200).append('[');
        for (int seq = 1; seq <= count; seq++) {
            if (seq > 1) {
                json.append(',');
            }
            json.append("{\"channel\":\"").append(CHANNEL)
                    .append("\",\"data\":").append(data(seq))
                    .append(",\"clientId\":\"").append(CLIENT_ID)
                    .append("\",\"id\":\"").append(Integer.toString(seq, 36)).append("\"}");
        }
        return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A steady-state WebSocket {@code /meta/connect}, alone in its batch. */
    static byte[] connect() {
        return ("[{\"channel\":\"/meta/connect\",\"clientId\":\"" + CLIENT_ID
                + "\",\"connectionType\":\"websocket\",\"id\":\"2f\"}]").getBytes(StandardCharsets.UTF_8);
    }

    /** One decoded publication, as the publish handler holds it before encoding. */
    static Message publication() {
        byte[] one = publishBatch(1);
        return new BayeuxDecoder().decode(one, 0, one.length).get(0);
    }

    /** The replies to {@link #publishBatch}: {@code {"id","clientId","channel","successful":true}} each. */
    static List<Message> publishReplies(int count) {
        byte[] batch = publishBatch(count);
        List<Message> replies = new ArrayList<>(count);
        for (Message m : new BayeuxDecoder().decode(batch, 0, batch.length)) {
            replies.add(new Message().id(m.id()).clientId(m.clientId()).channel(m.channel()).successful(true));
        }
        return replies;
    }

    /** {@code {"user":"alice","seq":N,"text":"..."}} padded to exactly {@link #DATA_BYTES} bytes. */
    static String data(int seq) {
        String head = "{\"user\":\"alice\",\"seq\":" + seq + ",\"text\":\"";
        String tail = "\"}";
        int pad = DATA_BYTES - head.length() - tail.length();
        StringBuilder text = new StringBuilder(pad);
        String words = "hello from the benchmark, ";
        while (text.length() < pad) {
            text.append(words.charAt(text.length() % words.length()));
        }
        return head + text + tail;
    }
}
