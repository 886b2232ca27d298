package io.bayeuxd.broker;

import io.bayeuxd.api.BayeuxMessage;
import io.bayeuxd.api.Extension;
import io.bayeuxd.api.ExtensionContext;
import io.bayeuxd.fanout.FrameWriter;
import io.bayeuxd.protocol.BayeuxEncoder;
import io.bayeuxd.protocol.BayeuxError;
import io.bayeuxd.protocol.Message;
import io.bayeuxd.session.Session;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitoring counters the core keeps (read by the transport's metrics at scrape time): each moves
 * once per event it names, failed replies count once each under the code they are sent with, and a
 * frame reports how many queued messages it took and when the oldest was published.
 */
class BrokerCountersTest {
    private final BrokerHarness h = new BrokerHarness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void metaCountersMoveOncePerSuccessfulRequest() {
        String a = h.handshake();
        String b = h.handshake();
        h.subscribe(a, "/x");
        h.sendOne("{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + a + "\",\"subscription\":[\"/y\",\"/z\"]}");
        h.unsubscribe(a, "/y");
        h.connect(b);
        h.disconnect(b);
        // Failures do not count as successes.
        h.sendOne("{\"channel\":\"/meta/handshake\",\"version\":\"1.0\"}");
        h.connect(b);
        h.sendOne("{\"channel\":\"/meta/subscribe\",\"clientId\":\"nobody\",\"subscription\":\"/x\"}");
        h.disconnect(b);

        assertThat(h.broker.handshakes()).isEqualTo(2);
        assertThat(h.broker.subscribes()).isEqualTo(2);
        assertThat(h.broker.unsubscribes()).isEqualTo(1);
        assertThat(h.broker.connects()).isEqualTo(1);
        assertThat(h.broker.disconnects()).isEqualTo(1);
    }

    @Test
    void eachFailedReplyCountsOnceUnderTheCodeItIsSentWith() {
        // Unknown client: 401.
        h.process("{\"channel\":\"/meta/connect\",\"clientId\":\"nobody\",\"connectionType\":\"long-polling\"}");
        // No clientId: the connect handler fails it as 401 and then as 402; the reply says 402, and only that counts.
        h.process("{\"channel\":\"/meta/connect\",\"connectionType\":\"long-polling\"}");
        // A batch: two 405s and a forbidden meta channel.
        h.send("[{\"data\":1},{\"channel\":\"/wild/*\",\"data\":1},{\"channel\":\"/meta/nope\"}]");

        assertThat(h.broker.errors(401)).isEqualTo(1);
        assertThat(h.broker.errors(402)).isEqualTo(1);
        assertThat(h.broker.errors(405)).isEqualTo(2);
        assertThat(h.broker.errors(403)).isEqualTo(1);
        assertThat(h.broker.errors(500)).isZero();
        assertThat(h.broker.otherErrors()).isZero();
    }

    @Test
    void errorsSetByExtensionsCountWithTheirCodeOrAsOther() {
        h.broker.addExtension(new Extension() {
            @Override
            public BayeuxMessage incoming(BayeuxMessage m, ExtensionContext ctx) {
                if ("/secret".equals(m.channel())) {
                    m.error(BayeuxError.channelForbidden("/secret"));
                } else if ("/custom".equals(m.channel())) {
                    m.error("499::Go away");
                } else if ("/free".equals(m.channel())) {
                    m.error("no code at all");
                }
                return m;
            }
        });
        h.send("[{\"channel\":\"/secret\",\"data\":1},{\"channel\":\"/custom\",\"data\":1},{\"channel\":\"/free\",\"data\":1}]");

        assertThat(h.broker.errors(403)).isEqualTo(1);
        assertThat(h.broker.errors(499)).as("not a Faye code").isZero();
        assertThat(h.broker.otherErrors()).isEqualTo(2);
    }

    @Test
    void errorCodesAreParsedFromTheErrorString() {
        assertThat(BayeuxError.code(BayeuxError.clientUnknown("x"))).isEqualTo(401);
        assertThat(BayeuxError.code("500")).isEqualTo(500);
        assertThat(BayeuxError.code("7::x")).isEqualTo(7);
        assertThat(BayeuxError.code("4011::x")).isEqualTo(-1);
        assertThat(BayeuxError.code("40x::x")).isEqualTo(-1);
        assertThat(BayeuxError.code(":x")).isEqualTo(-1);
        assertThat(BayeuxError.code("")).isEqualTo(-1);
    }

    @Test
    void publishAndDeliveryCountersAndTheFrameReport() {
        String a = h.subscriber("/news");
        String b = h.subscriber("/news");
        long publishedAt = h.clock.get();
        h.publish(a, "/news", "1");
        h.clock.addAndGet(1_000_000);
        h.publish(a, "/news", "2");
        h.publish(a, "/nobody-listens", "3");

        assertThat(h.broker.publishedMessages()).isEqualTo(3);
        assertThat(h.broker.queuedDeliveries()).isEqualTo(4);

        List<long[]> frames = new ArrayList<>();
        FrameWriter writer = new FrameWriter(new BayeuxEncoder(), 1,
                (messages, backlog, oldest) -> frames.add(new long[] {messages, backlog, oldest}));
        Session session = h.engine.session(a);
        BrokerHarness.toJson(writer.frame(ByteBufAllocator.DEFAULT, List.of(), session));
        BrokerHarness.toJson(writer.frame(ByteBufAllocator.DEFAULT, List.of(), session, Integer.MAX_VALUE));
        BrokerHarness.toJson(writer.frame(ByteBufAllocator.DEFAULT, List.of(new Message().channel("/meta/connect")), session));

        assertThat(frames).as("one report per frame that carried messages, none for a reply-only frame").hasSize(2);
        assertThat(frames.get(0)).containsExactly(1, 2, publishedAt);
        assertThat(frames.get(1)).containsExactly(1, 1, publishedAt + 1_000_000);
    }

    @Test
    void messagesLeftQueuedWhenASessionEndsAreCountedAsDiscarded() {
        String a = h.subscriber("/x");
        h.publish(a, "/x", "1");
        h.publish(a, "/x", "2");
        h.disconnect(a);

        assertThat(h.engine.discardedMessages()).isEqualTo(2);
        assertThat(h.engine.droppedMessages()).isZero();
    }
}
