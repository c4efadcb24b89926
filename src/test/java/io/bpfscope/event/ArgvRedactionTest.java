package io.bpfscope.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The redaction rules, one command line in and what /events shows of it out. */
class ArgvRedactionTest {

    static Stream<Arguments> masked() {
        return Stream.of(
                // flag=value, flag value
                row("mysql --password=hunter2 db", "mysql --password=*** db"),
                row("mysql --password hunter2 db", "mysql --password *** db"),
                row("tool -password hunter2", "tool -password ***"),
                row("tool --api-key xyz --verbose", "tool --api-key *** --verbose"),
                row("tool --apiKey=xyz", "tool --apiKey=***"),
                row("tool --APIKey=xyz", "tool --APIKey=***"),
                row("tool --client-secret=s", "tool --client-secret=***"),
                row("tool --auth-token t", "tool --auth-token ***"),
                row("tool --authtoken t", "tool --authtoken ***"),
                row("tool --passphrase p", "tool --passphrase ***"),
                row("tool --db-pass p", "tool --db-pass ***"),
                row("tool --ssh_key=k", "tool --ssh_key=***"),
                row("tool --key=k", "tool --key=***"),
                row("tool --password2=x", "tool --password2=***"),
                // env-style assignments
                row("env PASSWORD=xyz DB_TOKEN=abc make", "env PASSWORD=*** DB_TOKEN=*** make"),
                row("env aws_secret_access_key=abc AWS_SECRET_ACCESS_KEY=def", "env aws_secret_access_key=*** AWS_SECRET_ACCESS_KEY=***"),
                row("env KEY=k MYSQL_PWD=p PGPASSWORD=p SECRET_KEY_BASE=b", "env KEY=*** MYSQL_PWD=*** PGPASSWORD=*** SECRET_KEY_BASE=***"),
                row("env GITHUB_TOKEN=ghp_x sh", "env GITHUB_TOKEN=*** sh"),
                // Java properties and C macros
                row("java -Djavax.net.ssl.keyStorePassword=changeit -jar a.jar", "java -Djavax.net.ssl.keyStorePassword=*** -jar a.jar"),
                row("java -Dpassword=p -Dspring.datasource.password=q", "java -Dpassword=*** -Dspring.datasource.password=***"),
                row("cc -DKEY=k x.c", "cc -DKEY=*** x.c"),
                // assignments inside an argument: the rest of the argument goes
                row("kubectl create secret generic s --from-literal=password=abc", "kubectl create secret generic s --from-literal=password=***"),
                row("mount -o username=u,password=p,vers=3.0 //srv/share /mnt", "mount -o username=u,password=*** //srv/share /mnt"),
                row("helm install x --set auth.password=p,image.tag=1", "helm install x --set auth.password=***"),
                row("curl https://api.example/v1?page=2&access_token=abc&x=1", "curl https://api.example/v1?page=2&access_token=***"),
                // a value with spaces is masked whole
                row(List.of("tool", "--password=hunter 2"), List.of("tool", "--password=***")),
                row(List.of("tool", "--password", "hunter 2"), List.of("tool", "--password", "***")),
                // headers
                row(List.of("curl", "-H", "Authorization: Bearer abc.def", "https://x"),
                        List.of("curl", "-H", "Authorization: ***", "https://x")),
                row(List.of("curl", "-H", "X-Api-Key: abc"), List.of("curl", "-H", "X-Api-Key: ***")),
                row(List.of("curl", "-H", "Cookie: session=abc"), List.of("curl", "-H", "Cookie: ***")),
                // URLs with a password
                row("git clone https://alice:s3cret@git.example/r.git", "git clone https://alice:***@git.example/r.git"),
                row("psql postgres://app:p%40ss@db:5432/app?sslmode=require", "psql postgres://app:***@db:5432/app?sslmode=require"),
                row("redis-cli -u redis://:pw@localhost:6379/0", "redis-cli -u redis://:***@localhost:6379/0"),
                row("tool --url=https://u:p@a@h/x DATABASE_URL=mysql://r:q@db/x",
                        "tool --url=https://u:***@h/x DATABASE_URL=mysql://r:***@db/x"),
                // a command line as one argument: from the first secret on
                row(List.of("sh", "-c", "mysql --password hunter2 -e 'select 1' && echo ok"),
                        List.of("sh", "-c", "mysql --password ***")),
                row(List.of("sh", "-c", "PASSWORD='a b' ./run"), List.of("sh", "-c", "PASSWORD=***")),
                row(List.of("sh", "-c", "curl -H 'Authorization: Bearer abc' https://x"),
                        List.of("sh", "-c", "curl -H 'Authorization: ***")),
                // a secret flag ending a command line takes the next argument
                row(List.of("sh", "-c", "exec tool --token", "t0k"), List.of("sh", "-c", "exec tool --token", "***")),
                // two in a row
                row("tool --password --token abc", "tool --password --token ***"),
                // erring on the side of masking
                row("sort --key=2 --token-ttl 60", "sort --key=*** --token-ttl ***"),
                row("env AWS_ACCESS_KEY_ID=AKIA PWD=/x", "env AWS_ACCESS_KEY_ID=*** PWD=***"));
    }

    static Stream<String> kept() {
        return Stream.of(
                // words that hold a secret word without being one
                "xset --keyboard us --monkey 1",
                "tool --tokenizer bert --max-tokens 100 --keywords a",
                "tool --bypass x --passive y --compass z",
                "env OLDPWD=/tmp KEYBOARD=us",
                // names that say where the secret is
                "tool --password-file /run/secrets/db --key-file k.pem --token-path /t",
                "docker login --password-stdin -u bob registry",
                "gpg --passphrase-fd 0",
                // a secret flag followed by another option had no value
                "tool --password -v",
                "tool --password",
                "tool --password=",
                // short options are not guessed
                "mysql -u root -phunter2 -p hunter2",
                "curl -u alice:hunter2 https://x",
                "sshpass -p hunter2 ssh host",
                // positional words
                "kubectl get secret token",
                "ngrok authtoken t0k",
                "git commit -m fix",
                // URLs without a password
                "git clone ssh://git@host/r.git https://host:8443/x",
                "curl https://user@host/x",
                // ordinary options and assignments
                "ls -la --color=auto /tmp",
                "env PATH=/bin LANG=C make -j2");
    }

    @ParameterizedTest
    @MethodSource("masked")
    void secretsAreMasked(List<String> argv, List<String> shown) {
        assertThat(ArgvRedaction.redact(argv)).isEqualTo(shown);
    }

    /** Kept as they are, the very list: an argv without secrets costs no copy. */
    @ParameterizedTest
    @MethodSource("kept")
    void otherArgumentsAreKept(String commandLine) {
        List<String> argv = List.of(commandLine.split(" "));

        assertThat(ArgvRedaction.redact(argv)).isSameAs(argv);
    }

    @Test
    void anEmptyValueAfterASecretFlagStaysEmpty() {
        assertThat(ArgvRedaction.redact(List.of("tool", "--token", ""))).containsExactly("tool", "--token", "");
    }

    /** A command line split at spaces. */
    private static Arguments row(String argv, String shown) {
        return row(Arrays.asList(argv.split(" ")), Arrays.asList(shown.split(" ")));
    }

    private static Arguments row(List<String> argv, List<String> shown) {
        return Arguments.of(argv, shown);
    }
}
