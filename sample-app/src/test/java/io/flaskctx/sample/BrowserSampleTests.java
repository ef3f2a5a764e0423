package io.flaskctx.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The server-rendered pages in a real browser (headless Chromium through the system chromedriver; no download,
 * no network): the admin blueprint's login-required hook redirects to the login form, a flashed message shows
 * once, logging in leads to the admin page with g.user. Keeps a screenshot of the admin page,
 * target/screenshots/admin.png. Skipped, saying so, where Chromium or chromedriver is missing (.ci/run installs
 * them).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {"sample.offline-job.enabled=false",
        "sample.digest.enabled=false"})
class BrowserSampleTests {

    private static final List<String> CHROMIUM = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome");
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    @LocalServerPort
    private int port;

    private ChromeDriver browser;

    @BeforeEach
    void startChromium() {
        String binary = CHROMIUM.stream().filter(path -> new File(path).canExecute()).findFirst().orElse(null);
        assumeTrue(binary != null, "Chromium is not installed (looked for " + CHROMIUM + "); install the Debian"
                + " packages chromium and chromium-driver to run the browser test");
        assumeTrue(new File(CHROMEDRIVER).canExecute(), "chromedriver is not installed at " + CHROMEDRIVER
                + "; install the Debian package chromium-driver to run the browser test");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1024,768");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
    }

    @AfterEach
    void stopChromium() {
        if (browser != null) {
            browser.quit();
        }
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private List<String> flashes() {
        return browser.findElements(By.cssSelector("#flashes li")).stream()
                .map(li -> li.getAttribute("class") + ": " + li.getText()).toList();
    }

    @Test
    void logInThroughTheFormAndSeeTheAdminPage() throws Exception {
        browser.get(url("/pages/admin"));
        // the admin blueprint's before hook sent us to the form, with a flashed message
        assertThat(browser.getCurrentUrl()).isEqualTo(url("/pages/login"));
        assertThat(flashes()).containsExactly("error: Please log in to see that page.");
        assertThat(browser.findElement(By.id("user")).getText()).isEqualTo("anonymous");

        browser.navigate().refresh();
        assertThat(flashes()).as("a flashed message shows once").isEmpty();

        browser.findElement(By.id("username")).sendKeys("alice");
        browser.findElement(By.id("password")).sendKeys("wrong");
        browser.findElement(By.id("submit")).click();
        assertThat(flashes()).containsExactly("error: Wrong user name or password.");

        browser.findElement(By.id("username")).sendKeys("alice");
        browser.findElement(By.id("password")).sendKeys("letmein");
        browser.findElement(By.id("submit")).click();
        // A click that submits a form can return before the browser has followed the redirect, so the address is
        // awaited rather than read at once.
        awaitAddress("/pages/admin");
        assertThat(flashes()).containsExactly("success: Welcome, alice!");
        assertThat(browser.findElement(By.id("g-user")).getText()).isEqualTo("alice");
        assertThat(browser.findElement(By.id("session-user")).getText()).isEqualTo("alice");
        assertThat(browser.findElement(By.id("user")).getText()).isEqualTo("alice");
        assertThat(browser.findElement(By.id("blueprints")).getText()).isEqualTo("[pages.admin, pages]");

        Path screenshots = Path.of("target", "screenshots");
        Files.createDirectories(screenshots);
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), screenshots.resolve("admin.png"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(screenshots.resolve("admin.png"))).isPositive();

        browser.navigate().refresh();
        assertThat(flashes()).as("the welcome shows once").isEmpty();
        assertThat(browser.findElement(By.id("g-user")).getText()).isEqualTo("alice");

        WebElement logout = browser.findElement(By.id("logout"));
        logout.click();
        assertThat(flashes()).containsExactly("info: You are logged out.");
        browser.get(url("/pages/admin"));
        awaitAddress("/pages/login");
    }

    /** Waits up to 10 s for the browser to be at {@code path}; fails naming where it is and what it flashed. */
    private void awaitAddress(String path) {
        try {
            new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.urlToBe(url(path)));
        } catch (TimeoutException stillElsewhere) {
            assertThat(browser.getCurrentUrl()).as("the address 10 s later; the page flashed %s", flashes())
                    .isEqualTo(url(path));
        }
    }
}
