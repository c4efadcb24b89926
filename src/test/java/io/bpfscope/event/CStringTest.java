package io.bpfscope.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CStringTest {

    /** Bytes in hex, and the code points they decode to; each U+FFFD replaces one maximal subpart. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                           | ''",
        "616263                       | 61 62 63",
        "fffe                         | fffd fffd",
        "618062                       | 61 fffd 62",
        "e28278                       | fffd 78",
        "e282                         | fffd",
        "eda080                       | fffd fffd fffd",
        "ed9fbf                       | d7ff",
        "c0af                         | fffd fffd",
        "c2                           | fffd",
        "e08080                       | fffd fffd fffd",
        "e0a080                       | 800",
        "f0808080                     | fffd fffd fffd fffd",
        "f0908080                     | 10000",
        "f48fbfbf                     | 10ffff",
        "f4908080                     | fffd fffd fffd fffd",
        "f5                           | fffd",
        "f09f98                       | fffd",
        "f09f9841                     | fffd 41",
        "c3a9f09f9880                 | e9 1f600",
        // Unicode 15, section 3.9, table 3-8
        "61f18080e180c262806380bf64   | 61 fffd fffd fffd 62 fffd 63 fffd fffd 64"})
    void illFormedSequencesBecomeOneReplacementPerMaximalSubpart(String hex, String codePoints) {
        String decoded = decode(HexFormat.of().parseHex(hex));

        StringBuilder expected = new StringBuilder();
        for (String codePoint : codePoints.split(" ")) {
            if (!codePoint.isEmpty()) {
                expected.appendCodePoint(Integer.parseInt(codePoint, 16));
            }
        }
        assertThat(decoded).isEqualTo(expected.toString());
    }

    @Test
    void wellFormedTextComesBackAsItWas() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            String text = random.ints(random.nextInt(1, 20), 0, 0x110000)
                    .filter(codePoint -> codePoint < 0xD800 || codePoint > 0xDFFF)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                    .toString();

            assertThat(decode(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(text);
        }
    }

    @Test
    void readStopsAtTheFirstNulOrTheFieldsEnd() {
        MemorySegment field = MemorySegment.ofArray(new byte[] {'a', 'b', 0, 'c', 'd', 'e'});

        assertThat(CString.read(field, 0, 6)).isEqualTo("ab");
        assertThat(CString.read(field, 3, 3)).isEqualTo("cde");
    }

    private static String decode(byte[] bytes) {
        return CString.decode(MemorySegment.ofArray(bytes), 0, bytes.length);
    }
}
