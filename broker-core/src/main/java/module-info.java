/**
 * The broker's engine: codec, channels, sessions, fan-out, storage and the security policies.
 *
 * <p>What an embedding application uses is exported to everyone: {@code io.bayeuxd.api} (extensions,
 * security policies, server events and the message view extensions get), {@code io.bayeuxd.protocol}
 * for the value types those signatures carry ({@code JsonValue}, {@code BayeuxError}, {@code Advice}), and
 * {@code io.bayeuxd.broker} for {@code LocalClient} and {@code BrokerConfig}. Every other package is
 * internal and exported only to the sibling modules that build on it.
 */
module io.bayeuxd.core {
    requires transitive com.fasterxml.jackson.databind;
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires com.fasterxml.jackson.core;
    requires java.net.http;
    requires org.jctools.core;
    requires org.slf4j;

    exports io.bayeuxd.api;
    exports io.bayeuxd.protocol;
    exports io.bayeuxd.broker;

    exports io.bayeuxd.channel to io.bayeuxd.jwt, io.bayeuxd.transport;
    exports io.bayeuxd.config to io.bayeuxd.transport;
    exports io.bayeuxd.engine to io.bayeuxd.redis, io.bayeuxd.transport;
    exports io.bayeuxd.fanout to io.bayeuxd.transport;
    exports io.bayeuxd.security to io.bayeuxd.transport;
    exports io.bayeuxd.security.webhook to io.bayeuxd.transport;
    exports io.bayeuxd.session to io.bayeuxd.redis, io.bayeuxd.transport;
    exports io.bayeuxd.storage to io.bayeuxd.transport;
}
