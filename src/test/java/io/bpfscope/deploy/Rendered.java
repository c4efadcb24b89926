package io.bpfscope.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Manifests (YAML documents) read as their API types, each checked by {@link KubernetesSchema}. */
record Rendered(List<Object> objects) {

    static Rendered parse(String yaml) {
        try (MappingIterator<JsonNode> documents = Chart.YAML.readerFor(JsonNode.class).readValues(yaml)) {
            List<Object> objects = documents.readAll().stream()
                    .filter(document -> document != null && document.isObject())
                    .map(KubernetesSchema::read)
                    .toList();
            return new Rendered(objects);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one object of this type. */
    <T> T one(Class<T> type) {
        List<T> found = all(type);
        assertThat(found).as("%s objects rendered", type.getSimpleName()).hasSize(1);
        return found.getFirst();
    }

    <T> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
