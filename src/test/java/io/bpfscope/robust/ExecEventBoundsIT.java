package io.bpfscope.robust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.RawExec;
import io.bpfscope.testing.Scrape;
import io.bpfscope.testing.SseClient;
import io.bpfscope.testing.SseClient.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Execs no sane program makes, through the packaged daemon to a strict
 * /events client (every message well-formed UTF-8 and one JSON value).
 * The bounds are the record's (src/main/bpf/bpfscope.h): 128 arguments and
 * 4096 bytes of argv, 511 bytes of filename, 15 of comm; bytes that are not
 * UTF-8 become U+FFFD, one per maximal subpart (io.bpfscope.event.CString).
 */
class ExecEventBoundsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final byte[] TRUE = "/bin/true".getBytes(StandardCharsets.US_ASCII);
    /**
     * The largest data line an exec event can have: at most 15 + 511 + 4096 bytes of
     * strings, each byte written as at most 6 (a control character as a six-character
     * escape; a byte that is not UTF-8 as U+FFFD, 3), plus the fixed fields and the quotes
     * and commas of 128 arguments (under 1 KiB): 28.1 KiB, under 32.
     */
    private static final int MAX_DATA_BYTES = 32 * 1024;

    @TempDir
    static Path scratch;
    /** /bin/true copied into the scratch directory, which links point to: links out of it are not cleaned up quietly. */
    private static Path trueCopy;
    private static Daemon daemon;
    private static SseClient events;

    @BeforeAll
    static void start() throws Exception {
        Kernel.requireRoot();
        trueCopy = Files.copy(Path.of("/bin/true"), scratch.resolve("true"), StandardCopyOption.COPY_ATTRIBUTES);
        // argv as the kernel read it: what is tested here is the record and its JSON, not redaction.
        daemon = Daemon.listening(scratch.resolve("state"), "-Dbpfscope.exec.argv=full");
        events = SseClient.connect(daemon.uri("/events?type=exec"), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (events != null) {
            events.close();
        }
        daemon.close();
    }

    @AfterEach
    void everyEventStaysBoundedAndTheDaemonServes() {
        assertThat(events.violations()).as("malformed messages").isEmpty();
        assertThat(events.messages()).allSatisfy(message ->
                assertThat(message.dataBytes()).as("bytes of data of message %d", message.id()).isLessThanOrEqualTo(MAX_DATA_BYTES));
        Scrape.assertServing(daemon);
    }

    @Test
    void tenThousandArgumentsAreCutToTheFirst128() throws Exception {
        String marker = marker("args");
        List<byte[]> argv = new ArrayList<>();
        argv.add(ascii(marker));
        for (int i = 1; i < 10_000; i++) {
            argv.add(ascii("arg" + i));
        }

        JsonNode exec = execOf(RawExec.run(TRUE, argv), marker);

        List<String> expected = new ArrayList<>(List.of(marker));
        for (int i = 1; i < 128; i++) {
            expected.add("arg" + i);
        }
        assertThat(strings(exec.path("argv"))).isEqualTo(expected);
        assertThat(exec.path("argvTruncated").asBoolean()).isTrue();
        assertThat(exec.path("filename").asText()).isEqualTo("/bin/true");
        assertThat(exec.path("filenameTruncated").asBoolean()).isFalse();
        assertThat(exec.path("ret").asInt()).isZero();
    }

    @Test
    void aMebibyteOfArgumentsIsCutAt4096BytesEvenInsideACharacter() throws Exception {
        String marker = marker("argmib"); // 23 bytes: what is left for the next argument is odd
        assertThat(marker).hasSize(23);
        List<byte[]> argv = new ArrayList<>(List.of(ascii(marker)));
        byte[] sixtyFourKiB = "é".repeat(32 * 1024).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 16; i++) {
            argv.add(sixtyFourKiB);
        }

        JsonNode exec = execOf(RawExec.run(TRUE, argv), marker);

        // 4096 bytes of argv: the marker and its NUL (24), then 4071 bytes of the first long
        // argument and the NUL the cut puts last. 4071 bytes of "é" end in half of one.
        assertThat(strings(exec.path("argv"))).containsExactly(marker, "é".repeat(2035) + "\uFFFD");
        assertThat(exec.path("argvTruncated").asBoolean()).isTrue();
    }

    @Test
    void controlCharactersFillingTheRecordAreEscapedWithinTheBound() throws Exception {
        String marker = marker("control");
        byte[] controls = new byte[5000];
        Arrays.fill(controls, (byte) 1);

        Message message = messageOf(RawExec.run(TRUE, List.of(ascii(marker), controls)), marker);

        int kept = 4096 - (marker.length() + 1) - 1;
        assertThat(strings(message.data().path("argv"))).containsExactly(marker, "\u0001".repeat(kept));
        assertThat(message.data().path("argvTruncated").asBoolean()).isTrue();
        // Six bytes in the JSON for each byte of the argument: the worst case the bound allows for.
        assertThat(message.dataBytes()).isGreaterThan(6 * kept).isLessThanOrEqualTo(MAX_DATA_BYTES);
    }

    /** A path of exactly {@code length} bytes (PATH_MAX is 4096 with its NUL) to a symlink to /bin/true. */
    @ParameterizedTest
    @ValueSource(ints = {511, 512, 4095})
    void filenamesAreCutAt511Bytes(int length) throws Exception {
        Path link = deepPath(length, "pathmax-true");
        Files.createSymbolicLink(link, trueCopy);
        String marker = marker("path");

        JsonNode exec = execOf(RawExec.run(ascii(link.toString()), List.of(ascii(marker))), marker);

        assertThat(exec.path("filename").asText()).isEqualTo(link.toString().substring(0, Math.min(length, 511)));
        assertThat(exec.path("filenameTruncated").asBoolean()).isEqualTo(length > 511);
        assertThat(exec.path("comm").asText()).isEqualTo("pathmax-true");
        assertThat(exec.path("ret").asInt()).isZero();
    }

    @Test
    void bytesThatAreNotUtf8BecomeOneReplacementCharacterPerMaximalSubpart() throws Exception {
        // comm is the first 15 bytes of the name the program was exec'd by.
        byte[] name = concat(HexFormat.of().parseHex("fffe"), ascii("robust-comm-cut"));
        Path dir = Files.createTempDirectory(scratch, "names");
        byte[] link = concat(ascii(dir + "/"), name);
        RawExec.symlink(link, trueCopy);
        String marker = marker("utf8");
        List<byte[]> argv = new ArrayList<>(List.of(ascii(marker)));
        for (String hex : List.of("fffe", "618062", "e28278", "eda080", "c0af", "f4908080", "f09f98",
                "c3a9f09f9880", "011f7f", "e280a8")) {
            argv.add(HexFormat.of().parseHex(hex));
        }

        JsonNode exec = execOf(RawExec.run(link, argv), marker);

        assertThat(exec.path("comm").asText()).isEqualTo("\uFFFD\uFFFDrobust-comm-c");
        assertThat(exec.path("filename").asText()).isEqualTo(dir + "/\uFFFD\uFFFDrobust-comm-cut");
        assertThat(strings(exec.path("argv"))).containsExactly(marker,
                "\uFFFD\uFFFD",                       // FF and FE never start a character
                "a\uFFFDb",                           // a lone continuation byte
                "\uFFFDx",                            // a character cut short: one for its two bytes
                "\uFFFD\uFFFD\uFFFD",                 // an encoded surrogate: ED, A0, 80 apart
                "\uFFFD\uFFFD",                       // an overlong "/"
                "\uFFFD\uFFFD\uFFFD\uFFFD",           // past U+10FFFF
                "\uFFFD",                             // a 4-byte character cut short
                "é\uD83D\uDE00",                       // well-formed: é and U+1F600 as they are
                "\u0001\u001F\u007F",                 // control characters (C0 ones escaped in the JSON)
                "\u2028");                            // LINE SEPARATOR, escaped too
        assertThat(exec.path("argvTruncated").asBoolean()).isFalse();
    }

    @Test
    void aCommCutInsideACharacterEndsInAReplacementCharacter() throws Exception {
        Path dir = Files.createTempDirectory(scratch, "cut");
        Path link = Files.createSymbolicLink(dir.resolve("robust-abcdefgé"), trueCopy);
        String marker = marker("comm");

        JsonNode exec = execOf(RawExec.run(link.toString().getBytes(StandardCharsets.UTF_8), List.of(ascii(marker))),
                marker);

        // 14 bytes of ASCII and the first of the two of "é"
        assertThat(exec.path("comm").asText()).isEqualTo("robust-abcdefg\uFFFD");
        assertThat(exec.path("filename").asText()).isEqualTo(link.toString());
    }

    private static JsonNode execOf(Process process, String marker) throws InterruptedException {
        return messageOf(process, marker).data();
    }

    /** The exec of {@code process} whose argv[0] is {@code marker} (perl exec'd it in place, with the same PID). */
    private static Message messageOf(Process process, String marker) throws InterruptedException {
        return events.await(message -> message.data().path("pid").asLong() == process.pid()
                && message.data().path("argv").path(0).asText().equals(marker), WAIT);
    }

    /** Directories of at most 255 bytes a name under the scratch directory, then {@code name}: {@code length} bytes in all. */
    private static Path deepPath(int length, String name) throws Exception {
        Path base = scratch.resolve("path" + length);
        if (room(base, length, name) == 1) {
            base = scratch.resolve("path" + length + "x"); // one byte left could not be a directory
        }
        int left = room(base, length, name);
        Path dir = base;
        while (left > 0) {
            // a component and its slash; never leave exactly one byte, a slash with no name
            int component = Math.min(255, left - 1);
            if (left - (component + 1) == 1) {
                component--;
            }
            dir = dir.resolve("d".repeat(component));
            left -= component + 1;
        }
        Files.createDirectories(dir);
        Path path = dir.resolve(name);
        assertThat(path.toString()).hasSize(length);
        return path;
    }

    /** Bytes of directories to add under {@code base} for a path of {@code length} ending in /{@code name}. */
    private static int room(Path base, int length, String name) {
        return length - base.toString().length() - 1 - name.length();
    }

    private static String marker(String kind) {
        return "robust-" + kind + "-" + String.format("%09x", ThreadLocalRandom.current().nextLong(1L << 36));
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(element -> strings.add(element.asText()));
        return strings;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
