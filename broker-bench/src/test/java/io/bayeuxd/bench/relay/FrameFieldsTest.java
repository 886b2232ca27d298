package io.bayeuxd.bench.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class FrameFieldsTest {

    @Test
    void findsFieldsOfALoadGeneratorPublish() {
        ByteBuf frame = frame("[{\"channel\":\"/bench/3\",\"clientId\":\"abc\",\"data\":{\"ts\":1,\"seq\":2,\"pad\":\"xx\"},\"id\":\"17\"}]");
        try {
            assertThat(FrameFields.CHANNEL.find(frame)).isEqualTo("/bench/3");
            // "clientId":" must not be taken for "id":".
            assertThat(FrameFields.ID.find(frame)).isEqualTo("17");
            assertThat(FrameFields.SUBSCRIPTION.find(frame)).isNull();
            assertThat(frame.readerIndex()).isZero();
        } finally {
            frame.release();
        }
    }

    @Test
    void readsBetweenTheIndexesOnly() {
        ByteBuf frame = frame("xx[{\"channel\":\"/meta/subscribe\",\"subscription\":\"/bench/0\"}]");
        try {
            frame.skipBytes(2);
            assertThat(FrameFields.SUBSCRIPTION.find(frame)).isEqualTo("/bench/0");
            assertThat(FrameFields.CHANNEL.find(frame.slice(0, 14))).isNull();
        } finally {
            frame.release();
        }
    }

    @Test
    void anUnterminatedValueIsAbsent() {
        ByteBuf frame = frame("[{\"channel\":\"/bench");
        try {
            assertThat(FrameFields.CHANNEL.find(frame)).isNull();
        } finally {
            frame.release();
        }
    }

    private static ByteBuf frame(String json) {
        return Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
    }
}
