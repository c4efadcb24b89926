package io.bpfscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.testing.Browser;
import io.bpfscope.testing.Certificates;
import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.Writer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The live view at / in Debian's Chromium against the packaged daemon and
 * real processes: execs appear with their argv and result, hostile argv is
 * inert text, filters narrow the table and live in the URL, a wrong token
 * gets one message, and the stream comes back across a restart.
 */
class LiveViewIT {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static Browser browser;

    @BeforeAll
    static void start() {
        Kernel.requireRoot();
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void thePageComesWithAPolicyThatAllowsNoInlineScript(@TempDir Path state) throws Exception {
        try (Daemon daemon = Daemon.listening(state)) {
            HttpResponse<String> page = daemon.get("/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(PageRoutes.CONTENT_SECURITY_POLICY);
            assertThat(PageRoutes.CONTENT_SECURITY_POLICY).contains("script-src 'self'").doesNotContain("unsafe-inline");
            assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(page.body()).contains("<script src=\"/ui/app.js\" defer></script>").doesNotContain("onclick");
            for (String script : List.of("/ui/app.js", "/ui/overview.js")) {
                HttpResponse<String> served = daemon.get(script);
                assertThat(served.headers().firstValue("Content-Type")).as(script).hasValue("text/javascript; charset=utf-8");
                assertThat(served.headers().firstValue("Content-Security-Policy")).as(script)
                        .hasValue(PageRoutes.CONTENT_SECURITY_POLICY);
            }
        }
        try (Daemon off = Daemon.listening(state, "-Dbpfscope.ui.enabled=false")) {
            assertThat(off.get("/").statusCode()).isEqualTo(404);
            assertThat(off.get("/ui/app.js").statusCode()).isEqualTo(404);
            assertThat(off.get("/ui/overview.js").statusCode()).isEqualTo(404);
            assertThat(off.get("/q/metrics").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anExecAppearsWithinASecondWithItsArgvAndResult(@TempDir Path state, TestInfo test) throws Exception {
        try (Daemon daemon = Daemon.listening(state)) {
            openLive(daemon.uri("/"));
            String marker = "live-" + UUID.randomUUID();
            long started = System.nanoTime();
            run("/bin/echo", marker, "second argument");
            WebElement row = rowWith(marker, WAIT);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(millis).as("ms from exec to its row").isLessThan(SECOND.toMillis());
            assertThat(cells(row)).element(1).isEqualTo("exec");
            assertThat(cells(row)).element(6).isEqualTo("echo");
            assertThat(cells(row)).element(7).isEqualTo("/bin/echo");
            assertThat(cells(row)).element(8).isEqualTo("/bin/echo " + marker + " second argument");
            assertThat(cells(row)).element(9).isEqualTo("ok");
            endState(test);
        }
    }

    @Test
    void anExitShowsItsCodeOrItsSignal(@TempDir Path state, TestInfo test) throws Exception {
        try (Daemon daemon = Daemon.listening(state)) {
            openLive(daemon.uri("/"));
            String failed = "failed-" + UUID.randomUUID();
            String killed = "killed-" + UUID.randomUUID();
            // sh's $0 is the marker, so its exec row names it; its exit row has its PID.
            assertThat(exitStatus("/bin/sh", "-c", "exit 3", failed)).isEqualTo(3);
            assertThat(exitStatus("/bin/sh", "-c", "kill -KILL $$", killed)).isEqualTo(128 + 9);
            assertExit(failed, "exit 3", "failed");
            assertExit(killed, "SIGKILL", "signal");
            endState(test);
        }
    }

    @Test
    void kernelLossesShowInTheTableWhereTheyHappened(@TempDir Path state, TestInfo test) throws Exception {
        // A write buffer of one page, which a traced dd overflows.
        try (Daemon daemon = Daemon.listening(state, "-Dbpfscope.write.buffer-bytes=4096");
                Writer writer = Writer.prepare(300_000, 1)) {
            daemon.trace(writer.pid());
            openLive(daemon.uri("/?type=write&pid=" + writer.pid()));
            writer.run();
            // Its text, read at once: the table keeps only its newest rows, and dd's go on coming.
            String gap = browser.await(WAIT, "a kernel loss's row", driver -> driver
                    .findElements(By.cssSelector("#rows tr.lost")).stream().map(WebElement::getText)
                    .filter(text -> text.contains("stage kernel, buffer_full")).findFirst().orElse(null));
            assertThat(gap).matches("(?s).*[0-9]+ write events lost: stage kernel, buffer_full \\(every write of"
                    + " the node; some would not have matched\\).*");
            WebElement lostKernel = browser.await(WAIT, "the kernel's losses counted in the health panel", driver -> {
                WebElement value = driver.findElement(By.xpath("//dl[@id='health']/dt[.='lost, kernel']/following-sibling::dd[1]"));
                return "bad".equals(value.getDomAttribute("class")) ? value : null;
            });
            assertThat(Long.parseLong(lostKernel.getText())).isPositive();
            endState(test);
        }
    }

    @Test
    void hostileArgvRendersAsInertText(@TempDir Path state, TestInfo test) throws Exception {
        try (Daemon daemon = Daemon.listening(state)) {
            openLive(daemon.uri("/"));
            String marker = "hostile-" + UUID.randomUUID();
            String script = "<script>window.__pwned=1</script>";
            String image = "<img src=x onerror=\"window.__pwned=2\">";
            String quotes = "'\"`";
            String long4k = "x".repeat(4096);
            // Raw bytes through bash: a control character, an escape sequence and invalid UTF-8; the
            // 4 KiB argument last, as argv is cut at 4 KiB.
            run("/bin/bash", "-c", "exec /bin/true \"$1\" \"$2\" \"$3\" \"$4\" $'\\x01\\x1b[31mred' $'\\xff\\xfe' \"$5\"",
                    "bash", marker, script, image, quotes, long4k);
            // /bin/true's exec, not bash's, whose own argv names the marker too.
            WebElement row = browser.await(WAIT, "true's exec", driver -> driver.findElements(By.cssSelector("#rows tr.exec"))
                    .stream().filter(each -> cells(each).get(6).equals("true") && cells(each).get(8).contains(marker))
                    .findFirst().orElse(null));
            String argv = cells(row).get(8);
            assertThat(argv).contains(script, image, quotes)
                    .contains("\u2401\u241b[31mred")
                    .contains("\ufffd\ufffd");
            assertThat(browser.script("return document.querySelectorAll('#rows script, #rows img').length"))
                    .isEqualTo(0L);
            assertThat(browser.script("return window.__pwned === undefined")).isEqualTo(true);
            Long rowHeight = (Long) browser.script("return Math.round(arguments[0].getBoundingClientRect().height)", row);
            assertThat(rowHeight).as("a 4 KiB argument does not stretch its row").isLessThan(120L);
            endState(test);
        }
    }

    @Test
    void aFilterSetInThePageNarrowsTheTableAndTheUrl(@TempDir Path state, TestInfo test) throws Exception {
        try (Daemon daemon = Daemon.listening(state)) {
            openLive(daemon.uri("/"));
            String wanted = "wanted-" + UUID.randomUUID();
            WebElement comm = browser.driver().findElement(By.name("comm"));
            comm.sendKeys("printf");
            browser.driver().findElement(By.cssSelector("#filter-form button[type=submit]")).click();
            browser.await(WAIT, "the URL to carry the filter",
                    driver -> driver.getCurrentUrl().contains("comm=printf") ? true : null);
            awaitLive();
            run("/bin/echo", "unwanted-" + wanted);
            run("/usr/bin/printf", wanted);
            rowWith(wanted, WAIT);
            List<String> comms = browser.driver().findElements(By.cssSelector("#rows tr.exec")).stream()
                    .map(row -> cells(row).get(6)).toList();
            assertThat(comms).isNotEmpty().containsOnly("printf");

            // The URL is the view: opened afresh, it has the same filter.
            browser.open(URI.create(browser.driver().getCurrentUrl()));
            assertThat(browser.driver().findElement(By.name("comm")).getDomProperty("value")).isEqualTo("printf");
            endState(test);
        }
    }

    @Test
    void aBusyWriterTopsTheWritersWithItsRateAndSizes(@TempDir Path state, TestInfo test) throws Exception {
        try (Daemon daemon = Daemon.listening(state); Writer writer = Writer.prepare(20_000_000, 1)) {
            openLive(daemon.uri("/"));
            writer.release();
            // Read in one go: the table is redrawn every second.
            List<String> top = browser.await(WAIT, "the writer among the busiest", driver -> topComms().stream()
                    .filter(row -> row.getFirst().equals(writer.comm())).findFirst().orElse(null));
            assertThat(top).element(1).isEqualTo("host");
            assertThat(rate(top.get(2))).as("writes/s").isGreaterThan(10_000);
            assertThat(rate(top.get(3))).as("bytes/s of 1-byte writes").isEqualTo(rate(top.get(2)));
            // Bars from the first bucket holding writes: the node's 1-byte writes are the writer's, the most
            // (the histograms are read every fifth second).
            browser.await(WAIT, "the 1-byte bucket first and fullest", driver -> browser.script(
                    "const sizes = document.getElementById('sizes');"
                    + " return sizes.children.length > 0 && sizes.children[0].textContent === '≤ 1 B'"
                    + " && sizes.querySelector('.bar').style.width === '100%'").equals(true) ? true : null);
            // An exec in the table too: README's picture of the view is this test's end state.
            run("/bin/ls", "-l", "/etc/hostname");
            rowWith("/etc/hostname", WAIT);
            endState(test);
        }
    }

    @Test
    void aPidAddedInThePageReachesTheFilterAndItsWritesTheTable(@TempDir Path state, TestInfo test) throws Exception {
        try (Daemon daemon = Daemon.listening(state)) {
            Process sleeper = new ProcessBuilder("/bin/sleep", "60").start();
            try {
                openLive(daemon.uri("/?type=write"));
                browser.driver().findElement(By.id("pid-input")).sendKeys(Long.toString(sleeper.pid()));
                browser.driver().findElement(By.cssSelector("#pid-form button[type=submit]")).click();
                browser.await(WAIT, "the PID listed", driver -> driver
                        .findElements(By.cssSelector("#pids li[data-pid='" + sleeper.pid() + "']")).isEmpty() ? null : true);
                assertThat(daemon.get("/filters/pids").body()).contains("\"pids\":[" + sleeper.pid() + "]");

                browser.driver().findElement(By.id("pid-input")).sendKeys("0");
                browser.driver().findElement(By.cssSelector("#pid-form button[type=submit]")).click();
                assertThat(browser.driver().findElement(By.id("pid-message")).getText())
                        .isEqualTo("A PID is a positive whole number.");

                browser.driver().findElement(By.cssSelector("#pids li[data-pid='" + sleeper.pid() + "'] button")).click();
                browser.await(WAIT, "the PID gone", driver -> driver.findElements(By.cssSelector("#pids li")).isEmpty()
                        ? true : null);
                assertThat(daemon.get("/filters/pids").body()).contains("\"pids\":[]");
                endState(test);
            } finally {
                sleeper.destroy();
            }
        }
    }

    @Test
    void aWrongTokenGetsOneClearMessageAndTheRightOneTheStream(@TempDir Path state, TestInfo test) throws Exception {
        try (Daemon daemon = Daemon.listening(state, "-Dbpfscope.api.token=right-token")) {
            openAskingForToken(daemon.uri("/"));
            enterToken("wrong-token");
            browser.await(WAIT, "the wrong token's message", driver -> driver.findElement(By.id("token-message")).getText()
                    .equals("That token is not this daemon's.") ? true : null);
            enterToken("right-token");
            awaitLive();
            assertThat(browser.driver().getCurrentUrl()).doesNotContain("token");
            String marker = "token-" + UUID.randomUUID();
            run("/bin/echo", marker);
            rowWith(marker, WAIT);
            endState(test);
            browser.script("sessionStorage.clear()");
        }
    }

    @Test
    void theStreamComesBackAfterARestartAndSaysWhatItMissed(@TempDir Path state, TestInfo test) throws Exception {
        String before = "before-" + UUID.randomUUID();
        String after = "after-" + UUID.randomUUID();
        try (Daemon first = Daemon.listening(state)) {
            openLive(first.uri("/"));
            run("/bin/echo", before);
            rowWith(before, WAIT);
            assertThat(first.terminate(WAIT)).isZero();
            browser.await(WAIT, "the view to say it reconnects", driver -> driver.findElement(By.id("stream-state"))
                    .getDomAttribute("data-state").equals("reconnecting") ? true : null);
            try (Daemon second = Daemon.listening(first.port(), state)) {
                WebElement gap = browser.await(WAIT, "the restart's lost row", driver -> driver
                        .findElements(By.cssSelector("#rows tr.lost")).stream()
                        .filter(row -> row.getText().contains("stage daemon, restart")).findFirst().orElse(null));
                assertThat(gap.getText()).contains("an unknown number of");
                awaitLive();
                run("/bin/echo", after);
                rowWith(after, WAIT);
                assertThat(browser.driver().findElements(By.xpath("//tr[contains(., '" + before + "')]")))
                        .as("the rows before the restart stay").hasSize(1);
                endState(test);
            }
        }
    }

    @Test
    void theViewWorksOverHttps(@TempDir Path dir, TestInfo test) throws Exception {
        Certificates certificates = Certificates.in(dir);
        Certificates.Issued server = certificates.server(certificates.authority("live-view-ca"), "live-view");
        try (Daemon daemon = Daemon.start(List.of(), dir.resolve("state"), "-Dbpfscope.tls.cert-file=" + server.cert(),
                "-Dbpfscope.tls.key-file=" + server.key(), "-Dbpfscope.api.token=https-token")) {
            daemon.awaitListening(WAIT);
            openAskingForToken(URI.create("https://127.0.0.1:" + daemon.port() + "/"));
            enterToken("https-token");
            awaitLive();
            String marker = "https-" + UUID.randomUUID();
            run("/bin/echo", marker);
            rowWith(marker, WAIT);
            assertThat(browser.driver().getCurrentUrl()).startsWith("https://").doesNotContain("token");
            endState(test);
            browser.script("sessionStorage.clear()");
        }
    }

    /** The page as the test leaves it, kept as target/browser-screenshots/TEST.png. */
    private static void endState(TestInfo test) {
        browser.screenshot(test.getTestMethod().orElseThrow().getName());
    }

    private static void openLive(URI page) {
        browser.open(page);
        awaitLive();
    }

    /** Opens the page with no token kept, and waits for it to ask for one. */
    private static void openAskingForToken(URI page) {
        browser.open(page);
        browser.script("sessionStorage.clear()");
        browser.open(page);
        browser.await(WAIT, "the token form", driver -> driver.findElement(By.id("token-form")).isDisplayed() ? true : null);
    }

    private static void enterToken(String token) {
        browser.driver().findElement(By.id("token-input")).sendKeys(token);
        browser.driver().findElement(By.cssSelector("#token-form button")).click();
    }

    private static void awaitLive() {
        browser.await(WAIT, "the stream to be live", driver -> driver.findElement(By.id("stream-state"))
                .getDomAttribute("data-state").equals("live") ? true : null);
    }

    private static WebElement rowWith(String text, Duration patience) {
        return browser.await(patience, "a row with " + text, driver -> driver.findElements(By.cssSelector("#rows tr"))
                .stream().filter(row -> row.getText().contains(text)).findFirst().orElse(null));
    }

    private static List<String> cells(WebElement row) {
        return row.findElements(By.tagName("td")).stream().map(cell -> cell.getDomProperty("textContent")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<List<String>> topComms() {
        return (List<List<String>>) browser.script("return [...document.querySelectorAll('#top-comms tr')]"
                + ".map(row => [...row.cells].map(cell => cell.textContent));");
    }

    /** A rate as the page shows it: 12.3k, 4.5M, 812. */
    private static double rate(String shown) {
        double scale = switch (shown.charAt(shown.length() - 1)) {
            case 'k' -> 1e3;
            case 'M' -> 1e6;
            case 'G' -> 1e9;
            default -> 1;
        };
        return Double.parseDouble(scale == 1 ? shown : shown.substring(0, shown.length() - 1)) * scale;
    }

    /** The exit row of the process whose exec row names {@code marker}: its result, how long it lived, its class. */
    private static void assertExit(String marker, String result, String rowClass) {
        String pid = cells(rowWith(marker, WAIT)).get(3);
        WebElement exit = browser.await(WAIT, "the exit of " + pid, driver -> driver.findElements(By.cssSelector(
                "#rows tr.exit")).stream().filter(row -> cells(row).get(3).equals(pid)).findFirst().orElse(null));
        assertThat(cells(exit).get(9)).matches(result + " after [0-9.]+ (ns|µs|ms|s)");
        assertThat(exit.getDomAttribute("class")).contains(rowClass);
    }

    private static int exitStatus(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor();
    }

    private static void run(String... command) throws Exception {
        assertThat(exitStatus(command)).as(String.join(" ", command)).isZero();
    }
}
