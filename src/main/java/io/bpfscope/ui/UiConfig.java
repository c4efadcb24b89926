package io.bpfscope.ui;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code bpfscope.ui.*}: the live view. */
@ConfigMapping(prefix = "bpfscope.ui")
public interface UiConfig {

    /** Whether the daemon serves the page at / (off: / answers 404, the API is unchanged). */
    @WithDefault("true")
    boolean enabled();
}
