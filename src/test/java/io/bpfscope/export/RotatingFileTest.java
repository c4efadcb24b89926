package io.bpfscope.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingFileTest {

    @TempDir
    Path dir;

    @Test
    void rotatesBeforeALineWouldPassTheLimitAndKeepsTheNewestFiles() throws Exception {
        Path file = dir.resolve("events.log");
        List<String> written = new ArrayList<>();
        try (RotatingFile export = new RotatingFile(file, 100, 2)) {
            // 10 lines of 30 bytes: 3 to a file of at most 100 bytes.
            for (int batch = 0; batch < 5; batch++) {
                List<byte[]> lines = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    String line = "{\"n\":%023d}\n".formatted(batch * 2 + i);
                    assertThat(line).hasSize(30);
                    lines.add(line.getBytes(StandardCharsets.UTF_8));
                    written.add(line.strip());
                }
                export.append(lines);
            }
        }

        assertThat(Files.list(dir).map(path -> path.getFileName().toString()))
                .containsExactlyInAnyOrder("events.log", "events.log.1", "events.log.2");
        List<String> kept = new ArrayList<>();
        for (String name : List.of("events.log.2", "events.log.1", "events.log")) {
            assertThat(Files.size(dir.resolve(name))).as(name).isLessThanOrEqualTo(100);
            kept.addAll(Files.readAllLines(dir.resolve(name)));
        }
        // The oldest file (lines 0-2) was deleted; the rest are there, in order, whole.
        assertThat(kept).isEqualTo(written.subList(3, 10));
        assertThat(Files.readAllLines(file)).hasSize(1);
    }

    @Test
    void appendsToAFileThatIsAlreadyThereAndCountsItsSize() throws Exception {
        Path file = dir.resolve("events.log");
        Files.writeString(file, "x".repeat(79) + "\n");
        try (RotatingFile export = new RotatingFile(file, 100, 1)) {
            export.append(List.of("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8)));
            export.append(List.of("{\"b\":\"1234567890\"}\n".getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(Files.readAllLines(dir.resolve("events.log.1"))).containsExactly("x".repeat(79), "{\"a\":1}");
        assertThat(Files.readAllLines(file)).containsExactly("{\"b\":\"1234567890\"}");
    }

    @Test
    void aDirectoryThatIsNotThereFailsEveryLineAndIsTriedAgain() throws Exception {
        Path file = dir.resolve("later").resolve("events.log");
        try (RotatingFile export = new RotatingFile(file, 1000, 1)) {
            assertThatThrownBy(() -> export.append(List.of("{}\n".getBytes(StandardCharsets.UTF_8))))
                    .isInstanceOfSatisfying(SinkFailure.class, failure -> assertThat(failure.written()).isZero())
                    .hasMessageContaining("later");

            Files.createDirectories(file.getParent());
            export.append(List.of("{\"after\":true}\n".getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(Files.readAllLines(file)).containsExactly("{\"after\":true}");
    }
}
