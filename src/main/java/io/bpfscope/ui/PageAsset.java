package io.bpfscope.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** One file of the page, read from the jar once: its path under /, its media type and its bytes. */
record PageAsset(String path, String mediaType, byte[] bytes) {

    private static final String ROOT = "/bpfscope-ui/";
    private static final String ASSETS = "/ui/";
    private static final Map<String, String> MEDIA_TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    /** The file served at {@code path}: / is index.html, /ui/NAME is NAME; its type by its extension. */
    static PageAsset load(String path) {
        String file = path.equals("/") ? "index.html" : path.substring(ASSETS.length());
        String mediaType = MEDIA_TYPES.get(file.substring(file.lastIndexOf('.') + 1));
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
