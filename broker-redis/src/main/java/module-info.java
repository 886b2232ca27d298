/**
 * The cluster bus on Redis pub/sub (Lettuce). Internal: the transport's server builds it for
 * {@code --engine redis}; an embedding application asks for it through {@code ServerConfig}.
 */
module io.bayeuxd.redis {
    requires io.bayeuxd.core;
    requires io.netty.buffer;
    requires lettuce.core;
    requires org.slf4j;

    exports io.bayeuxd.engine.redis to io.bayeuxd.transport;
}
