package io.bpfscope.bench;

import io.bpfscope.testing.Certificates;
import io.bpfscope.testing.Certificates.Issued;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/** A throw-away CA and the daemon's certificate for 127.0.0.1 it signed, made by openssl for one run. */
record Https(Issued ca, Issued server) {

    /** Made in a new directory under {@code parent}. */
    static Https madeIn(Path parent) {
        Certificates certificates;
        try {
            certificates = Certificates.in(Files.createTempDirectory(parent, "tls"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Issued ca = certificates.authority("bench-ca");
        return new Https(ca, certificates.server(ca, "bench-server"));
    }

    /** A TLS context that trusts this CA only. */
    SSLContext trust() {
        return Certificates.context(ca, null);
    }
}
