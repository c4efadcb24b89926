package io.bpfscope.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretNameTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "DB_PASSWORD      | db password",
        "api-key          | api key",
        "apiKey           | api key",
        "APIKey           | api key",
        "keyStorePassword | key store password",
        "MySQLPwd2        | my sql pwd",
        "x.y--z__Token    | x y z token"})
    void namesAreReadAsWords(String name, String words) {
        assertThat(String.join(" ", SecretName.words(name))).isEqualTo(words);
    }

    @ParameterizedTest
    @CsvSource({
        "password, true", "PASSWD, true", "ssh_key, true", "KEY, true", "pgpassword, true", "X-Amz-Security-Token, true",
        "keyboard, false", "monkey, false", "tokenizer, false", "max-tokens, false", "key-file, false", "'', false"})
    void secretNames(String name, boolean secret) {
        assertThat(SecretName.isSecret(name)).isEqualTo(secret);
    }
}
