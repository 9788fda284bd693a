package io.proxima.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The dashboard in a real browser (Debian's headless Chromium through chromedriver): the page
 * loads with no console error, its plots hold exactly the numbers the API returns for a curriculum
 * this test drives, they follow the trainer while it runs, and the tables agree with the existing
 * {@code /stats} route and with what the trainer itself counted. Screenshots are written to
 * {@code server/target/dashboard-screenshots/} (the test's artifacts).
 */
class DashboardBrowserTest extends ServerHarness {
    static final Path SHOTS = Path.of("target", "dashboard-screenshots");

    ChromeDriver browser;

    @BeforeAll
    static void browserInstalled() {
        Chromium.require();
    }

    @AfterEach
    void quit() {
        if (browser != null) browser.quit();
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }

    private void open(String path) throws IOException {
        if (browser == null) browser = Chromium.start(Files.createTempDirectory(dir, "chrome"), 1400, 2200);
        browser.get(base() + path);
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    /** Waits (polling, bounded) until {@code ready} holds; fails naming {@code what} otherwise. */
    private void await(String what, BooleanSupplier ready) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (ready.getAsBoolean()) return;
            Thread.sleep(100);
        }
        throw new AssertionError("the page never showed " + what + "; status: " + js("return document.getElementById('status').textContent"));
    }

    /**
     * Clicks what {@code by} finds, finding it again if the page re-rendered it in between (the
     * list of curricula is rebuilt every refresh, so a found link can go stale before the click).
     */
    private void click(By by) {
        for (int i = 0; ; i++) {
            try {
                browser.findElement(by).click();
                return;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (i == 10) throw e;
            }
        }
    }

    private long pageSteps() {
        Object v = js("return window.proxima && window.proxima.history ? window.proxima.history.steps : -1");
        return ((Number) v).longValue();
    }

    /** The data of the page's chart {@code key}: [x, series...] as uPlot holds it. */
    private JsonNode chartData(String key) throws IOException {
        Object s = js("const c = window.proxima.charts['" + key + "']; return c ? JSON.stringify(c.u.data) : null");
        assertThat(s).as("chart " + key + " is drawn").isNotNull();
        return Http.JSON.readTree((String) s);
    }

    private static void sameNumbers(String what, JsonNode drawn, JsonNode api) {
        assertThat(drawn.size()).as(what + ": points").isEqualTo(api.size());
        for (int i = 0; i < api.size(); i++) {
            if (api.get(i).isNull()) assertThat(drawn.get(i).isNull()).as(what + "[" + i + "] is a gap").isTrue();
            else assertThat(drawn.get(i).asDouble()).as(what + "[" + i + "]").isEqualTo(api.get(i).asDouble());
        }
    }

    /** Every plot of a discrete curriculum holds the series of GET /history. */
    private void plotsMatch(JsonNode h) throws IOException {
        JsonNode s = h.get("series");
        JsonNode gs = h.get("groupSeries");
        int groups = h.get("groups").size();
        for (String[] c : new String[][]{{"share", "share"}, {"advantage", "meanAbsAdvantage"}, {"probability", "probability"}, {"score", "score"}}) {
            JsonNode d = chartData(c[0]);
            assertThat(d.size()).as(c[0] + ": x and one series per group").isEqualTo(1 + groups);
            sameNumbers(c[0] + " x", d.get(0), s.get("step"));
            for (int g = 0; g < groups; g++) sameNumbers(c[0] + " " + h.get("groups").get(g).asText(), d.get(1 + g), gs.get(c[1]).get(g));
        }
        JsonNode eff = chartData("effective");
        sameNumbers("effective x", eff.get(0), s.get("step"));
        sameNumbers("effective ratio", eff.get(1), s.get("effectiveRatio"));
        JsonNode ro = chartData("rollouts");
        sameNumbers("rollouts total", ro.get(1), s.get("rolloutsTotal"));
        sameNumbers("rollouts per step", ro.get(2), s.get("rollouts"));
        JsonNode hist = chartData("histogram");
        sameNumbers("pass-rate histogram now", hist.get(1), h.get("now").get("passRateHistogram"));
        // earlier: the sampled histogram 20 steps back (the field's default), when there is one
        long back = h.get("steps").asLong() - 20;
        JsonNode earlier = null;
        for (JsonNode r : h.get("passRateHistograms").get("rows")) if (r.get("step").asLong() <= back) earlier = r.get("counts");
        if (earlier != null) sameNumbers("pass-rate histogram 20 steps ago", hist.get(2), earlier);
    }

    private void noConsoleErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.WARNING.intValue()) errors.add(e.getLevel() + " " + e.getMessage());
        }
        assertThat(errors).as("browser console").isEmpty();
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(SHOTS);
        Files.write(SHOTS.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static double cellNumber(String cell) {
        return Double.parseDouble(cell.replace(",", ""));
    }

    /**
     * The texts of the cells of the first row {@code css} finds, read in one script: the page
     * rebuilds its tables on every refresh, so cells read one call at a time could come from two
     * renderings (or go stale in between).
     */
    @SuppressWarnings("unchecked")
    private List<String> rowCells(String css) {
        Object cells = ((JavascriptExecutor) browser).executeScript(
                "const r = document.querySelector(arguments[0]); return r ? Array.from(r.querySelectorAll('td'), td => td.textContent) : null;", css);
        assertThat(cells).as("a row " + css).isNotNull();
        return (List<String>) cells;
    }

    @Test
    void theCurriculumPageShowsTheNumbersTheApiReturnsAndFollowsTheTrainer() throws Exception {
        start(ServerOptions.of(dir, 0));
        DashboardTrainer t = new DashboardTrainer(http, "run-1", "sec", 12, 6, 11);
        t.run(40);
        new DashboardTrainer(http, "baseline", "uniform", 4, 3, 5).run(4);

        open("/");
        await("the list of curricula", () -> browser.findElements(By.cssSelector("#curricula tbody tr")).size() == 2);
        JsonNode stats = http.get("/v1/curricula/run-1/stats").json();
        List<String> cells = rowCells("#curricula tr[data-id='run-1']");
        assertThat(cells.get(2)).isEqualTo("sec");
        assertThat(cellNumber(cells.get(3))).isEqualTo(36);
        assertThat(cellNumber(cells.get(4))).as("reports").isEqualTo(stats.get("reports").asDouble());
        assertThat(cellNumber(cells.get(5))).as("rollouts").isEqualTo(stats.get("rollouts").asDouble());
        assertThat(cellNumber(cells.get(6))).as("effective ratio").isCloseTo(stats.get("effectiveRatio").asDouble(), within(0.0006));
        assertThat(cells.get(8)).as("last report").endsWith("ago");
        screenshot("curricula.png");

        click(By.linkText("run-1"));
        await("40 steps of run-1", () -> pageSteps() == 40 && js("return window.proxima.charts.histogram ? 1 : 0").equals(1L));
        JsonNode h = http.get("/v1/curricula/run-1/history").json();
        assertThat(h.get("steps").asInt()).isEqualTo(40);
        plotsMatch(h);
        assertThat(browser.findElement(By.id("pipeline")).getText()).contains("group policy " + h.get("pipelines").get(0).get("groupPolicy").asText());
        // The groups table agrees with the existing /stats route.
        for (JsonNode g : stats.get("groups")) {
            List<String> gc = rowCells("#groups-table tr[data-group='" + g.get("name").asText() + "']");
            assertThat(cellNumber(gc.get(2))).as("selections of " + g.get("name")).isEqualTo(g.get("selections").asDouble());
            assertThat(cellNumber(gc.get(4))).as("probability of " + g.get("name")).isCloseTo(g.get("probability").asDouble(),
                    within(Math.abs(g.get("probability").asDouble()) * 0.005 + 1e-9));
        }
        // The most selected task is the one the trainer drew most (ties: any of them).
        await("the tasks table", () -> !browser.findElements(By.cssSelector("#tasks-table tbody tr")).isEmpty());
        List<String> top = rowCells("#tasks-table tbody tr");
        int most = t.drawn.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertThat(t.drawn.get(top.get(0))).as("the top task was drawn most").isEqualTo(most);
        assertThat(cellNumber(top.get(2))).isEqualTo(most);
        screenshot("curriculum.png");
        // the README's picture: the top of the page at a common screen size
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1500));
        Thread.sleep(300); // a resize redraws the charts in the page's next frame
        screenshot("dashboard.png");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 2200));

        // Live: the trainer goes on; the open page follows without a reload.
        t.run(5);
        await("45 steps", () -> pageSteps() == 45);
        Thread.sleep(50); // the charts are fed in the same task that stores the history
        plotsMatch(http.get("/v1/curricula/run-1/history").json());

        // Search by id.
        WebElement q = browser.findElement(By.id("task-query"));
        q.sendKeys("hard/1");
        await("the search", () -> Boolean.TRUE.equals(js("const ids = Array.from(document.querySelectorAll('#tasks-table tbody tr td:first-child'), td => td.textContent);"
                + " return ids.length === 3 && ids.every(id => id.includes('hard/1'));"))); // hard/1, hard/10, hard/11

        // One task's page: what the trainer did with it.
        String task = "medium/3";
        browser.get(base() + "/#/c/run-1/task/" + java.net.URLEncoder.encode(task, java.nio.charset.StandardCharsets.UTF_8));
        await("the task page", () -> Boolean.TRUE.equals(js("return !!(window.proxima.task && window.proxima.task.taskId === '" + task + "')")));
        assertThat(browser.findElements(By.cssSelector("#task-reports tbody tr"))).hasSize(t.reported.getOrDefault(task, 0));
        assertThat(browser.findElements(By.cssSelector("#task-selections tbody tr"))).hasSize(t.drawn.getOrDefault(task, 0));
        JsonNode th = http.get("/v1/curricula/run-1/task-history?taskId=medium%2F3").json();
        if (th.get("reports").size() > 0) {
            JsonNode d = chartData("task");
            for (int i = 0; i < th.get("reports").size(); i++) {
                assertThat(d.get(1).get(i).asDouble()).isEqualTo(th.get("reports").get(i).get("passRateAfter").asDouble());
            }
        }
        screenshot("task.png");
        noConsoleErrors();
    }

    @Test
    void withATokenThePageAsksForItKeepsItInTheTabAndSendsIt() throws Exception {
        start(ServerOptions.of(dir, 0).withToken("s3cret-token"));
        new DashboardTrainer(http, "run-t", "odf", 5, 4, 2).run(6);
        open("/");
        await("the token prompt", () -> browser.findElement(By.id("main")).getText().contains("requires a token"));
        browser.findElement(By.id("token")).sendKeys("s3cret-token");
        browser.findElement(By.cssSelector("#token-form button")).click();
        await("the list", () -> browser.findElements(By.cssSelector("#curricula tr[data-id='run-t']")).size() == 1);
        assertThat(js("return sessionStorage.getItem('proxima.token')")).isEqualTo("s3cret-token");
        click(By.linkText("run-t"));
        await("6 steps", () -> pageSteps() == 6);
        JsonNode h = http.get("/v1/curricula/run-t/history").json();
        plotsMatch(h);
        JsonNode band = chartData("band"); // ODF's band occupancy
        sameNumbers("in band", band.get(1), h.get("band").get("inBand"));
        sameNumbers("never reported", band.get(4), h.get("band").get("untried"));
        // a curriculum with tasks but no step yet: empty plots, no error
        assertThat(http.post("/v1/curricula", "{\"id\":\"fresh\",\"config\":{\"recipe\":\"dump\",\"seed\":1}}").status()).isEqualTo(201);
        assertThat(http.post("/v1/curricula/fresh/tasks", "[{\"id\":\"q/1\",\"group\":\"q\"}]").status()).isEqualTo(200);
        browser.get(base() + "/#/c/fresh");
        await("the fresh curriculum", () -> Boolean.TRUE.equals(js("return !!(window.proxima.history && window.proxima.history.id === 'fresh' && window.proxima.charts.share)")));
        assertThat(chartData("share").get(0).size()).isZero();
        assertThat(browser.findElement(By.id("card-batches")).getText()).contains("No batch drawn yet");
        noConsoleErrors();
    }

    @Test
    void aPlrCurriculumShowsItsReplayScoresAndStaleness() throws Exception {
        start(ServerOptions.of(dir, 0));
        DashboardTrainer t = new DashboardTrainer(http, "replay", "plr", 8, 3, 21);
        t.run(25);
        open("/#/c/replay");
        await("25 steps with PLR's panel", () -> pageSteps() == 25 && js("return window.proxima.charts.plrSeries ? 1 : 0").equals(1L));
        JsonNode h = http.get("/v1/curricula/replay/history").json();
        plotsMatch(h);
        JsonNode plr = h.get("plr");
        JsonNode now = plr.get("now");
        assertThat(now.get("seen").asInt()).isPositive();
        JsonNode scores = chartData("plrScores");
        sameNumbers("PLR score histogram", scores.get(1), now.get("scoreCounts"));
        double high = now.get("scoreHigh").asDouble();
        for (int k = 0; k < 20; k++) assertThat(scores.get(0).get(k).asDouble()).as("bin center " + k).isCloseTo((k + 0.5) * high / 20, within(1e-12));
        sameNumbers("PLR staleness histogram", chartData("plrStaleness").get(1), now.get("stalenessCounts"));
        JsonNode series = chartData("plrSeries");
        sameNumbers("PLR x", series.get(0), h.get("series").get("step"));
        String[] names = {"scoreP10", "scoreMedian", "scoreP90", "scoreMax", "stalenessMedian", "stalenessMax"};
        for (int k = 0; k < names.length; k++) sameNumbers("PLR " + names[k], series.get(1 + k), plr.get("series").get(names[k]));
        assertThat(browser.findElement(By.id("plr-caption")).getText()).contains(now.get("seen").asInt() + " of 24 tasks seen");
        assertThat(browser.findElement(By.id("card-plrScores")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("card-band")).isDisplayed()).as("no band without ODF").isFalse();
        ((JavascriptExecutor) browser).executeScript("document.getElementById('card-plrScores').scrollIntoView()");
        screenshot("plr.png");
        // a curriculum without PLR keeps the panel hidden
        new DashboardTrainer(http, "plain", "sec", 3, 2, 1).run(2);
        browser.get(base() + "/#/c/plain");
        await("the sec curriculum", () -> Boolean.TRUE.equals(js("return !!(window.proxima.history && window.proxima.history.id === 'plain' && window.proxima.charts.share)")));
        assertThat(browser.findElement(By.id("card-plrScores")).isDisplayed()).isFalse();
        assertThat(js("return window.proxima.charts.plrScores ? 1 : 0")).isEqualTo(0L);
        noConsoleErrors();
    }

    @Test
    void aContinuousCurriculumShowsItsReturnsAndTheTeachersGaussians() throws Exception {
        start(ServerOptions.of(dir, 0));
        assertThat(http.post("/v1/curricula", ContinuousServerTest.create("walker", ContinuousServerTest.CONFIG)).status()).isEqualTo(201);
        SplittableRandom rnd = new SplittableRandom(4);
        for (int s = 0; s < 30; s++) {
            JsonNode next = http.post("/v1/curricula/walker/next", Http.next(8, null)).json();
            assertThat(http.post("/v1/curricula/walker/report", ContinuousServerTest.reportJson("b" + s, next, rnd)).status()).isEqualTo(200);
        }
        open("/#/c/walker");
        await("30 steps", () -> pageSteps() == 30);
        JsonNode h = http.get("/v1/curricula/walker/history").json();
        assertThat(h.get("now").get("gaussians").size()).as("ALP-GMM has fitted").isGreaterThan(0);
        JsonNode ret = chartData("return");
        sameNumbers("mean return", ret.get(1), h.get("series").get("meanReturn"));
        sameNumbers("episodes", chartData("episodes").get(1), h.get("series").get("episodesTotal"));
        // The canvas has the Gaussians drawn on it (pixels of their colours, not only the frame).
        Object coloured = js("const c = document.getElementById('gmm-canvas'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + " let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (Math.abs(d[i] - d[i + 1]) > 40 || Math.abs(d[i + 1] - d[i + 2]) > 40)) n++; return n;");
        assertThat(((Number) coloured).longValue()).isGreaterThan(100);
        screenshot("continuous.png");
        noConsoleErrors();
    }

    @Test
    void aLabReportOpensInThePage() throws Exception {
        start(ServerOptions.of(dir, 0));
        Path report = Files.createDirectories(dir.resolve("lab"));
        Files.writeString(report.resolve("summary.csv"), "teacher,seed,final_accuracy,auc\nuniform,1,0.41,0.30\nsec,1,0.55,0.42\n");
        StringBuilder curves = new StringBuilder("teacher,seed,point,rollouts,heldout_accuracy,pool_accuracy,effective_ratio\n");
        for (String teacher : List.of("uniform", "sec")) {
            for (int k = 0; k < 5; k++) {
                curves.append(teacher).append(",1,").append(k).append(',').append(1000 * k).append(',').append(0.1 * k + (teacher.equals("sec") ? 0.05 : 0))
                        .append(",0.5,").append(0.6).append('\n');
            }
        }
        Files.writeString(report.resolve("curves.csv"), curves.toString());
        Files.writeString(report.resolve("report.md"), "# Lab report\n\nsec beats uniform.\n");
        open("/#/lab");
        // the page shows its view once it has read /dashboard/config.json
        await("the file chooser", () -> !browser.findElements(By.id("lab-files")).isEmpty());
        WebElement input = browser.findElement(By.id("lab-files"));
        input.sendKeys(String.join("\n", report.resolve("summary.csv").toAbsolutePath().toString(),
                report.resolve("curves.csv").toAbsolutePath().toString(), report.resolve("report.md").toAbsolutePath().toString()));
        await("the lab report", () -> browser.findElements(By.cssSelector("#lab-summary tbody tr")).size() == 2);
        JsonNode acc = chartData("lab-heldout_accuracy");
        assertThat(acc.get(2).get(4).asDouble()).as("sec at point 4").isCloseTo(0.45, within(1e-12));
        assertThat(browser.findElement(By.cssSelector("pre.md")).getText()).contains("sec beats uniform");

        // a continuous report (ContinuousReport's columns): its mastery curve
        Path cont = Files.createDirectories(dir.resolve("lab-continuous"));
        Files.writeString(cont.resolve("summary.csv"), "teacher,seed,final_mastery,auc\nrandom,1,0.2,0.1\nrandom,2,0.3,0.1\nalp-gmm,1,0.5,0.3\n");
        StringBuilder cc = new StringBuilder("teacher,seed,point,episodes,mastery\n");
        for (int seed = 1; seed <= 2; seed++) for (int k = 0; k < 3; k++) cc.append("random,").append(seed).append(',').append(k).append(',').append(100 * k).append(',').append(0.1 * k * seed).append('\n');
        for (int k = 0; k < 3; k++) cc.append("alp-gmm,1,").append(k).append(',').append(100 * k).append(',').append(0.25 * k).append('\n');
        Files.writeString(cont.resolve("curves.csv"), cc.toString());
        input.sendKeys(String.join("\n", cont.resolve("summary.csv").toAbsolutePath().toString(), cont.resolve("curves.csv").toAbsolutePath().toString()));
        await("the continuous report", () -> browser.findElements(By.cssSelector("#lab-summary tbody tr")).size() == 3
                && js("return window.proxima.charts['lab-mastery'] ? 1 : 0").equals(1L));
        JsonNode mastery = chartData("lab-mastery");
        assertThat(mastery.get(1).get(2).asDouble()).as("random at point 2: mean of 0.2 and 0.4").isCloseTo(0.3, within(1e-12));
        assertThat(mastery.get(2).get(2).asDouble()).as("alp-gmm at point 2").isCloseTo(0.5, within(1e-12));
        noConsoleErrors();
    }
}
