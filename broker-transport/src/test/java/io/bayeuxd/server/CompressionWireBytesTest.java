package io.bayeuxd.server;

import io.bayeuxd.transport.TransportConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bytes on the wire per delivery of a Webix-like record of about 1 KB, with and without
 * {@code permessage-deflate}, in one run: a plain publisher sends {@value #RECORDS} records one at a time to
 * a subscriber that offers the extension (the broker negotiates it) and to one that does not, and each
 * counts the payload of the server's frames before inflating (plus the frame header: 2 bytes up to 125,
 * 4 up to 65,535); once against a broker that compresses each publication once (the default) and once
 * against one that leaves it to Netty per connection. Beside them, for the same frames, what a deflater
 * kept per connection (context takeover, which the broker does not choose) would have sent, computed here
 * with {@link Deflater}.
 *
 * <p>Only bytes are asserted, never time. With {@code -Dbayeuxd.writeDocs=true} it rewrites the table in
 * {@code docs/benchmarks-compression.md}.
 */
class CompressionWireBytesTest {
    static final int RECORDS = 500;
    private static final Path DOC = Path.of("..", "docs", "benchmarks-compression.md");
    private static final String BEGIN = "<!-- figures: CompressionWireBytesTest -->";
    private static final String END = "<!-- /figures -->";

    @Test
    void compressedDeliveriesTakeFewerBytesOnTheWire() throws Exception {
        List<String> records = webixRecords(RECORDS, new Random(42));
        long jsonBytes = 0;
        for (String record : records) {
            jsonBytes += record.getBytes(StandardCharsets.UTF_8).length;
        }
        Wire once = deliver(true, records);
        Wire perConnection = deliver(false, records);
        for (Wire w : List.of(once, perConnection)) {
            assertThat(w.plainFrames).isEqualTo(RECORDS);
            assertThat(w.deflateFrames).isEqualTo(RECORDS);
            assertThat(w.compressedFrames).isEqualTo(RECORDS);
            assertThat(w.deflateWire).isLessThan(w.plainWire);
        }
        // Compressed on its own either way: the same deflate output, but for the pieces' framing ([, ], and
        // the sync flush that ends each piece), a few bytes per frame.
        assertThat(once.deflateWire).isBetween(perConnection.deflateWire, perConnection.deflateWire + 16L * RECORDS);
        long plainWire = once.plainWire;
        long takeoverWire = contextTakeoverWireBytes(once.plainFramesText);

        String table = String.format(Locale.ROOT, """
                | per delivery (%d records, %.0f bytes of record JSON each on average, one to a frame) | bytes on the wire | ratio to plain |
                |---|---:|---:|
                | plain (no extension, or `--websocket-compression false`) | %.1f | 1.00 |
                | `permessage-deflate`, compressed once per publication and shared (the default) | %.1f | %.2f |
                | `permessage-deflate`, compressed per connection by Netty (`--websocket-compress-once false`) | %.1f | %.2f |
                | for comparison: a deflater kept per connection (context takeover; computed, not sent) | %.1f | %.2f |
                """, RECORDS, jsonBytes / (double) RECORDS,
                plainWire / (double) RECORDS,
                once.deflateWire / (double) RECORDS, once.deflateWire / (double) plainWire,
                perConnection.deflateWire / (double) RECORDS, perConnection.deflateWire / (double) plainWire,
                takeoverWire / (double) RECORDS, takeoverWire / (double) plainWire);
        if (Boolean.getBoolean("bayeuxd.writeDocs")) {
            writeFigures(table);
        }
    }

    /** What the two subscribers of one broker counted, and the plain one's frames as sent. */
    private record Wire(long plainWire, long deflateWire, long plainFrames, long deflateFrames, long compressedFrames,
                        List<byte[]> plainFramesText) {
    }

