package io.bayeuxd.bench.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The table, the JSON line, the files and the SVG plot. */
class ReportTest {

    @Test
    void theJsonLineHasTheHeadlineNumbers() throws Exception {
        RunResult result = result(latencies(1_000, 2_000, 3_000, 50_000));

        String line = new ResultReport(result).jsonLine();

        assertThat(line).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("label").asText()).isEqualTo("faye \"ws\"");
        assertThat(json.get("transport").asText()).isEqualTo("websocket");
        assertThat(json.get("published").asLong()).isEqualTo(100);
        assertThat(json.get("expected").asLong()).isEqualTo(1000);
        assertThat(json.get("delivered").asLong()).isEqualTo(990);
        assertThat(json.get("lost").asLong()).isEqualTo(10);
        assertThat(json.get("deliveredPerSec").asDouble()).isEqualTo(99.0);
        assertThat(json.get("p50Ms").asDouble()).isEqualTo(2.0);
        assertThat(json.get("maxMs").asDouble()).isCloseTo(50.0, org.assertj.core.data.Offset.offset(0.05));
        assertThat(json.get("errors").asLong()).isEqualTo(3);
        assertThat(json.get("loadgenCpuCores").asDouble()).isEqualTo(0.25);
        for (String key : new String[] {"clients", "rate", "size", "duration", "p99Ms", "p999Ms"}) {
            assertThat(json.has(key)).as(key).isTrue();
        }
    }

    @Test
    void theTableShowsCountsLatenciesAndErrorBreakdown() {
        String table = new ResultReport(result(latencies(1_000, 2_000))).table();

        assertThat(table).contains("delivered      990  (99.0/s)")
                .contains("lost           10  (1.000 %)")
                .contains("p50 1.000")
                .contains("errors         3  (link 1, publish 2)")
                .contains("  last publish 409::nope");
    }

    @Test
    void writesThePercentileDistributionThePlotAndTheJson(@TempDir Path dir) throws Exception {
        RunResult result = result(latencies(1_000, 2_000, 3_000));

        var files = new ResultReport(result).writeFiles(dir.resolve("out"));

        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("faye__ws_.hgrm", "faye__ws_.svg", "faye__ws_.json");
        assertThat(Files.readString(files.get(0))).contains("Value     Percentile TotalCount").contains("#[Max     =        3.001");
        assertThat(Files.readString(files.get(2)).trim()).isEqualTo(new ResultReport(result).jsonLine());
    }

    @Test
    void thePlotIsWellFormedSvgWithAStepLine() throws Exception {
        Histogram histogram = LoopContext.newHistogram();
        for (int i = 1; i <= 10_000; i++) {
            histogram.recordValue(i);
        }

        String svg = new LatencyPlot(histogram, 1000.0, "a <title> & more").toSvg();

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(1);
        assertThat(svg).contains("a &lt;title&gt; &amp; more").contains(">99.99%<").contains(">90%<").contains(">99%<");
        String points = doc.getElementsByTagName("polyline").item(0).getAttributes().getNamedItem("points").getNodeValue();
        assertThat(points.trim().split(" ").length).isGreaterThan(20);
    }

    @Test
    void anEmptyDistributionStillPlots() throws Exception {
        String svg = new LatencyPlot(LoopContext.newHistogram(), 1000.0, "empty").toSvg();

        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(svg).contains("no latencies recorded").doesNotContain("polyline");
    }

    @Test
    void axisHelpers() {
        assertThat(LatencyPlot.ninesOf(0, 3)).isZero();
        assertThat(LatencyPlot.ninesOf(99, 3)).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(LatencyPlot.ninesOf(100, 3)).isEqualTo(3);
        assertThat(LatencyPlot.percentileLabel(4)).isEqualTo("99.99%");
        assertThat(SvgMarkup.niceStep(0.7)).isEqualTo(1.0);
        assertThat(SvgMarkup.niceStep(3.2)).isEqualTo(5.0);
        assertThat(SvgMarkup.niceStep(12)).isEqualTo(20.0);
    }

    private static Histogram latencies(long... micros) {
        Histogram h = LoopContext.newHistogram();
        for (long v : micros) {
            h.recordValue(v);
        }
        return h;
    }

    private static RunResult result(Histogram latencies) {
        LoadConfig config = LoadConfig.parse("--label", "faye \"ws\"",
                "--clients", "10",
                "--channels", "2",
                "--rate", "10",
                "--duration", "10");
        Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
        for (ErrorKind kind : ErrorKind.values()) {
            errors.put(kind, 0L);
        }
        errors.put(ErrorKind.LINK, 1L);
        errors.put(ErrorKind.PUBLISH, 2L);
        Map<ErrorKind, String> last = new EnumMap<>(ErrorKind.class);
        last.put(ErrorKind.PUBLISH, "409::nope");
        return new RunResult(config, "epoll", true, "", 100, 1000, 990, 0, 0, 0, 10, 1, 0, latencies, errors, last, 0.25);
    }
}
