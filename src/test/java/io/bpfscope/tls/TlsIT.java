package io.bpfscope.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.testing.Certificates;
import io.bpfscope.testing.Certificates.Issued;
import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.RingDrain;
import io.bpfscope.testing.SseClient;
import io.bpfscope.testing.SseClient.Message;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged daemon over HTTPS, with certificates openssl made: real
 * handshakes from the JDK's client and from curl, client certificates,
 * certificates replaced while it runs, and bad files at start-up.
 */
class TlsIT {

    private static final Duration START = Duration.ofSeconds(30);
    private static final String TOKEN = "tls-it-token";

    @TempDir
    static Path dir;

    private static Certificates certificates;
    private static Issued ca;
    private static Issued otherCa;

    @BeforeAll
    static void authorities() {
        certificates = Certificates.in(dir);
        ca = certificates.authority("bpfscope-ca");
        otherCa = certificates.authority("other-ca");
    }

    @Test
    void theApiTheStreamAndTheMetricsAreServedOverHttpsOnlyAndTheTokenStillApplies() throws Exception {
        Issued server = certificates.serverWithRsaKey(ca, "server-rsa");
        try (Daemon daemon = Daemon.start(tls(server, "-Dbpfscope.api.token=" + TOKEN))) {
            HttpClient https = HttpClient.newBuilder().sslContext(Certificates.context(ca, null)).build();
            awaitReady(daemon, https);

            String marker = "tls-" + System.nanoTime();
            try (SseClient stream = SseClient.connect(https, https(daemon, "/events?type=exec"),
                    Map.of("Authorization", "Bearer " + TOKEN))) {
                Process child = new ProcessBuilder("/bin/true", marker).start();
                assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
                Message exec = stream.await(m -> m.data().path("argv").toString().contains(marker), Duration.ofSeconds(20));
                assertThat(exec.data().path("pid").asLong()).isEqualTo(child.pid());
            }
            HttpResponse<String> unauthorized = https.send(HttpRequest.newBuilder(https(daemon, "/filters/pids"))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"pids\":[]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unauthorized.statusCode()).as("a filter change without the token").isEqualTo(401);

            Curl metrics = curl("--cacert", ca.cert().toString(), https(daemon, "/metrics").toString());
            assertThat(metrics.exit()).as("curl over HTTPS: %s", metrics.output()).isZero();
            assertThat(metrics.output()).contains("bpfscope_write_syscalls_total");
            Curl plain = curl(daemon.uri("/q/health/ready").toString());
            assertThat(plain.exit()).as("plain HTTP to the HTTPS port: %s", plain.output()).isNotZero();
            Curl otherTrust = curl("--cacert", otherCa.cert().toString(), https(daemon, "/q/health/ready").toString());
            assertThat(otherTrust.exit()).as("curl trusting another CA (60: peer certificate cannot be verified)")
                    .isEqualTo(60);
            HttpClient wrongCa = HttpClient.newBuilder().sslContext(Certificates.context(otherCa, null)).build();
            assertThatThrownBy(() -> wrongCa.send(HttpRequest.newBuilder(https(daemon, "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
            assertThat(daemon.output()).contains("HTTPS with the certificate of CN=server-rsa, serial "
                    + server.serial().toString(16));
        }
    }

    @Test
    void clientsWithoutACertificateOfTheClientCaAreRefusedAtTheHandshake() throws Exception {
        Issued server = certificates.server(ca, "server-mtls");
        Issued clientCa = certificates.authority("client-ca");
        Issued client = certificates.client(clientCa, "client");
        Issued stranger = certificates.client(otherCa, "stranger");
        try (Daemon daemon = Daemon.start(tls(server, "-Dbpfscope.tls.client-ca-file=" + clientCa.cert()))) {
            HttpClient withCertificate = HttpClient.newBuilder().sslContext(Certificates.context(ca, client)).build();
            awaitReady(daemon, withCertificate);

            for (Issued wrong : new Issued[] {null, stranger}) {
                HttpClient refused = HttpClient.newBuilder().sslContext(Certificates.context(ca, wrong)).build();
                assertThatThrownBy(() -> refused.send(HttpRequest.newBuilder(https(daemon, "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString())).as("client certificate %s", wrong)
                        .isInstanceOf(IOException.class);
            }
            Curl anonymous = curl("--cacert", ca.cert().toString(), https(daemon, "/q/health/ready").toString());
            assertThat(anonymous.exit()).as("curl without a client certificate: %s", anonymous.output()).isNotZero();
            Curl known = curl("--cacert", ca.cert().toString(), "--cert", client.cert().toString(), "--key",
                    client.key().toString(), https(daemon, "/q/health/ready").toString());
            assertThat(known.exit()).as("curl with the client certificate: %s", known.output()).isZero();
            assertThat(known.output()).contains("\"UP\"");
        }
    }

    @Test
    void aNewCertificateIsServedWithoutARestartAndBadFilesKeepTheOldOne() throws Exception {
        Issued served = certificates.server(ca, "rotating");
        try (Daemon daemon = Daemon.start(tls(served, "-Dbpfscope.tls.reload-period=500ms"))) {
            awaitReady(daemon, HttpClient.newBuilder().sslContext(Certificates.context(ca, null)).build());
            assertThat(servedSerial(daemon)).isEqualTo(served.serial());

            Issued renewed = certificates.server(ca, "renewed");
            Certificates.install(renewed, served);
            assertThat(RingDrain.await(() -> renewed.serial().equals(servedSerial(daemon)), Duration.ofSeconds(15)))
                    .as("the renewed certificate served; output:%n%s", daemon.output()).isTrue();
            assertThat(RingDrain.await(() -> daemon.output().contains("HTTPS now with the certificate of CN=renewed, serial "
                    + renewed.serial().toString(16)), Duration.ofSeconds(5))).as(daemon.output()).isTrue();

            Files.writeString(served.cert(), "not a certificate\n");
            String warning = "bpfscope.tls.cert-file " + served.cert() + ": holds no PEM certificate; still serving serial "
                    + renewed.serial().toString(16) + " until the files are fixed";
            assertThat(RingDrain.await(() -> daemon.output().contains(warning), Duration.ofSeconds(15)))
                    .as("output:%n%s", daemon.output()).isTrue();
            Thread.sleep(1_500);
            assertThat(servedSerial(daemon)).as("after three reload periods with a bad file").isEqualTo(renewed.serial());
            assertThat(daemon.process().isAlive()).isTrue();
        }
    }

    @Test
    void badFilesAtStartUpAreOneLineAndExitStatusOne() throws Exception {
        Issued server = certificates.server(ca, "server-bad");
        Issued other = certificates.server(ca, "server-other");
        Path missing = dir.resolve("missing.crt");
        String[][] cases = {
            {"-Dbpfscope.tls.cert-file=" + missing, "-Dbpfscope.tls.key-file=" + server.key(),
                "bpfscope.tls.cert-file " + missing + ": cannot be read (NoSuchFileException)"},
            {"-Dbpfscope.tls.cert-file=" + server.cert(), "-Dbpfscope.tls.key-file=" + other.key(),
                "bpfscope.tls.key-file " + other.key() + ": is not the key of the certificate in bpfscope.tls.cert-file"},
            {"-Dbpfscope.tls.cert-file=" + server.key(), "-Dbpfscope.tls.key-file=" + server.key(),
                "bpfscope.tls.cert-file " + server.key() + ": holds no PEM certificate"},
            {"-Dbpfscope.tls.cert-file=" + server.cert(), "-Dbpfscope.tls.client-ca-file=" + server.key(),
                "bpfscope.tls.cert-file is set but bpfscope.tls.key-file is not: HTTPS needs both"},
        };
        for (String[] bad : cases) {
            try (Daemon daemon = Daemon.start(bad[0], bad[1])) {
                assertThat(daemon.awaitExit(START)).as("exit status with %s %s", bad[0], bad[1]).isEqualTo(1);
                List<String> errors = daemon.output().lines().filter(line -> line.contains(" ERROR ")).toList();
                assertThat(errors).as("ERROR lines in:%n%s", daemon.output()).hasSize(1);
                assertThat(errors.getFirst()).endsWith(bad[2]);
                assertThat(daemon.output()).as("no stack trace").doesNotContain("\tat ");
            }
        }
    }

    /** The settings for HTTPS with {@code server}'s certificate, and {@code more}. */
    private static String[] tls(Issued server, String... more) {
        List<String> settings = new ArrayList<>(List.of("-Dbpfscope.tls.cert-file=" + server.cert(),
                "-Dbpfscope.tls.key-file=" + server.key()));
        settings.addAll(List.of(more));
        return settings.toArray(String[]::new);
    }

    private static URI https(Daemon daemon, String path) {
        return URI.create("https://127.0.0.1:" + daemon.port() + path);
    }

    private static void awaitReady(Daemon daemon, HttpClient https) throws InterruptedException {
        daemon.awaitListening(START);
        boolean ready = RingDrain.await(() -> {
            try {
                return https.send(HttpRequest.newBuilder(https(daemon, "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, START);
        assertThat(ready).as("ready over HTTPS; output:%n%s", daemon.output()).isTrue();
    }

    /** The serial of the certificate a new handshake gets. */
    private static BigInteger servedSerial(Daemon daemon) {
        SSLContext context = Certificates.context(ca, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", daemon.port())) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        } catch (IOException e) {
            return BigInteger.ZERO;
        }
    }

    private record Curl(int exit, String output) {
    }

    private static Curl curl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new Curl(process.exitValue(), output);
    }
}
