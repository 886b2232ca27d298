package io.bayeuxd.ops;

import io.bayeuxd.broker.Broker;
import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.engine.MemoryEngine;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.transport.DrainEvent;
import io.bayeuxd.transport.Outbound;
import io.bayeuxd.transport.RawHttpResponse;
import io.bayeuxd.transport.websocket.WebSocketUpgraded;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations endpoint through an {@link EmbeddedChannel} with the real HTTP codec: raw requests in,
 * raw responses out, and behind it a stand-in for the Bayeux handler that answers only when told to,
 * as a held long-poll does.
 */
class OpsHttpHandlerTest {
    private final MemoryEngine engine = new MemoryEngine(16);
    private final Broker broker = new Broker(BrokerConfig.defaults(), engine, new BayeuxEncoder(), ByteBufAllocator.DEFAULT, System::nanoTime);
    private final Readiness readiness = new Readiness();
    private final BrokerMetrics metrics = new BrokerMetrics(broker, readiness);
    private final Downstream downstream = new Downstream();
    private final EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(65536),
            new OpsHttpHandler(readiness, metrics, 4), downstream);

    @AfterEach
    void close() {
        downstream.releaseAll();
        ch.finishAndReleaseAll();
        metrics.close();
        engine.close();
    }

    @Test
    void healthzIsOkThroughoutAndReadyzFollowsTheLifecycle() {
        assertThat(get("/healthz")).extracting(RawHttpResponse::status, RawHttpResponse::text).containsExactly(200, "ok\n");
        assertThat(get("/readyz")).extracting(RawHttpResponse::status, RawHttpResponse::text).containsExactly(503, "starting\n");
        readiness.serving();
        assertThat(get("/readyz")).extracting(RawHttpResponse::status, RawHttpResponse::text).containsExactly(200, "ready\n");
        readiness.drain();
        assertThat(get("/readyz")).extracting(RawHttpResponse::status, RawHttpResponse::text).containsExactly(503, "draining\n");
        readiness.serving();
        assertThat(get("/readyz").status()).as("draining is final").isEqualTo(503);
        assertThat(get("/healthz").status()).isEqualTo(200);
        assertThat(downstream.requests).isEmpty();
    }

    @Test
    void metricsArePrometheusTextUnlessOpenMetricsIsAccepted() {
        RawHttpResponse text = get("/metrics");
        assertThat(text.status()).isEqualTo(200);
        assertThat(text.headers()).containsEntry("content-type", "text/plain; version=0.0.4; charset=utf-8");
        assertThat(text.text()).contains("# TYPE bayeux_messages_published_total counter", "bayeux_connections{transport=\"websocket\"} 0.0");
        assertThat(text.text()).doesNotContain("# EOF");

        RawHttpResponse open = get("/metrics", "Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
        assertThat(open.headers()).containsEntry("content-type", "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(open.text()).contains("# TYPE bayeux_messages_published counter", "bayeux_messages_published_total 0.0")
                .endsWith("# EOF\n");
    }

    @Test
    void onlyTheExactPathsAreReservedWhateverTheMount() {
        assertThat(get("/healthz?verbose=1").status()).isEqualTo(200);
        for (String path : List.of("/metrics/", "/mount/metrics", "/healthzz", "/", "/readyz/x")) {
            send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
        }
        assertThat(downstream.requests).extracting(FullHttpRequest::uri)
                .containsExactly("/metrics/", "/mount/metrics", "/healthzz", "/", "/readyz/x");
    }

    @Test
    void otherMethodsAreRefusedAndHeadGetsHeadersOnly() {
        send("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        RawHttpResponse post = read();
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.headers()).containsEntry("allow", "GET, HEAD");

        send("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        String head = Outbound.writtenText(ch);
        assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("content-length: 3\r\n").endsWith("\r\n\r\n");
    }

    @Test
    void aProbePipelinedBehindAHeldRequestWaitsForItsTurn() {
        readiness.serving();
        send("POST /bayeux HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n[]GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST /bayeux HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n[]");
        assertThat(downstream.requests).hasSize(1);
        assertThat(readAll()).as("nothing may overtake the held request").isEmpty();

        downstream.answer("first");
        ch.runPendingTasks();
        assertThat(downstream.requests).as("the request behind the probe is passed on after it").hasSize(1);
        downstream.answer("third");
        assertThat(readAll()).extracting(RawHttpResponse::text).containsExactly("first", "ready\n", "third");
    }

    @Test
    void drainClosesAnIdleConnectionAtOnce() {
        assertThat(get("/healthz").status()).isEqualTo(200);
        ch.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        assertThat(ch.isOpen()).isFalse();
        assertThat(downstream.events).isEmpty();
    }

    @Test
    void drainOnABusyConnectionClosesItAfterItsLastResponse() {
        send("POST /bayeux HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n[]");
        ch.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        assertThat(ch.isOpen()).isTrue();
        assertThat(downstream.events).as("the Bayeux handler answers its held connect").containsExactly(DrainEvent.INSTANCE);

        downstream.answer("held");
        RawHttpResponse last = read();
        assertThat(last.text()).isEqualTo("held");
        assertThat(last.headers()).containsEntry("connection", "close");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aProbeWaitingWhenTheDrainBeginsIsAnsweredLastAndClosesTheConnection() {
        readiness.serving();
        send("POST /bayeux HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n[]GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
        readiness.drain();
        ch.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        downstream.answer("held");
        ch.runPendingTasks();

        List<RawHttpResponse> responses = readAll();
        assertThat(responses).extracting(RawHttpResponse::status).containsExactly(200, 503);
        assertThat(responses.get(0).headers()).doesNotContainEntry("connection", "close");
        assertThat(responses.get(1).headers()).containsEntry("connection", "close");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void tooManyWaitingRequestsCloseTheConnection() {
        send("POST /bayeux HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n[]" + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".repeat(5));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void removesItselfWhenTheConnectionBecomesAWebSocket() {
        ch.pipeline().fireUserEventTriggered(WebSocketUpgraded.INSTANCE);
        assertThat(ch.pipeline().get(OpsHttpHandler.class)).isNull();
        assertThat(downstream.events).containsExactly(WebSocketUpgraded.INSTANCE);
    }

    private void send(String raw) {
        ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.US_ASCII));
    }

    private RawHttpResponse get(String path, String... headers) {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: x\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        send(request.append("\r\n").toString());
        return read();
    }

    private RawHttpResponse read() {
        List<RawHttpResponse> all = readAll();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    /** Every response written so far, read strictly: whole, well-formed, each body its Content-Length. */
    private List<RawHttpResponse> readAll() {
        return RawHttpResponse.responses(ch);
    }

    /** Stands in for the Bayeux HTTP handler: keeps each request until the test answers it. */
    static final class Downstream extends ChannelInboundHandlerAdapter {
        final List<FullHttpRequest> requests = new ArrayList<>();
        final List<Object> events = new ArrayList<>();
        private ChannelHandlerContext ctx;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            requests.add((FullHttpRequest) msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }

        void answer(String body) {
            FullHttpRequest request = requests.remove(0);
            request.release();
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    ByteBufUtil.writeUtf8(ctx.alloc(), body));
            HttpUtil.setContentLength(res, res.content().readableBytes());
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            ctx.writeAndFlush(res);
        }

        void releaseAll() {
            requests.forEach(FullHttpRequest::release);
            requests.clear();
        }
    }
}
