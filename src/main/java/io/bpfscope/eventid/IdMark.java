package io.bpfscope.eventid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfscope.state.StateFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code event-ids.json} in the state directory: the node's tag, and the
 * first number an instance starting now may use. The running instance
 * keeps it ahead of every id it gave, so a crash leaves it past them too.
 */
final class IdMark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    IdMark(Path directory) {
        this.file = directory.resolve("event-ids.json");
    }

    Path file() {
        return file;
    }

    /** The saved space: the tag and the base of the next instance; empty when none was saved. */
    Optional<IdSpace> load() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode saved = JSON.readTree(file.toFile());
        if (!saved.path("tag").canConvertToInt() || !saved.path("next").canConvertToLong()) {
            throw new IOException("expected {\"tag\": int, \"next\": long}, found " + saved);
        }
        try {
            return Optional.of(new IdSpace(saved.get("tag").asInt(), saved.get("next").asLong()));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    void save(int tag, long next) throws IOException {
        StateFile.replace(file, "{\"tag\":" + tag + ",\"next\":" + next + "}\n");
    }
}
