package io.bayeuxd.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the hostile-input tests share around each try: the swallowed-error listener, the leak watch,
 * and the channels a try opened. {@link HostileProperties} calls {@link #startTry} before each try of a
 * property, {@link #endTry} after it, and {@link #close} after the property has closed its broker; a
 * plain test calls {@link #close} after each test.
 */
public final class HostileTries implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SwallowedErrors swallowed = new SwallowedErrors();
    private final LeakWatch leaks = new LeakWatch();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    /** What the pipeline's handlers swallowed since the last {@link SwallowedErrors#drain}. */
    public SwallowedErrors swallowed() {
        return swallowed;
    }

    /** Forgets what earlier tries swallowed. */
    public void startTry() {
        swallowed.drain();
    }

    /** Finishes {@code ch}, releasing all it holds, when the try ends; returns it. */
    public EmbeddedChannel track(EmbeddedChannel ch) {
        channels.add(ch);
        return ch;
    }

    public void endTry() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        channels.clear();
    }

    /**
     * {@code ch} raised nothing, nothing reached the end of its pipeline (released here so that a failure
     * does not also leak), and no handler swallowed an exception that is not {@linkplain SwallowedErrors#isExpected expected}.
     */
    public void assertClean(EmbeddedChannel ch) {
        ch.checkException();
        List<Object> leftovers = new ArrayList<>(ch.inboundMessages());
        leftovers.forEach(ReferenceCountUtil::release);
        ch.inboundMessages().clear();
        assertThat(leftovers).as("messages that reached the end of the pipeline").isEmpty();
        assertThat(swallowed.unexpected()).as("swallowed exceptions").isEmpty();
    }

    /** The messages of a text frame, which must be a JSON array of objects. */
    public static List<JsonNode> jsonArrayOfObjects(String text) {
        JsonNode array;
        try {
            array = JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("text frame is not JSON: " + text, e);
        }
        assertThat(array.isArray()).as(text).isTrue();
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : array) {
            assertThat(m.isObject()).as(text).isTrue();
            out.add(m);
        }
        return out;
    }

    /** Stops listening for swallowed errors, then asserts that no buffer leaked. Close the broker first. */
    @Override
    public void close() {
        swallowed.close();
        try (leaks) {
            leaks.assertNoLeaks();
        }
    }
}
