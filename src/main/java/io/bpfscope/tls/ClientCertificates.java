package io.bpfscope.tls;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * With bpfscope.tls.client-ca-file, the HTTPS server refuses at the
 * handshake a client without a certificate its CAs signed. (Quarkus's own
 * quarkus.http.ssl.client-auth is fixed when the jar is built.)
 */
@ApplicationScoped
public class ClientCertificates implements HttpServerOptionsCustomizer {

    private final TlsConfig config;

    public ClientCertificates(TlsConfig config) {
        this.config = config;
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        if (config.clientCaFile().isPresent()) {
            options.setClientAuth(ClientAuth.REQUIRED);
        }
    }
}
