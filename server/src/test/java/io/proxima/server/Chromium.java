package io.proxima.server;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

/**
 * Debian's headless Chromium driven through its chromedriver, for the dashboard's browser tests.
 * {@link #require()} installs the packages when they are missing and this process may (root and
 * apt-get, as on CI); only when that is impossible does the test skip, saying why. The browser
 * starts with the flags that keep it off the network (this machine reaches only localhost and the
 * package registries) and a fresh profile.
 */
final class Chromium {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {}

    /** Makes sure the browser and its driver are installed, or skips the test with the reason. */
    static void require() {
        if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) return;
        String why = install();
        Assumptions.assumeTrue(Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER),
                "browser test skipped: Chromium is not installed and could not be installed (" + why + ");"
                        + " install the Debian packages chromium and chromium-driver");
    }

    private static String install() {
        if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) return "no apt-get on this machine";
        if (!"root".equals(System.getProperty("user.name"))) return "not root, cannot run apt-get";
        try {
            run(List.of("apt-get", "update", "-qq"));
            return run(List.of("apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"));
        } catch (IOException e) {
            return "apt-get failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        File log = File.createTempFile("apt", ".log");
        pb.redirectOutput(log);
        Process p = pb.start();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return String.join(" ", cmd) + " did not finish in 20 minutes";
        }
        String out = Files.readString(log.toPath());
        return String.join(" ", cmd) + " exited " + p.exitValue() + (p.exitValue() == 0 ? "" : ": " + tail(out));
    }

    private static String tail(String s) {
        return s.length() > 400 ? s.substring(s.length() - 400) : s;
    }

    /** A new headless browser with a fresh profile in {@code profile}, its console log kept (read with {@code manage().logs()}). */
    static ChromeDriver start(Path profile, int width, int height) {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(BROWSER.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=" + width + "," + height, "--hide-scrollbars");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, o);
    }
}
