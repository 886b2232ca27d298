package io.bayeuxd.server;

import io.bayeuxd.broker.BrokerConfig;
import io.bayeuxd.transport.TransportConfig;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An embedded server built with the defaults starts exactly as {@code bayeuxd} with no flags does. */
class EmbeddedDefaultsTest {
    @Test
    void theBuildersDefaultsAreTheCommandLinesDefaults() throws Exception {
        ServerConfig embedded = ServerConfig.builder().build();
        ServerConfig commandLine = BrokerMain.parse(new String[0], Map.of());
        assertSameSettings("ServerConfig", embedded, commandLine);
    }

    @Test
    void theDriftThatWasIsGone() {
        ServerConfig embedded = ServerConfig.builder().build();
        assertThat(embedded.transport().idleTimeoutMs()).as("idle connections close 30 s after the connect timeout")
                .isEqualTo(embedded.broker().timeoutMs() + 30_000).isEqualTo(90_000);
        assertThat(embedded.transport().jsonpEnabled()).isTrue();
        assertThat(embedded.broker().connectionTypes()).contains("callback-polling");
    }

    /** Compares every getter, and those of the nested configs, so a setting added later is compared too. */
    private static void assertSameSettings(String path, Object expected, Object actual) throws Exception {
        for (Method getter : getters(expected.getClass())) {
            Object e = getter.invoke(expected);
            Object a = getter.invoke(actual);
            String name = path + "." + getter.getName() + "()";
            if (e instanceof BrokerConfig || e instanceof TransportConfig) {
                assertSameSettings(name, e, a);
            } else {
                assertThat(a).as(name).isEqualTo(e);
            }
        }
    }

    private static List<Method> getters(Class<?> type) {
        return Arrays.stream(type.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
                .filter(m -> m.getParameterCount() == 0 && m.getReturnType() != void.class)
                // Copies and builders are not settings.
                .filter(m -> !m.getName().startsWith("with") && !m.getName().startsWith("to"))
                .sorted(Comparator.comparing(Method::getName))
                .toList();
    }
}
