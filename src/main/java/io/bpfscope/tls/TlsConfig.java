package io.bpfscope.tls;

import io.bpfscope.config.PositiveDuration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** {@code bpfscope.tls.*}: HTTPS on the daemon's port (see {@link TlsSettings}). */
@ConfigMapping(prefix = "bpfscope.tls")
public interface TlsConfig {

    /** The server's certificate (PEM, chain after it); HTTPS instead of HTTP when set. */
    Optional<Path> certFile();

    /** Its private key (PEM: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted). */
    Optional<Path> keyFile();

    /** When set, clients must present a certificate signed by a CA in this PEM file. */
    Optional<Path> clientCaFile();

    /** How often the files are read again: a new certificate (cert-manager's renewal) is served without a restart. */
    @WithDefault("1m")
    @WithConverter(PositiveDuration.class)
    Duration reloadPeriod();
}
