package io.bayeuxd.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.broker.Broker;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.engine.MemoryEngine;
import io.bayeuxd.fanout.FrameWriter;
import io.bayeuxd.protocol.BayeuxDecoder;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.transport.Outbound;
import io.bayeuxd.transport.RawHttpResponse;
import io.bayeuxd.transport.TransportConfig;
import io.bayeuxd.transport.longpoll.PollingResponder;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The polling transports driven through an {@link EmbeddedChannel} with the real HTTP codec: raw request
 * bytes in, raw response bytes out.
 */
class HttpTransportTest {

    private final MemoryEngine engine = new MemoryEngine(1024);
    private final Broker broker = new Broker(BrokerConfig.builder().timeoutMs(5_000).build(), engine, new BayeuxEncoder(),
            ByteBufAllocator.DEFAULT, System::nanoTime);
    private final BayeuxDecoder decoder = new BayeuxDecoder();
    private final PollingResponder responder = new PollingResponder(broker, new FrameWriter(new BayeuxEncoder(), 100));
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        engine.close();
    }

    private EmbeddedChannel channel(TransportConfig config) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(config.maxMessageBytes()),
                new BayeuxHttpHandler(config, decoder, responder));
        ch.freezeTime();
        channels.add(ch);
        return ch;
    }

    private EmbeddedChannel channel() {
        return channel(TransportConfig.defaults());
    }

    static String post(String path, String contentType, String body, String... headers) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n");
        if (contentType != null) {
            sb.append("Content-Type: ").append(contentType).append("\r\n");
        }
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        return sb.append("Content-Length: ").append(bytes.length).append("\r\n\r\n").append(body).toString();
    }

    static String get(String pathAndQuery, String... headers) {
        StringBuilder sb = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    static String json(String body) {
        return post("/", "application/json", body);
    }

    static void write(EmbeddedChannel ch, String raw) {
        ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.UTF_8));
        ch.runPendingTasks();
    }

    /** The one HTTP response the channel has written since the last read, read strictly, or null if none. */
    static RawHttpResponse read(EmbeddedChannel ch) {
        List<RawHttpResponse> responses = RawHttpResponse.responses(ch);
        assertThat(responses).as("responses written").hasSizeLessThanOrEqualTo(1);
        return responses.isEmpty() ? null : responses.get(0);
    }

    private String handshake(EmbeddedChannel ch) throws Exception {
        write(ch, json("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}"));
        return read(ch).json().get(0).get("clientId").asText();
    }

    @Test
    void postJsonGetsJsonWithFayeHeaders() throws Exception {
        EmbeddedChannel ch = channel();
        write(ch, json("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"],\"id\":\"a\"}]"));
        RawHttpResponse r = read(ch);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("content-type", "application/json; charset=utf-8")
                .containsEntry("cache-control", "no-cache, no-store")
                .containsEntry("x-content-type-options", "nosniff")
                .containsEntry("content-length", Integer.toString(r.body().length));
        assertThat(r.json().get(0).get("successful").asBoolean()).isTrue();
        assertThat(r.json().get(0).get("id").asText()).isEqualTo("a");
    }

    @Test
    void formBodyIsCrossOriginLongPolling() throws Exception {
        EmbeddedChannel ch = channel();
        String message = "{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"cross-origin-long-polling\"]}";
        write(ch, post("/", null, "message=" + URLEncoder.encode(message, StandardCharsets.UTF_8), "Origin: http://app.example"));
        RawHttpResponse r = read(ch);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("access-control-allow-origin", "http://app.example")
                .containsEntry("access-control-allow-credentials", "true");
        assertThat(r.json().get(0).get("clientId").asText()).hasSize(31);
    }

    @Test
    void getIsCallbackPollingWrappedInJsonp() throws Exception {
        EmbeddedChannel ch = channel();
        String message = URLEncoder.encode("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"callback-polling\"]}",
                StandardCharsets.UTF_8);
        write(ch, get("/?message=" + message + "&jsonp=__jsonp1__"));
        RawHttpResponse r = read(ch);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("content-type", "text/javascript; charset=utf-8")
                .containsEntry("content-disposition", "attachment; filename=f.txt");
        assertThat(r.text()).startsWith("/**/__jsonp1__([{").endsWith("]);");

        write(ch, get("/?message=" + message));
        assertThat(read(ch).text()).startsWith("/**/jsonpcallback([");

        write(ch, get("/?message=" + message + "&jsonp=alert(1)"));
        RawHttpResponse bad = read(ch);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).isEqualTo("Bad request");
    }

    @Test
    void corsPreflightAsFaye() {
        EmbeddedChannel ch = channel();
        write(ch, "OPTIONS / HTTP/1.1\r\nHost: localhost\r\nOrigin: http://app.example\r\nAccess-Control-Request-Method: POST\r\n\r\n");
        RawHttpResponse r = read(ch);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("access-control-allow-origin", "http://app.example")
                .containsEntry("access-control-allow-credentials", "true")
                .containsEntry("access-control-allow-methods", "POST, GET")
                .containsEntry("access-control-allow-headers", "Accept, Authorization, Content-Type, Pragma, X-Requested-With")
                .containsEntry("access-control-max-age", "86400");
    }

    @Test
    void disallowedOriginIsForbidden() {
        EmbeddedChannel ch = channel(TransportConfig.builder().allowedOrigins(List.of("http://good.example")).build());
        write(ch, post("/", "application/json", "[]", "Origin: http://evil.example"));
        assertThat(read(ch).status()).isEqualTo(403);
        write(ch, post("/", "application/json", "[]", "Origin: http://good.example"));
        assertThat(read(ch).status()).isEqualTo(200);
    }

    @Test
    void transportGarbageGets400AndTheConnectionStaysUsable() throws Exception {
        EmbeddedChannel ch = channel();
        for (String body : List.of("{not json", "\"a string\"", "42", "[1,2]", "", "{\"channel\":\"/a\"}garbage")) {
            write(ch, json(body));
            RawHttpResponse r = read(ch);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.text()).isEqualTo("Bad request");
            assertThat(r.headers()).containsEntry("content-type", "text/plain; charset=utf-8");
        }
        write(ch, get("/"));
        assertThat(read(ch).status()).isEqualTo(400);
        write(ch, "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n[]");
        assertThat(read(ch).status()).isEqualTo(400);
        assertThat(handshake(ch)).hasSize(31);
    }

    @Test
    void pathsOutsideTheMountAre404() {
        EmbeddedChannel ch = channel(TransportConfig.builder().mount("/bayeux").build());
        write(ch, json("[]"));
        assertThat(read(ch).status()).isEqualTo(404);
        write(ch, post("/bayeux/x", "application/json", "[]"));
        assertThat(read(ch).status()).isEqualTo(200);
    }

    @Test
    void oversizeBodyGets413() {
        EmbeddedChannel ch = channel(TransportConfig.builder().maxMessageBytes(1024).build());
        write(ch, json("[" + "{},".repeat(600) + "{}]"));
        assertThat(read(ch).status()).isEqualTo(413);
    }

    @Test
    void heldConnectIsAnsweredWithTheMessageThatArrives() throws Exception {
        EmbeddedChannel subscriber = channel();
        String id = handshake(subscriber);
        write(subscriber, json("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/news\"}"));
        assertThat(read(subscriber).json().get(0).get("successful").asBoolean()).isTrue();
        write(subscriber, json("{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"long-polling\"}"));
        assertThat(read(subscriber)).isNull();

        EmbeddedChannel publisher = channel();
        write(publisher, json("{\"channel\":\"/news\",\"data\":{\"n\":1}}"));
        assertThat(read(publisher).json().get(0).get("successful").asBoolean()).isTrue();

        subscriber.runPendingTasks();
        JsonNode body = read(subscriber).json();
        assertThat(body.get(0).get("channel").asText()).isEqualTo("/meta/connect");
        assertThat(body.get(0).get("successful").asBoolean()).isTrue();
        assertThat(body.get(1).get("channel").asText()).isEqualTo("/news");
        assertThat(body.get(1).get("data").get("n").asInt()).isEqualTo(1);
    }

    @Test
    void heldConnectTimesOutEmptyAndPipelinedRequestsKeepTheirOrder() throws Exception {
        EmbeddedChannel ch = channel();
        String id = handshake(ch);
        write(ch, json("{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"long-polling\",\"id\":\"c\"}")
                + json("{\"channel\":\"/x\",\"data\":1,\"id\":\"p\"}"));
        assertThat(read(ch)).isNull();
        ch.advanceTimeBy(5, TimeUnit.SECONDS);
        ch.runPendingTasks();
        ch.runScheduledPendingTasks();
        String all = Outbound.writtenText(ch);
        int first = all.indexOf("\"id\":\"c\"");
        int second = all.indexOf("\"id\":\"p\"");
        assertThat(first).isPositive();
        assertThat(second).isGreaterThan(first);
    }

    @Test
    void connectWithQueuedMessagesIsAnsweredAtOnce() throws Exception {
        EmbeddedChannel ch = channel();
        String id = handshake(ch);
        write(ch, json("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + id + "\",\"subscription\":\"/q\"}"));
        read(ch);
        write(ch, json("[{\"channel\":\"/q\",\"data\":1},{\"channel\":\"/q\",\"data\":2}]"));
        read(ch);
        write(ch, json("{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"long-polling\"}"));
        JsonNode body = read(ch).json();
        assertThat(body).hasSize(3);
        assertThat(body.get(1).get("data").asInt()).isEqualTo(1);
        assertThat(body.get(2).get("data").asInt()).isEqualTo(2);
    }

    @Test
    void heldConnectIsReleasedWithReconnectNoneWhenTheClientDisconnects() throws Exception {
        EmbeddedChannel poll = channel();
        String id = handshake(poll);
        write(poll, json("{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"long-polling\"}"));
        assertThat(read(poll)).isNull();
        EmbeddedChannel other = channel();
        write(other, json("{\"channel\":\"/meta/disconnect\",\"clientId\":\"" + id + "\"}"));
        assertThat(read(other).json().get(0).get("successful").asBoolean()).isTrue();
        poll.runPendingTasks();
        JsonNode connect = read(poll).json().get(0);
        assertThat(connect.get("channel").asText()).isEqualTo("/meta/connect");
        assertThat(connect.get("advice").get("reconnect").asText()).isEqualTo("none");
    }
}