    /**
     * A broker with {@code --websocket-compress-once} as given, a plain and a compressing subscriber, and
     * the records published one at a time, each delivered to both before the next: one record per frame.
     */
    private static Wire deliver(boolean compressOnce, List<String> records) throws Exception {
        try (BrokerServer server = new BrokerServer(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .transport(TransportConfig.builder().websocketCompressOnce(compressOnce).build()).build()).start();
             NettyWsClient plain = new NettyWsClient(uri(server), false);
             NettyWsClient deflate = new NettyWsClient(uri(server), true);
             NettyWsClient publisher = new NettyWsClient(uri(server), false)) {
            assertThat(deflate.acceptedExtensions).contains("permessage-deflate");
            plain.join("/data");
            deflate.join("/data");
            String publisherId = publisher.join("/publisher-only");
            for (NettyWsClient c : List.of(plain, deflate)) {
                c.framesReceived.set(0);
                c.compressedFramesReceived.set(0);
                c.payloadBytesReceived.set(0);
                c.wireBytesReceived.set(0);
            }
            int before = plain.framesText.size();
            for (int i = 0; i < records.size(); i++) {
                String record = records.get(i);
                publisher.send("[{\"channel\":\"/data\",\"clientId\":\"" + publisherId + "\",\"data\":" + record
                        + ",\"id\":\"" + i + "\"}]");
                assertThat(plain.nextDelivery("/data").path("data").toString()).isEqualTo(record);
                assertThat(deflate.nextDelivery("/data").path("data").toString()).isEqualTo(record);
            }
            return new Wire(plain.wireBytesReceived.get(), deflate.wireBytesReceived.get(), plain.framesReceived.get(),
                    deflate.framesReceived.get(), deflate.compressedFramesReceived.get(),
                    new ArrayList<>(plain.framesText.subList(before, plain.framesText.size())));
        }
    }

    /**
     * What RFC 7692 with context takeover puts on the wire for these frames: one raw deflate stream, each
     * message ended by a sync flush whose trailing {@code 00 00 ff ff} is left off, plus the frame header.
     */
    private static long contextTakeoverWireBytes(List<byte[]> frames) {
        Deflater deflater = new Deflater(6, true);
        byte[] out = new byte[1 << 16];
        long total = 0;
        try {
            for (byte[] frame : frames) {
                deflater.setInput(frame);
                int n = 0;
                int written;
                do {
                    written = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
                    n += written;
                } while (written == out.length);
                int payload = n - 4;
                total += payload + NettyWsClient.headerBytes(payload);
            }
        } finally {
            deflater.end();
        }
        return total;
    }

    /** Records shaped like a Webix grid's rows: an id, short fields and some free text, about 1 KB of JSON. */
    static List<String> webixRecords(int count, Random random) {
        String[] words = ("rear window vertigo psycho notorious rebecca rope marnie spellbound saboteur frenzy "
                + "the of and a in to with for on at by from night day house city man woman story last first "
                + "thriller drama mystery comedy romance crime western director cast release review rating").split(" ");
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder notes = new StringBuilder();
            while (notes.length() < 840) {
                notes.append(words[random.nextInt(words.length)]).append(' ');
            }
            out.add(String.format(Locale.ROOT, "{\"id\":%d,\"title\":\"%s %s\",\"year\":%d,\"votes\":%d,\"rating\":%.1f,"
                            + "\"rank\":%d,\"category\":\"%s\",\"owner\":\"user-%04d\",\"updated\":\"2026-12-%02dT%02d:%02d:%02dZ\","
                            + "\"notes\":\"%s\"}",
                    i + 1, words[random.nextInt(words.length)], words[random.nextInt(words.length)], 1940 + random.nextInt(80),
                    random.nextInt(1_000_000), 1 + random.nextInt(90) / 10.0, random.nextInt(250) + 1,
                    words[random.nextInt(words.length)], random.nextInt(10_000), 1 + random.nextInt(28), random.nextInt(24),
                    random.nextInt(60), random.nextInt(60), notes.toString().trim()));
        }
        return out;
    }

    private static void writeFigures(String table) throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertThat(begin).as("%s in %s", BEGIN, DOC).isNotNegative();
        assertThat(end).as("%s in %s", END, DOC).isGreaterThan(begin);
        Files.writeString(DOC, doc.substring(0, begin + BEGIN.length()) + "\n" + table + doc.substring(end),
                StandardCharsets.UTF_8);
    }

    private static URI uri(BrokerServer server) {
        return URI.create("ws://127.0.0.1:" + server.port() + "/");
    }
}
