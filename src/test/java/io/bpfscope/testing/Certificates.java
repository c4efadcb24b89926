package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificate authorities and the certificates they sign, made by the real
 * openssl in a directory: CAs, server certificates for 127.0.0.1 and
 * localhost, client certificates; and the JDK's TLS contexts that trust or
 * present them.
 */
public final class Certificates {

    private static final char[] PASSWORD = "bpfscope".toCharArray();

    private final Path dir;

    private Certificates(Path dir) {
        this.dir = dir;
    }

    public static Certificates in(Path dir) {
        return new Certificates(dir);
    }

    /** A certificate file and its key file; {@code serial} as the certificate says it. */
    public record Issued(Path cert, Path key, BigInteger serial) {
    }

    /** A self-signed CA named {@code name}. */
    public Issued authority(String name) {
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return new Issued(cert, key, serialOf(cert));
    }

    /** A server certificate for 127.0.0.1 and localhost, signed by {@code ca}, with an EC key in PKCS#8. */
    public Issued server(Issued ca, String name) {
        return sign(ca, name, ecKey(name), "serverAuth");
    }

    /** The same with an RSA key in PKCS#1, as cert-manager writes by default. */
    public Issued serverWithRsaKey(Issued ca, String name) {
        Path key = dir.resolve(name + ".key");
        openssl("genrsa", "-traditional", "-out", key.toString(), "2048");
        return sign(ca, name, key, "serverAuth");
    }

    /** A client certificate signed by {@code ca}. */
    public Issued client(Issued ca, String name) {
        return sign(ca, name, ecKey(name), "clientAuth");
    }

    /** Replaces {@code target}'s files with {@code source}'s, each by an atomic rename. */
    public static void install(Issued source, Issued target) {
        try {
            for (Path[] pair : new Path[][] {{source.key(), target.key()}, {source.cert(), target.cert()}}) {
                Path staged = Files.createTempFile(pair[1].getParent(), "staged", ".pem");
                Files.copy(pair[0], staged, StandardCopyOption.REPLACE_EXISTING);
                Files.move(staged, pair[1], StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TLS context that trusts {@code ca} only and presents {@code client} when asked, if given. */
    public static SSLContext context(Issued ca, Issued client) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", certificate(ca.cert()));
            TrustManagerFactory trusts = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trusts.init(trust);
            KeyManagerFactory keys = null;
            if (client != null) {
                Path p12 = client.cert().resolveSibling(client.cert().getFileName() + ".p12");
                openssl("pkcs12", "-export", "-in", client.cert().toString(), "-inkey", client.key().toString(),
                        "-out", p12.toString(), "-passout", "pass:" + new String(PASSWORD));
                KeyStore identity = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(p12)) {
                    identity.load(in, PASSWORD);
                }
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(identity, PASSWORD);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trusts.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static X509Certificate certificate(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path ecKey(String name) {
        Path key = dir.resolve(name + ".key");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", key.toString());
        return key;
    }

    private Issued sign(Issued ca, String name, Path key, String usage) {
        Path csr = dir.resolve(name + ".csr");
        Path extensions = dir.resolve(name + ".ext");
        Path cert = dir.resolve(name + ".crt");
        try {
            Files.writeString(extensions, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=" + usage + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl("req", "-new", "-key", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + name);
        String serial = new BigInteger(63, ThreadLocalRandom.current()).toString();
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.cert().toString(), "-CAkey", ca.key().toString(),
                "-set_serial", serial, "-days", "2", "-extfile", extensions.toString(), "-out", cert.toString());
        return new Issued(cert, key, new BigInteger(serial));
    }

    private static BigInteger serialOf(Path cert) {
        return certificate(cert).getSerialNumber();
    }

    private static void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("%s:%n%s", command, output).isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
