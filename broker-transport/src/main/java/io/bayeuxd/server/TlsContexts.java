package io.bayeuxd.server;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.io.File;

/**
 * Builds the server's TLS context from PEM files: OpenSSL (netty-tcnative) when it is on the class path,
 * the JDK's TLS otherwise. HTTP/1.1 only, for HTTPS and WSS alike.
 */
final class TlsContexts {
    private TlsContexts() {
    }

    /** Throws {@link IllegalArgumentException} naming the file when the certificate or key cannot be used. */
    static SslContext fromPem(File certChain, File privateKey) {
        if (!certChain.canRead()) {
            throw new IllegalArgumentException("TLS certificate " + certChain + " cannot be read");
        }
        if (!privateKey.canRead()) {
            throw new IllegalArgumentException("TLS key " + privateKey + " cannot be read");
        }
        try {
            return SslContextBuilder.forServer(certChain, privateKey)
                    .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                    .applicationProtocolConfig(ApplicationProtocolConfig.DISABLED)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("TLS certificate " + certChain + " or key " + privateKey + " is not usable: " + e.getMessage());
        }
    }

    /** Which implementation {@link #fromPem} uses on this machine. */
    static String provider() {
        return OpenSsl.isAvailable() ? "openssl" : "jdk";
    }
}
