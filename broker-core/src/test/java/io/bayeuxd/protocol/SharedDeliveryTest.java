package io.bayeuxd.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The kept compressed copy of a shared delivery: one kept, and released with the delivery's last reference. */
class SharedDeliveryTest {
    @Test
    void theCopyIsReleasedWithTheLastReferenceOfTheDelivery() {
        SharedDelivery delivery = new SharedDelivery(Unpooled.copiedBuffer("{\"channel\":\"/a\",\"data\":1}", StandardCharsets.UTF_8));
        ByteBuf copy = Unpooled.buffer(8).writeLong(42);
        delivery.retain(2);
        assertThat(delivery.keepDeflated(copy)).isTrue();
        assertThat(delivery.deflated()).isSameAs(copy);

        assertThat(delivery.release()).isFalse();
        assertThat(delivery.release(1)).isFalse();
        assertThat(copy.refCnt()).isEqualTo(1);
        assertThat(delivery.release()).isTrue();
        assertThat(copy.refCnt()).isZero();
        assertThat(delivery.deflated()).isNull();
    }

    @Test
    void aSecondCopyIsRefusedAndStaysTheCallers() {
        SharedDelivery delivery = new SharedDelivery(Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8));
        ByteBuf first = Unpooled.buffer(1).writeByte(1);
        ByteBuf second = Unpooled.buffer(1).writeByte(2);
        assertThat(delivery.keepDeflated(first)).isTrue();
        assertThat(delivery.keepDeflated(second)).isFalse();
        assertThat(delivery.deflated()).isSameAs(first);
        delivery.release();
        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isEqualTo(1);
        second.release();
    }

    @Test
    void theEncoderMakesSharedDeliveriesWhoseBytesAndStampAreTheWrappedOnes() {
        Message m = new Message().channel("/a").data(JsonValue.parse("{\"n\":1}"));
        ByteBuf encoded = new BayeuxEncoder().encodeDelivery(m, io.netty.buffer.ByteBufAllocator.DEFAULT, 1234L);
        try {
            assertThat(encoded).isInstanceOf(SharedDelivery.class);
            assertThat(encoded.toString(StandardCharsets.UTF_8)).isEqualTo("{\"channel\":\"/a\",\"data\":{\"n\":1}}");
            assertThat(BayeuxEncoder.publishNanos(encoded)).isEqualTo(1234L);
        } finally {
            encoded.release();
        }
    }
}
