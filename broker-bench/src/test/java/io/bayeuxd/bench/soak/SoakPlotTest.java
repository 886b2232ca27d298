package io.bayeuxd.bench.soak;

import io.bayeuxd.bench.loadgen.SvgMarkup;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SoakPlotTest {

    private static Sample sample(long timeMs, String phase, long rssMiB, long fds, long sessions, boolean gc) {
        long mib = 1024 * 1024;
        return new Sample(timeMs, phase, gc ? phase : "", gc, rssMiB * mib, rssMiB / 2 * mib, rssMiB * 3 / 4 * mib, -1, fds, sessions,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> texts(Document doc) {
        List<String> texts = new ArrayList<>();
        NodeList nodes = doc.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }

    @Test
    void drawsTwoPanelsWithALinePerSeriesAndTheGcSamplesAsDots() throws Exception {
        List<Sample> samples = List.of(
                sample(0, "baseline", 90, 25, 0, true),
                sample(5_000, "load", 300, 10_040, 10_015, false),
                sample(10_000, "load", 320, 10_060, 10_030, true),
                sample(15_000, "settle", 330, 10_030, 10_015, true),
                sample(20_000, "final", 330, 26, 0, true));
        List<SoakPlot.PhaseMark> phases = List.of(new SoakPlot.PhaseMark(0, "baseline"), new SoakPlot.PhaseMark(2, "ramp"),
                new SoakPlot.PhaseMark(4, "load"), new SoakPlot.PhaseMark(14, "settle"), new SoakPlot.PhaseMark(19.5, "final"));

        Document doc = parse(new SoakPlot(samples, phases, "soak <test> & more").toSvg());

        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("svg");
        assertThat(root.getAttribute("width")).isEqualTo(String.valueOf(SoakPlot.WIDTH));
        // RSS, heap committed, heap used, fds, sessions; Netty direct is absent (-1) in every sample: no line.
        NodeList lines = doc.getElementsByTagName("polyline");
        assertThat(lines.getLength()).isEqualTo(5);
        assertThat(lines.item(0).getAttributes().getNamedItem("points").getNodeValue().split(" ")).hasSize(5);
        // 4 GC samples times the 5 drawn series.
        assertThat(doc.getElementsByTagName("circle").getLength()).isEqualTo(20);
        assertThat(texts(doc)).contains("soak <test> & more", "RSS", "heap used", "open fds", "sessions", "time (s)",
                "ramp", "settle", "memory (MiB)");
    }

    @Test
    void anEmptyRunStillMakesAValidDrawing() throws Exception {
        Document doc = parse(new SoakPlot(List.of(), List.of(), "nothing").toSvg());

        assertThat(texts(doc)).contains("no samples");
    }

    @Test
    void theReportWritesTheCsvAndTheSvg(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        List<Sample> samples = List.of(sample(0, "baseline", 90, 25, 0, true), sample(5_000, "load", 95, 30, 3, false));

        List<Path> files = SoakReport.writeSampleFiles(dir, samples, List.of(new SoakPlot.PhaseMark(0, "baseline"),
                new SoakPlot.PhaseMark(2.5, "load")), "t");

        List<String> csv = Files.readAllLines(files.get(0));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(0)).isEqualTo(Sample.CSV_HEADER);
        assertThat(csv.get(1).split(",")).hasSize(Sample.CSV_HEADER.split(",").length);
        assertThat(csv.get(2)).startsWith("5.0,load,,0,");
        assertThat(Files.readAllLines(files.get(1))).containsExactly("phase,start_s", "baseline,0.0", "load,2.5");
        parse(Files.readString(files.get(2)));
    }

    @Test
    void aCsvRowReadsBackAsTheSameSample() {
        Sample sample = new Sample(12_300, "load", "warm", true, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                15.25, 16.5, 17.75, 18.0);

        assertThat(Sample.fromCsvRow(sample.csvRow())).isEqualTo(sample);
    }

    @Test
    void aFinishedSoakIsRedrawnFromItsFiles(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        List<Sample> samples = List.of(sample(0, "baseline", 90, 25, 0, true), sample(5_000, "load", 95, 30, 3, false));
        SoakReport.writeSampleFiles(dir, samples, List.of(new SoakPlot.PhaseMark(0, "baseline"),
                new SoakPlot.PhaseMark(1, "ramp")), "first");

        Files.delete(dir.resolve("phases.csv"));
        Files.writeString(dir.resolve("summary.txt"), "x\nphases          baseline 0s ramp 1s load 2s\ny\n");
        Path svg = SoakReport.replot(dir, "again");

        List<String> texts = texts(parse(Files.readString(svg)));
        assertThat(texts).contains("again", "baseline", "ramp", "load").doesNotContain("first");
    }

    @Test
    void phaseLabelsThatWouldCollideAreMovedApart() throws Exception {
        List<Sample> samples = List.of(sample(0, "baseline", 90, 25, 0, true), sample(600_000, "final", 95, 30, 3, true));
        List<SoakPlot.PhaseMark> phases = List.of(new SoakPlot.PhaseMark(598, "drain"), new SoakPlot.PhaseMark(598, "settle"),
                new SoakPlot.PhaseMark(599, "disconnect"), new SoakPlot.PhaseMark(599.5, "final"));

        Document doc = parse(new SoakPlot(samples, phases, "t").toSvg());

        List<double[]> boxes = new ArrayList<>();
        NodeList nodes = doc.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            String label = e.getTextContent();
            double y = Double.parseDouble(e.getAttribute("y"));
            if (phases.stream().anyMatch(p -> p.name().equals(label)) && y < 80) { // the top panel's labels
                double x = Double.parseDouble(e.getAttribute("x"));
                boxes.add(new double[] {x, x + 6 * label.length(), y});
            }
        }
        assertThat(boxes).hasSize(4);
        for (int a = 0; a < boxes.size(); a++) {
            for (int b = a + 1; b < boxes.size(); b++) {
                boolean sameRow = boxes.get(a)[2] == boxes.get(b)[2];
                boolean overlap = boxes.get(a)[0] < boxes.get(b)[1] && boxes.get(b)[0] < boxes.get(a)[1];
                assertThat(sameRow && overlap).as("labels %d and %d overlap", a, b).isFalse();
            }
        }
    }

    @Test
    void stepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(SvgMarkup.niceStep(0.7)).isEqualTo(1);
        assertThat(SvgMarkup.niceStep(13)).isEqualTo(20);
        assertThat(SvgMarkup.niceStep(2_100)).isEqualTo(5_000);
        assertThat(SvgMarkup.niceStep(0)).isEqualTo(1);
    }
}
