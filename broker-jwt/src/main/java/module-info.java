/**
 * JWT authentication as a {@code SecurityPolicy}: exported to everyone, as an embedding application may
 * install {@code JwtSecurityPolicy} itself ({@code ServerConfig.Builder#securityPolicy}). It uses only the
 * public API of the core, and {@code ChannelName} for its channel patterns.
 */
module io.bayeuxd.jwt {
    requires io.bayeuxd.core;
    requires com.nimbusds.jose.jwt;
    requires org.slf4j;

    exports io.bayeuxd.security.jwt;
}
