package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through its own chromedriver (both
 * from scripts/install-deps; nothing is downloaded). Each test's end state
 * is kept as a screenshot in target/browser-screenshots.
 */
public final class Browser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/browser-screenshots");

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    public static Browser start() {
        assertThat(CHROMIUM).as("Debian's chromium (scripts/install-deps installs it)").isExecutable();
        assertThat(CHROMEDRIVER).as("Debian's chromium-driver (scripts/install-deps installs it)").isExecutable();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Root has no user namespace sandbox here; the page is the daemon's own, on loopback.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,900", "--no-first-run", "--disable-background-networking");
        // The HTTPS test's daemon shows a certificate of a CA made for that test, which a browser trusts only
        // through its own certificate store; every page here is the daemon's, on loopback.
        options.setAcceptInsecureCerts(true);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options));
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(URI uri) {
        driver.get(uri.toString());
    }

    /** Runs a script in the page and returns its result. */
    public Object script(String script, Object... arguments) {
        return driver.executeScript(script, arguments);
    }

    /** A command of the DevTools protocol (Performance.getMetrics, say) and its answer. */
    public Map<String, Object> devTools(String command, Map<String, Object> parameters) {
        return driver.executeCdpCommand(command, parameters);
    }

    /**
     * Waits until {@code condition} holds (is true or non-null), or fails after {@code patience}. A row the page
     * removed while the condition read it is asked about again: the table keeps only its newest rows.
     */
    public <T> T await(Duration patience, String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, patience, Duration.ofMillis(50)).withMessage(what)
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** Saves what the page shows now as target/browser-screenshots/{@code name}.png. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
