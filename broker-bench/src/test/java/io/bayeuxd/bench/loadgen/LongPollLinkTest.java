package io.bayeuxd.bench.loadgen;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives {@link LongPollLink} alone in an embedded pipeline: requests out, responses in. */
class LongPollLinkTest {

    private final RecordingListener listener = new RecordingListener();
    private final LongPollLink link = new LongPollLink(listener, "/cometd", "127.0.0.1:8080", new CookieJar());
    private final EmbeddedChannel channel = new EmbeddedChannel(link);

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void isUpOnceConnected() {
        assertThat(link.isUp()).isTrue();
        assertThat(listener.ups).isEqualTo(1);
    }

    @Test
    void postsAFrameAsJson() {
        link.send(frame("[{\"channel\":\"/meta/handshake\"}]"));
        assertThat((Object) channel.readOutbound()).isNull(); // nothing before flush
        link.flush();

        FullHttpRequest request = channel.readOutbound();
        try {
            assertThat(request.method()).isEqualTo(HttpMethod.POST);
            assertThat(request.uri()).isEqualTo("/cometd");
            assertThat(request.headers().get(HttpHeaderNames.HOST)).isEqualTo("127.0.0.1:8080");
            assertThat(request.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("application/json");
            assertThat(request.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(request.content().readableBytes());
            assertThat(request.content().toString(StandardCharsets.UTF_8)).isEqualTo("[{\"channel\":\"/meta/handshake\"}]");
        } finally {
            request.release();
        }
    }

    @Test
    void queuesWhileARequestIsHeldAndSendsTheQueueAsOneBatch() {
        link.send(frame("[{\"channel\":\"/meta/connect\"}]"));
        link.flush();
        release(channel.readOutbound());

        link.send(frame("[{\"channel\":\"/bench/0\",\"id\":\"1\"}]"));
        link.flush();
        link.send(frame("[{\"channel\":\"/bench/1\",\"id\":\"2\"}]"));
        link.flush();
        assertThat((Object) channel.readOutbound()).isNull();

        channel.writeInbound(response(HttpResponseStatus.OK, "[{\"channel\":\"/meta/connect\",\"successful\":true}]"));

        assertThat(listener.frames).containsExactly("[{\"channel\":\"/meta/connect\",\"successful\":true}]");
        FullHttpRequest batch = channel.readOutbound();
        try {
            assertThat(batch.content().toString(StandardCharsets.UTF_8))
                    .isEqualTo("[{\"channel\":\"/bench/0\",\"id\":\"1\"},{\"channel\":\"/bench/1\",\"id\":\"2\"}]");
        } finally {
            batch.release();
        }
    }

    @Test
    void whatTheListenerSendsInReplyLeavesAtOnce() {
        listener.onFrame = () -> {
            link.send(frame("[{\"channel\":\"/meta/connect\",\"id\":\"next\"}]"));
            link.flush();
        };
        link.send(frame("[{\"channel\":\"/meta/connect\"}]"));
        link.flush();
        release(channel.readOutbound());

        channel.writeInbound(response(HttpResponseStatus.OK, "[]"));

        FullHttpRequest next = channel.readOutbound();
        try {
            assertThat(next.content().toString(StandardCharsets.UTF_8)).contains("\"next\"");
        } finally {
            next.release();
        }
    }

    @Test
    void keepsCookiesLikeABrowser() {
        link.send(frame("[{\"channel\":\"/meta/handshake\"}]"));
        link.flush();
        release(channel.readOutbound());
        FullHttpResponse withCookie = response(HttpResponseStatus.OK, "[]");
        withCookie.headers().add(HttpHeaderNames.SET_COOKIE, "BAYEUX_BROWSER=abc123; Path=/; HttpOnly");
        channel.writeInbound(withCookie);

        link.send(frame("[{\"channel\":\"/meta/connect\"}]"));
        link.flush();

        FullHttpRequest request = channel.readOutbound();
        try {
            assertThat(request.headers().get(HttpHeaderNames.COOKIE)).isEqualTo("BAYEUX_BROWSER=abc123");
        } finally {
            request.release();
        }
    }

    @Test
    void anErrorStatusTakesTheLinkDown() {
        link.send(frame("[{\"channel\":\"/meta/connect\"}]"));
        link.flush();
        release(channel.readOutbound());

        channel.writeInbound(response(HttpResponseStatus.SERVICE_UNAVAILABLE, "busy"));

        assertThat(listener.frames).isEmpty();
        assertThat(listener.downs).containsExactly("HTTP 503 Service Unavailable");
        assertThat(link.isUp()).isFalse();
    }

    @Test
    void goingDownReleasesQueuedFramesAndRefusesNewOnes() {
        link.send(frame("[{\"channel\":\"/meta/connect\"}]"));
        link.flush();
        release(channel.readOutbound());
        ByteBuf queued = frame("[{\"channel\":\"/bench/0\"}]");
        link.send(queued);

        channel.close();

        assertThat(queued.refCnt()).isZero();
        assertThat(listener.downs).containsExactly("closed with a request outstanding");
        ByteBuf refused = frame("[{}]");
        assertThat(link.send(refused)).isFalse();
        assertThat(refused.refCnt()).isZero();
    }

    private static ByteBuf frame(String json) {
        return Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
    }

    private static FullHttpResponse response(HttpResponseStatus status, String body) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    }

    private static void release(Object message) {
        io.netty.util.ReferenceCountUtil.release(message);
    }

    static final class RecordingListener implements LinkListener {
        int ups;
        final List<String> frames = new ArrayList<>();
        final List<String> downs = new ArrayList<>();
        Runnable onFrame = () -> { };

        @Override
        public void onLinkUp(Link link) {
            ups++;
        }

        @Override
        public void onFrame(Link link, ByteBuf frame) {
            frames.add(frame.toString(StandardCharsets.UTF_8));
            onFrame.run();
        }

        @Override
        public void onLinkDown(Link link, String reason) {
            downs.add(reason);
        }
    }
}
