package io.bayeuxd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.transport.HostileInputs;
import io.bayeuxd.transport.LeakWatch;
import io.bayeuxd.transport.TransportConfig;
import io.bayeuxd.transport.WebSocketWire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hundred well-behaved WebSocket clients exchange messages through a running broker while three other
 * connections flood it with garbage for the same period: random bytes over raw TCP, malformed and
 * oversized HTTP, and bad JSON, binary, oversized and malformed frames over WebSockets. Every client
 * must get every message meant for it exactly once. Delivery latency is printed, not asserted.
 *
 * <p>Everything is bounded: the flood runs for {@link #FLOOD_MS} or a fixed number of iterations,
 * whichever ends first, and every wait has a deadline. Traffic goes to 127.0.0.1 only.
 */
class GarbageFloodTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 100;
    private static final int ROOMS = 4;
    private static final int MESSAGES_PER_CLIENT = 50;
    /** The first messages of each client go to {@code /flood/all/<client>}, which everyone gets; the rest to its room. */
    private static final int SHOUTS_PER_CLIENT = 5;
    private static final int EXPECTED_PER_CLIENT =
            CLIENTS / ROOMS * (MESSAGES_PER_CLIENT - SHOUTS_PER_CLIENT) + CLIENTS * SHOUTS_PER_CLIENT;
    private static final long FLOOD_MS = 3_000;
    private static final int MAX_MESSAGE_BYTES = 64 * 1024;

    private final Map<String, LongAdder> floodStats = new ConcurrentHashMap<>();

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void wellBehavedClientsLoseNothingWhileOthersFloodGarbage() throws Exception {
        ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2)
                .broker(BrokerConfig.builder().timeoutMs(60_000).build())
                .transport(TransportConfig.builder().maxMessageBytes(MAX_MESSAGE_BYTES).build())
                .build();
        try (LeakWatch leaks = new LeakWatch()) {
            floodWhileClientsTalk(config);
            leaks.assertNoLeaks();
        }
    }

    private void floodWhileClientsTalk(ServerConfig config) throws Exception {
        try (BrokerServer server = new BrokerServer(config).start()) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/bayeux");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

            List<GoodClient> clients = new ArrayList<>(CLIENTS);
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(new GoodClient(i, http, uri));
            }
            for (GoodClient c : clients) {
                c.handshakeSubscribeAndConnect();
            }
            for (GoodClient c : clients) {
                c.awaitSubscribed();
            }

            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLOOD_MS);
            List<Thread> flooders = List.of(
                    new Thread(() -> floodRawTcp(address, deadline, new Random(1)), "flood-tcp"),
                    new Thread(() -> floodHttp(address, deadline, new Random(2)), "flood-http"),
                    new Thread(() -> floodWebSockets(http, uri, address, deadline, new Random(3)), "flood-ws"));
            flooders.forEach(Thread::start);

            long pause = FLOOD_MS / MESSAGES_PER_CLIENT;
            for (int n = 0; n < MESSAGES_PER_CLIENT; n++) {
                for (GoodClient c : clients) {
                    c.publish(n);
                }
                Thread.sleep(pause);
            }
            for (Thread t : flooders) {
                t.join(TimeUnit.SECONDS.toMillis(20));
                assertThat(t.isAlive()).as("%s ended", t.getName()).isFalse();
            }

            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < waitUntil && clients.stream().anyMatch(c -> !c.isComplete())) {
                Thread.sleep(50);
            }

            printLatency(clients);
            System.out.println("flood: " + new TreeMap<>(floodStats));
            for (GoodClient c : clients) {
                c.assertGotEverythingOnce();
            }
            // The broker still serves a newcomer.
            GoodClient late = new GoodClient(CLIENTS, http, uri);
            late.handshakeSubscribeAndConnect();
            late.awaitSubscribed();
            clients.forEach(GoodClient::close);
            late.close();
        }
    }

    private static void printLatency(List<GoodClient> clients) {
        long[] all = clients.stream().flatMapToLong(c -> Arrays.stream(c.latencies())).sorted().toArray();
        if (all.length == 0) {
            System.out.println("latency: no deliveries");
            return;
        }
        System.out.printf("latency over %d deliveries: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", all.length,
                all[all.length / 2] / 1e6, all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)] / 1e6,
                all[all.length - 1] / 1e6);
    }

    private void count(String what) {
        floodStats.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    // ---- the well-behaved clients ----

    /** A JDK WebSocket client that subscribes to its room and to everyone's shouts, and counts what arrives. */
    private static final class GoodClient implements WebSocket.Listener {
        private final int index;
        private final WebSocket socket;
        private final StringBuilder partial = new StringBuilder();
        private final CompletableFuture<String> clientId = new CompletableFuture<>();
        private final CountDownLatch subscribed = new CountDownLatch(2);
        private final BitSet seen = new BitSet(CLIENTS * MESSAGES_PER_CLIENT);
        private final long[] latencies = new long[EXPECTED_PER_CLIENT];
        private int received;
        private int duplicates;
        private int acks;
        private final List<String> unexpected = new ArrayList<>();

        GoodClient(int index, HttpClient http, URI uri) {
            this.index = index;
            this.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, this).join();
        }

        private int room() {
            return index % ROOMS;
        }

        void handshakeSubscribeAndConnect() throws Exception {
            socket.sendText("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]", true).join();
            String id = clientId.get(10, TimeUnit.SECONDS);
            socket.sendText("[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/flood/room/" + room() + "\"},"
                    + "{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/flood/all/*\"}]", true).join();
            socket.sendText("[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"websocket\"}]", true).join();
        }

        void awaitSubscribed() throws InterruptedException {
            assertThat(subscribed.await(10, TimeUnit.SECONDS)).as("client %d subscribed", index).isTrue();
        }

        void publish(int n) {
            String channel = n < SHOUTS_PER_CLIENT ? "/flood/all/" + index : "/flood/room/" + room();
            String json = "[{\"channel\":\"" + channel + "\",\"clientId\":\"" + clientId.join() + "\",\"id\":\"" + n
                    + "\",\"data\":{\"s\":" + index + ",\"n\":" + n + ",\"t\":" + System.nanoTime() + "}}]";
            socket.sendText(json, true).join();
        }

        @Override
        public synchronized CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                long now = System.nanoTime();
                try {
                    for (JsonNode m : JSON.readTree(partial.toString())) {
                        onMessage(m, now);
                    }
                } catch (IOException e) {
                    unexpected.add("unparseable: " + partial);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        private void onMessage(JsonNode m, long now) {
            String channel = m.path("channel").asText();
            if (channel.equals("/meta/handshake") && m.path("successful").asBoolean()) {
                clientId.complete(m.get("clientId").asText());
            } else if (channel.equals("/meta/subscribe") && m.path("successful").asBoolean()) {
                subscribed.countDown();
            } else if (channel.startsWith("/flood/") && m.has("successful")) {
                if (m.get("successful").asBoolean()) {
                    acks++;
                } else {
                    unexpected.add(m.toString());
                }
            } else if (channel.startsWith("/flood/") && m.has("data")) {
                JsonNode d = m.get("data");
                int sender = d.path("s").asInt(-1);
                int n = d.path("n").asInt(-1);
                boolean shout = channel.startsWith("/flood/all/");
                boolean meant = sender >= 0 && sender < CLIENTS && n >= 0 && n < MESSAGES_PER_CLIENT
                        && shout == (n < SHOUTS_PER_CLIENT) && (shout || sender % ROOMS == room());
                if (!meant) {
                    unexpected.add(m.toString());
                    return;
                }
                int key = sender * MESSAGES_PER_CLIENT + n;
                if (seen.get(key)) {
                    duplicates++;
                    return;
                }
                seen.set(key);
                latencies[received++] = now - d.get("t").asLong();
            } else {
                unexpected.add(m.toString());
            }
        }

        synchronized boolean isComplete() {
            return received == EXPECTED_PER_CLIENT && acks == MESSAGES_PER_CLIENT;
        }

        synchronized long[] latencies() {
            return Arrays.copyOf(latencies, received);
        }

        synchronized void assertGotEverythingOnce() {
            assertThat(unexpected).as("client %d: unexpected messages", index).isEmpty();
            assertThat(duplicates).as("client %d: duplicates", index).isZero();
            assertThat(acks).as("client %d: publish replies", index).isEqualTo(MESSAGES_PER_CLIENT);
            assertThat(received).as("client %d: messages received", index).isEqualTo(EXPECTED_PER_CLIENT);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            synchronized (this) {
                unexpected.add("closed by the server: " + statusCode + " " + reason);
            }
            return null;
        }

        void close() {
            socket.abort();
        }
    }

    // ---- the flooders ----

    /** Random bytes over raw TCP, a third of them behind the start of a plausible request. */
    private void floodRawTcp(InetSocketAddress address, long deadline, Random rnd) {
        String[] starts = {"", "POST / HTTP/1.1\r\nContent-Length: 99999\r\n\r\n", "GET / HTTP/1.1\r\n", "GET /bayeux HTTP/1.1\r\nUpgrade: websocket\r\n"};
        for (int i = 0; i < 5_000 && System.nanoTime() < deadline; i++) {
            byte[] junk = new byte[1 + rnd.nextInt(4096)];
            rnd.nextBytes(junk);
            byte[] start = starts[rnd.nextInt(starts.length)].getBytes(StandardCharsets.US_ASCII);
            try (Socket s = new Socket()) {
                s.connect(address, 1_000);
                s.getOutputStream().write(HostileInputs.concat(start, junk));
                count("tcp: connections");
                if (rnd.nextInt(4) == 0) {
                    countResponses("tcp", readFor(s, 20));
                }
            } catch (IOException e) {
                count("tcp: io errors");
            }
        }
    }

    /** Pipelined malformed, hostile and oversized HTTP requests on keep-alive connections. */
    private void floodHttp(InetSocketAddress address, long deadline, Random rnd) {
        byte[] template = "[{\"channel\":\"/garbage/a\",\"data\":{\"x\":[1,2,{\"y\":\"z\"}]},\"id\":\"1\"},{\"channel\":\"/meta/subscribe\",\"clientId\":\"x\",\"subscription\":\"/garbage/*\"}]"
                .getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 2_000 && System.nanoTime() < deadline; i++) {
            ByteArrayOutputStream requests = new ByteArrayOutputStream();
            int n = 1 + rnd.nextInt(8);
            for (int r = 0; r < n; r++) {
                requests.writeBytes(hostileRequest(rnd, template));
            }
            try (Socket s = new Socket()) {
                s.connect(address, 1_000);
                s.getOutputStream().write(requests.toByteArray());
                floodStats.computeIfAbsent("http: requests sent", k -> new LongAdder()).add(n);
                countResponses("http", readFor(s, 40));
            } catch (IOException e) {
                count("http: io errors");
            }
        }
    }

    private static byte[] hostileRequest(Random rnd, byte[] template) {
        switch (rnd.nextInt(8)) {
            case 0 -> {
                return post("application/json", new byte[MAX_MESSAGE_BYTES + 1 + rnd.nextInt(4096)]);
            }
            case 1 -> {
                return "GET /?message=%zz&jsonp=x HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            }
            case 2 -> {
                return ("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Long: " + "v".repeat(rnd.nextInt(10_000))
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            }
            case 3 -> {
                return ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(rnd.nextInt()) + "\r\nabc\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
            }
            default -> {
                List<HostileInputs.Mutation> mutations = new ArrayList<>();
                for (int m = 1 + rnd.nextInt(4); m > 0; m--) {
                    byte[] insert = new byte[1 + rnd.nextInt(8)];
                    rnd.nextBytes(insert);
                    HostileInputs.Mutation.Kind[] kinds = HostileInputs.Mutation.Kind.values();
                    mutations.add(new HostileInputs.Mutation(kinds[rnd.nextInt(kinds.length)], rnd.nextInt(Integer.MAX_VALUE),
                            1 + rnd.nextInt(64), insert));
                }
                return post(rnd.nextBoolean() ? "application/json" : "application/x-www-form-urlencoded",
                        HostileInputs.mutate(template, mutations));
            }
        }
    }

    private static byte[] post(String type, byte[] body) {
        return HostileInputs.concat(("POST /bayeux HTTP/1.1\r\nHost: x\r\nContent-Type: " + type + "\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), body);
    }

    /**
     * Alternates between a JDK WebSocket that sends bad JSON, binary and oversized messages, and raw
     * sockets that upgrade and send one malformed frame, whose answer is read to its end and checked.
     */
    private void floodWebSockets(HttpClient http, URI uri, InetSocketAddress address, long deadline, Random rnd) {
        for (int i = 0; i < 1_000 && System.nanoTime() < deadline; i++) {
            if (rnd.nextBoolean()) {
                floodOneJdkSocket(http, uri, deadline, rnd);
            } else {
                sendOneBadFrame(address, rnd);
            }
        }
    }

    private void floodOneJdkSocket(HttpClient http, URI uri, long deadline, Random rnd) {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket ws;
        try {
            ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(2)).buildAsync(uri, new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                    closed.complete(code);
                    return null;
                }

                @Override
                public void onError(WebSocket w, Throwable error) {
                    closed.complete(-1);
                }
            }).get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            count("ws: connect failures");
            return;
        }
        try {
            for (int k = 0; k < 50 && System.nanoTime() < deadline && !closed.isDone(); k++) {
                switch (rnd.nextInt(10)) {
                    case 0 -> ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(2, TimeUnit.SECONDS);
                    case 1 -> ws.sendText("x".repeat(MAX_MESSAGE_BYTES + 1), true).get(2, TimeUnit.SECONDS);
                    case 2 -> ws.sendText("{not json", true).get(2, TimeUnit.SECONDS);
                    case 3 -> ws.sendText("[" + "[".repeat(100) + "]".repeat(100) + "]", true).get(2, TimeUnit.SECONDS);
                    default -> {
                        byte[] body = "[{\"channel\":\"/garbage/b\",\"data\":[1,{\"a\":\"\u00e9\"}]},{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]"
                                .getBytes(StandardCharsets.UTF_8);
                        byte[] insert = new byte[1 + rnd.nextInt(4)];
                        rnd.nextBytes(insert);
                        byte[] mutated = HostileInputs.mutate(body, List.of(new HostileInputs.Mutation(
                                HostileInputs.Mutation.Kind.values()[rnd.nextInt(6)], rnd.nextInt(Integer.MAX_VALUE), 1 + rnd.nextInt(8), insert)));
                        // The JDK client only sends valid UTF-16 text; bytes that are not UTF-8 become U+FFFD.
                        ws.sendText(new String(mutated, StandardCharsets.UTF_8), true).get(2, TimeUnit.SECONDS);
                    }
                }
                count("ws: messages sent");
            }
            Integer code = closed.getNow(null);
            count(code == null ? "ws: left open" : "ws: closed " + code);
        } catch (Exception e) {
            count("ws: send failures (closed by server)");
        } finally {
            ws.abort();
        }
    }

    private void sendOneBadFrame(InetSocketAddress address, Random rnd) {
        byte[] frame = switch (rnd.nextInt(5)) {
            // A header announcing 2^40 bytes: over the limit before any payload arrives.
            case 0 -> new byte[] {(byte) 0x81, (byte) 0xFF, 0, 0, 1, 0, 0, 0, 0, 0, 1, 2, 3, 4};
            case 1 -> WebSocketWire.frame(true, 0, WebSocketWire.TEXT, "[]".getBytes(StandardCharsets.US_ASCII), false);
            case 2 -> WebSocketWire.frame(true, 0, 3 + rnd.nextInt(5), new byte[8], true);
            case 3 -> WebSocketWire.frame(false, 0, WebSocketWire.PING, new byte[4], true);
            default -> WebSocketWire.text(new byte[MAX_MESSAGE_BYTES + 1]);
        };
        try (Socket s = new Socket()) {
            s.connect(address, 1_000);
            s.getOutputStream().write(WebSocketWire.upgradeRequest("/bayeux"));
            byte[] head = readHead(s.getInputStream());
            if (!new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
                count("raw ws: not upgraded");
                return;
            }
            s.getOutputStream().write(frame);
            byte[] answer = readFor(s, 1_000);
            List<WebSocketWire.ServerFrame> frames = WebSocketWire.read(answer);
            long closes = frames.stream().filter(f -> f.opcode() == WebSocketWire.CLOSE).count();
            count("raw ws: " + closes + " close frame(s), code " + frames.stream().filter(f -> f.opcode() == WebSocketWire.CLOSE)
                    .map(f -> Integer.toString(f.closeCode())).toList());
        } catch (IOException e) {
            count("raw ws: io errors");
        }
    }

    /** The response head up to the blank line. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        int state = 0;
        while (state < 4 && out.size() < 8192 && (b = in.read()) >= 0) {
            out.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return out.toByteArray();
    }

    /** Whatever the server sends within {@code ms}, or until it closes. */
    private static byte[] readFor(Socket s, long ms) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        byte[] buf = new byte[8192];
        InputStream in = s.getInputStream();
        while (System.nanoTime() < end && out.size() < 1 << 20) {
            s.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            try {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
            } catch (SocketTimeoutException e) {
                break;
            } catch (IOException e) {
                // Reset by the server after it gave up on us: what arrived before counts.
                break;
            }
        }
        return out.toByteArray();
    }

    private void countResponses(String who, byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        for (int at = text.indexOf("HTTP/1.1 "); at >= 0; at = text.indexOf("HTTP/1.1 ", at + 1)) {
            if (at + 12 <= text.length()) {
                count(who + ": " + text.substring(at + 9, at + 12));
            }
        }
    }
}
