package io.bpfscope.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** One file of the page, read from the jar once: its path under /, its media type and its bytes. */
record PageAsset(String path, String mediaType, byte[] bytes) {

    private static final String ROOT = "/bpfscope-ui/";

    static PageAsset load(String path, String file, String mediaType) {
        try (InputStream in = PageAsset.class.getResourceAsStream(ROOT + file)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + ROOT + file);
            }
            return new PageAsset(path, mediaType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
