package io.bayeuxd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A raw WebSocket test client (the JDK's), collecting each text message as a JSON array. */
final class WsClient implements WebSocket.Listener, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final CompletableFuture<Void> pinged = new CompletableFuture<>();
    final CompletableFuture<Void> ponged = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    final WebSocket socket;
    /** While set, no further frame is asked for: the socket stops being read, as a stalled client's would. */
    private volatile boolean paused;

    WsClient(HttpClient http, URI uri) {
        this(http, uri, new String[0]);
    }

    /** @param headers extra upgrade-request headers: name, value, name, value... */
    WsClient(HttpClient http, URI uri, String... headers) {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        this.socket = builder.buildAsync(uri, this).join();
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    /** Next message (one element of a received array), or fails after the timeout. */
    JsonNode next() throws InterruptedException {
        JsonNode m = messages.poll(10, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within 10 s");
        }
        return m;
    }

    JsonNode nextOn(String channel) throws InterruptedException {
        for (;;) {
            JsonNode m = next();
            if (channel.equals(m.path("channel").asText())) {
                return m;
            }
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                JsonNode frame = JSON.readTree(partial.toString());
                if (frame.isArray() && frame.isEmpty()) {
                    messages.add(frame);
                }
                frame.forEach(messages::add);
            } catch (Exception e) {
                messages.add(JSON.getNodeFactory().textNode("unparseable: " + partial));
            }
            partial.setLength(0);
        }
        if (!paused) {
            webSocket.request(1);
        }
        return null;
    }

    /** Stops reading after the frame being received now, so the server's writes back up. */
    void pause() {
        paused = true;
    }

    /** Reads again. */
    void resume() {
        paused = false;
        socket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        pinged.complete(null);
        return WebSocket.Listener.super.onPing(webSocket, message);
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        ponged.complete(null);
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
