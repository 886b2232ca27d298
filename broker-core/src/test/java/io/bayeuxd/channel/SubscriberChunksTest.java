package io.bayeuxd.channel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriberChunksTest {
    private static final int CHUNK = SubscriberChunks.CHUNK;

    @Test
    void everyChunkButTheLastIsFullAndNoVersionChangesOncePublished() {
        Object[][] chunks = SubscriberChunks.NONE;
        List<Object> model = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 3 * CHUNK + 5; i++) {
            Object s = new Object();
            chunks = SubscriberChunks.append(chunks, s);
            model.add(s);
        }
        assertShape(chunks, model.size());
        Object[][] published = chunks;
        List<Object> publishedContents = contents(published);
        while (!model.isEmpty()) {
            int at = random.nextInt(model.size());
            Object removed = model.get(at);
            assertThat(SubscriberChunks.indexOf(chunks, removed)).isEqualTo(at);
            chunks = SubscriberChunks.removeAt(chunks, at);
            // The model moves its last element into the hole, as the chunks do.
            Object last = model.remove(model.size() - 1);
            if (at < model.size()) {
                model.set(at, last);
            }
            assertThat(contents(chunks)).containsExactlyElementsOf(model);
            assertShape(chunks, model.size());
        }
        assertThat(chunks).isSameAs(SubscriberChunks.NONE);
        assertThat(contents(published)).as("an old version is untouched").containsExactlyElementsOf(publishedContents);
    }

    private static void assertShape(Object[][] chunks, int size) {
        assertThat(SubscriberChunks.size(chunks)).isEqualTo(size);
        for (int c = 0; c < chunks.length - 1; c++) {
            assertThat(chunks[c]).hasSize(CHUNK);
        }
        if (chunks.length > 0) {
            assertThat(chunks[chunks.length - 1].length).isBetween(1, CHUNK);
        }
    }

    private static List<Object> contents(Object[][] chunks) {
        List<Object> all = new ArrayList<>();
        for (Object[] chunk : chunks) {
            all.addAll(List.of(chunk));
        }
        return all;
    }
}
