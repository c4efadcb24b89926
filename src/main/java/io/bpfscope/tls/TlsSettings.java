package io.bpfscope.tls;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * bpfscope.tls.* as the Quarkus settings that serve HTTPS: the TLS
 * registry's PEM key store and trust store, HTTPS on the HTTP port, and no
 * plain HTTP. A Quarkus setting given explicitly wins over them; Quarkus's
 * defaults do not. The files are checked the first time Quarkus asks,
 * before it reads them: when one is bad the settings stay off and
 * {@link #problem()} says why, for {@link TlsReloads} to stop the start with
 * that one line (the registry would throw a page of stack trace).
 */
@Priority(Priorities.APPLICATION + 100)
public final class TlsSettings implements ConfigSourceInterceptor {

    public static final String CERT_FILE = "bpfscope.tls.cert-file";
    public static final String KEY_FILE = "bpfscope.tls.key-file";
    public static final String CLIENT_CA_FILE = "bpfscope.tls.client-ca-file";
    private static final String DEFAULT_PORT = "9445";
    /**
     * The lowest ordinal of a source someone writes settings in
     * (microprofile-config.properties); below it are Quarkus's defaults.
     */
    private static final int SET_ORDINAL = 100;
    private static final Set<String> DERIVED = Set.of("quarkus.tls.key-store.pem.bpfscope.cert",
            "quarkus.tls.key-store.pem.bpfscope.key", "quarkus.http.ssl-port", "quarkus.http.insecure-requests",
            "quarkus.tls.trust-store.pem.certs");

    /** Empty once the files passed; the reason they did not, else. Null until first checked. */
    private static volatile Optional<String> problem;

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue own = context.proceed(name);
        if (!DERIVED.contains(name) || own != null && own.getConfigSourceOrdinal() >= SET_ORDINAL) {
            return own;
        }
        String value = derived(context).get(name);
        if (value == null) {
            return own;
        }
        return ConfigValue.builder().withName(name).withValue(value).withConfigSourceName("bpfscope.tls").build();
    }

    @Override
    public Iterator<String> iterateNames(ConfigSourceInterceptorContext context) {
        Set<String> names = new LinkedHashSet<>();
        context.iterateNames().forEachRemaining(names::add);
        names.addAll(derived(context).keySet());
        return names.iterator();
    }

    /** Why bpfscope.tls.* cannot serve HTTPS, once Quarkus has asked for its settings. */
    public static Optional<String> problem() {
        Optional<String> known = problem;
        return known == null ? Optional.empty() : known;
    }

    /** The Quarkus settings bpfscope.tls.* stands for; none while no certificate is given or its files are bad. */
    private static Map<String, String> derived(ConfigSourceInterceptorContext context) {
        Map<String, String> settings = new LinkedHashMap<>();
        Optional<String> cert = value(context, CERT_FILE);
        if (cert.isEmpty() || check(context, cert.get()).isPresent()) {
            return settings;
        }
        settings.put("quarkus.tls.key-store.pem.bpfscope.cert", cert.get());
        settings.put("quarkus.tls.key-store.pem.bpfscope.key", value(context, KEY_FILE).orElseThrow());
        settings.put("quarkus.http.ssl-port", value(context, "quarkus.http.port").orElse(DEFAULT_PORT));
        settings.put("quarkus.http.insecure-requests", "disabled");
        value(context, CLIENT_CA_FILE).ifPresent(ca -> settings.put("quarkus.tls.trust-store.pem.certs", ca));
        return settings;
    }

    private static Optional<String> check(ConfigSourceInterceptorContext context, String cert) {
        Optional<String> known = problem;
        if (known != null) {
            return known;
        }
        Optional<String> key = value(context, KEY_FILE);
        if (key.isEmpty()) {
            known = Optional.of(CERT_FILE + " is set but " + KEY_FILE + " is not: HTTPS needs both");
        } else {
            try {
                TlsFiles.check(Path.of(cert), Path.of(key.get()), value(context, CLIENT_CA_FILE).map(Path::of));
                known = Optional.empty();
            } catch (TlsFiles.Invalid invalid) {
                known = Optional.of(invalid.getMessage());
            }
        }
        problem = known;
        return known;
    }

    private static Optional<String> value(ConfigSourceInterceptorContext context, String name) {
        return Optional.ofNullable(context.proceed(name)).map(ConfigValue::getValue).map(String::strip)
                .filter(value -> !value.isEmpty());
    }
}
