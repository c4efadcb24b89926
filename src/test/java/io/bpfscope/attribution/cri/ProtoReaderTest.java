package io.bpfscope.attribution.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The protobuf encoding, as the CRI's messages use it; the wire against the real containerd is CriRuntimeIT's. */
class ProtoReaderTest {

    @Test
    void writesTheBytesProtobufSpecifies() {
        // Field 1 = 150 is the encoding guide's own example: 08 96 01.
        assertThat(HexFormat.of().formatHex(new ProtoWriter().varint(1, 150).bytes())).isEqualTo("089601");
        assertThat(HexFormat.of().formatHex(new ProtoWriter().string(2, "testing").bytes()))
                .isEqualTo("120774657374696e67");
        assertThat(new ProtoWriter().string(1, "").varint(2, 0).bool(3, false).bytes()).as("defaults").isEmpty();
        assertThat(HexFormat.of().formatHex(new ProtoWriter().message(4, new ProtoWriter()).bytes()))
                .as("an empty message is still set").isEqualTo("2200");
    }

    @Test
    void readsBackWhatItWroteAndSkipsWhatItDoesNotAsk() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("io.kubernetes.pod.name", "web-0");
        labels.put("empty", "");
        byte[] bytes = new ProtoWriter()
                .string(1, "abc")
                .varint(7, -1)
                .message(2, new ProtoWriter().string(1, "app").varint(2, 3))
                .map(12, labels)
                .bytes();
        ProtoReader reader = ProtoReader.of(bytes);
        String id = null;
        String name = null;
        Map<String, String> read = new HashMap<>();
        while (reader.next()) {
            switch (reader.field()) {
                case 1 -> id = reader.string();
                case 2 -> {
                    ProtoReader metadata = reader.message();
                    while (metadata.next()) {
                        if (metadata.field() == 1) {
                            name = metadata.string();
                        } else {
                            metadata.skip();
                        }
                    }
                }
                case 12 -> reader.entry(read);
                default -> reader.skip();
            }
        }
        assertThat(id).isEqualTo("abc");
        assertThat(name).isEqualTo("app");
        assertThat(read).isEqualTo(labels);
    }

    @Test
    void aBrokenMessageIsRefusedNotMisread() {
        ProtoReader truncated = ProtoReader.of(HexFormat.of().parseHex("0a0561"));
        assertThat(truncated.next()).isTrue();
        assertThatThrownBy(truncated::string).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runs past");

        ProtoReader wrongType = ProtoReader.of(HexFormat.of().parseHex("0801"));
        assertThat(wrongType.next()).isTrue();
        assertThatThrownBy(wrongType::string).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wire type");

        assertThatThrownBy(() -> ProtoReader.of(HexFormat.of().parseHex("0780")).next())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
