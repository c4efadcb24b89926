package io.bpfscope.tls;

import io.bpfscope.probe.BundledProbes;
import io.bpfscope.probe.StartupFailure;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The certificate files while the daemon runs: read every reload period,
 * and when their bytes changed and they are good, loaded into the TLS
 * registry, whose update the HTTP server applies to new connections. Files
 * that changed and are not good are left alone, and the log says why,
 * once. (The registry's own reload-period would push the same options to
 * the server every period, changed or not.) At start, stops the daemon when
 * {@link TlsSettings} found the files bad.
 */
@ApplicationScoped
public class TlsReloads {

    /** The name the registry and the HTTP server give the default TLS configuration. */
    static final String DEFAULT_CONFIGURATION = "<default>";
    private static final Logger LOG = Logger.getLogger(TlsReloads.class);

    private final TlsConfig config;
    private final TlsConfigurationRegistry registry;
    private final Event<CertificateUpdatedEvent> updates;
    private volatile BigInteger serving;
    private volatile Thread watcher;

    public TlsReloads(TlsConfig config, TlsConfigurationRegistry registry, Event<CertificateUpdatedEvent> updates) {
        this.config = config;
        this.registry = registry;
        this.updates = updates;
    }

    void onStart(@Observes @Priority(BundledProbes.START - 10) StartupEvent event) {
        TlsSettings.problem().ifPresent(problem -> new StartupFailure(problem).haltProcess(LOG));
        if (config.certFile().isEmpty() || config.keyFile().isEmpty()) {
            return;
        }
        Optional<X509Certificate> certificate = currentCertificate();
        if (certificate.isEmpty()) {
            // quarkus.tls.* set explicitly took the place of bpfscope.tls.*: theirs to reload.
            LOG.warnf("bpfscope.tls.* is set, but the TLS registry's default configuration holds no certificate;"
                    + " the files are not watched");
            return;
        }
        serving = certificate.get().getSerialNumber();
        LOG.infof("HTTPS with %s (%s), checked for a new one every %d ms%s", describe(certificate.get()),
                config.certFile().get(), config.reloadPeriod().toMillis(), config.clientCaFile()
                        .map(ca -> "; clients need a certificate signed by a CA in " + ca).orElse(""));
        watcher = Thread.ofVirtual().name("bpfscope-tls-files").start(this::watch);
    }

    void onStop(@Observes ShutdownEvent event) {
        Thread running = watcher;
        if (running != null) {
            running.interrupt();
        }
    }

    void onUpdate(@Observes CertificateUpdatedEvent event) {
        currentCertificate().filter(certificate -> !certificate.getSerialNumber().equals(serving))
                .ifPresent(certificate -> {
                    serving = certificate.getSerialNumber();
                    LOG.infof("HTTPS now with %s", describe(certificate));
                });
    }

    private void watch() {
        List<byte[]> seen = contents();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(config.reloadPeriod());
            } catch (InterruptedException e) {
                return;
            }
            List<byte[]> now = contents();
            if (same(now, seen)) {
                continue;
            }
            seen = now;
            try {
                TlsFiles.check(config.certFile().orElseThrow(), config.keyFile().orElseThrow(), config.clientCaFile());
            } catch (TlsFiles.Invalid invalid) {
                LOG.warnf("%s; still serving serial %s until the files are fixed", invalid.getMessage(),
                        serving.toString(16));
                continue;
            }
            TlsConfiguration tls = registry.getDefault().orElseThrow();
            if (tls.reload()) {
                updates.fire(new CertificateUpdatedEvent(DEFAULT_CONFIGURATION, tls));
            } else {
                LOG.warnf("the TLS registry could not load the changed files; still serving serial %s",
                        serving.toString(16));
            }
        }
    }

    /** The bytes of each file, empty for one that cannot be read. */
    private List<byte[]> contents() {
        List<byte[]> contents = new ArrayList<>();
        for (Optional<Path> file : List.of(config.certFile(), config.keyFile(), config.clientCaFile())) {
            try {
                contents.add(file.isPresent() ? Files.readAllBytes(file.get()) : new byte[0]);
            } catch (IOException e) {
                contents.add(new byte[0]);
            }
        }
        return contents;
    }

    private static boolean same(List<byte[]> a, List<byte[]> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private Optional<X509Certificate> currentCertificate() {
        Optional<KeyStore> store = registry.getDefault().map(TlsConfiguration::getKeyStore);
        if (store.isEmpty()) {
            return Optional.empty();
        }
        try {
            for (String alias : Collections.list(store.get().aliases())) {
                if (store.get().getCertificate(alias) instanceof X509Certificate certificate) {
                    return Optional.of(certificate);
                }
            }
            return Optional.empty();
        } catch (KeyStoreException e) {
            return Optional.empty();
        }
    }

    private static String describe(X509Certificate certificate) {
        return "the certificate of " + certificate.getSubjectX500Principal().getName() + ", serial "
                + certificate.getSerialNumber().toString(16) + ", valid until " + certificate.getNotAfter().toInstant();
    }
}
