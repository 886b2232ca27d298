/**
 * The network side and the runnable server: HTTP, long-polling, WebSocket, operations and the bootstrap.
 *
 * <p>Exported to everyone: {@code io.bayeuxd.server} ({@code BrokerServer}, {@code ServerConfig} and its
 * builder, {@code BrokerMain}) and {@code io.bayeuxd.transport} ({@code TransportConfig}, which
 * {@code ServerConfig} carries). Every other package is internal.
 */
module io.bayeuxd.transport {
    requires transitive io.bayeuxd.core;
    requires io.bayeuxd.jwt;
    requires io.bayeuxd.redis;

    requires transitive io.netty.transport;
    requires io.netty.codec;
    requires io.netty.codec.compression;
    requires io.netty.codec.http;
    requires io.netty.handler;
    requires io.netty.transport.classes.epoll;

    requires ch.qos.logback.classic;
    requires ch.qos.logback.core;
    requires com.fasterxml.jackson.annotation;
    requires info.picocli;
    requires jdk.management;
    requires micrometer.core;
    requires micrometer.registry.prometheus;
    requires org.slf4j;

    exports io.bayeuxd.server;
    exports io.bayeuxd.transport;

    // Reflection: picocli reads BrokerMain's options, Jackson writes the HTTP API's answers.
    opens io.bayeuxd.server to info.picocli;
    opens io.bayeuxd.ops.api to com.fasterxml.jackson.databind;
}
