package io.bpfscope.api;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.Optional;

/** {@code bpfscope.api.*}: who may change the filter and read the event stream. */
@ConfigMapping(prefix = "bpfscope.api")
public interface ApiConfig {

    /** When set, changes to /filters/pids and /events need "Authorization: Bearer <token>". */
    Optional<String> token();

    /** A file holding the token (a mounted Kubernetes Secret); wins over bpfscope.api.token. */
    Optional<Path> tokenFile();
}
