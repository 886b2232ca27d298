package io.bayeuxd.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Judges a finished soak from its reference samples and the delivery ledger. Failing checks make the
 * soak exit non-zero:
 * <ul>
 *   <li>the well-behaved clients lost nothing, and none was refused or cut off;</li>
 *   <li>once the churned clients are gone, the broker holds exactly the well-behaved sessions, and
 *       its descriptors are the baseline plus one per well-behaved connection;</li>
 *   <li>once everyone has disconnected, no session is left and the descriptors are back at the baseline;</li>
 *   <li>the heap after a full GC has not grown between the warm-up and the end of the churn.</li>
 * </ul>
 * RSS, Netty's direct memory, the slow-consumer drops and the garbage answers are reported beside
 * them, with warnings past their thresholds (RSS includes heap the JVM has committed and keeps, so it
 * is a trend to read, not a pass mark).
 */
final class SoakVerdict {

    enum Status { PASS, FAIL, WARN, INFO }

    /**
     * Growth of the RSS beside the committed heap (RSS minus {@code jvm_memory_committed_bytes{area="heap"}})
     * between the warm-up and the end of the churn that earns a warning. The committed heap is left out
     * because the JVM grows it when it sees fit and keeps it; the rest still holds pooled direct buffers,
     * code and metadata that settle over time, so this is a trend to read, not a pass mark.
     */
    static final double RSS_WARN_GROWTH_PERCENT = 25;
    /** Netty's pooled direct memory may double after the warm-up (pools fill) plus this, before a warning. */
    static final long DIRECT_WARN_SLACK_BYTES = 16L << 20;

    record Check(String name, Status status, String detail) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-5s %-34s %s", status, name, detail);
        }
    }

    /** What the verdict is made from; samples may be null when they could not be taken. */
    record Inputs(DeliveryLedger.Summary ledger, long wellBehavedFailures, String lastWellBehavedFailure,
                  Sample baseline, Sample warm, Sample settled, Sample end,
                  int wellBehavedSessionsAtSettle, long slowConsumerDropsExpectedAbove,
                  long garbageTotal, long garbageUnexpected, long churnFailures, String lastChurnFailure) {
    }

    private final SoakConfig config;
    private final List<Check> checks = new ArrayList<>();

    SoakVerdict(SoakConfig config, Inputs in) {
        this.config = config;
        judge(in);
    }

    List<Check> checks() {
        return List.copyOf(checks);
    }

    boolean passed() {
        return checks.stream().noneMatch(c -> c.status() == Status.FAIL);
    }

    private void judge(Inputs in) {
        DeliveryLedger.Summary l = in.ledger();
        boolean noLoss = l.lost() == 0 && l.excluded() == 0 && l.expected() > 0;
        add("no loss for well-behaved clients", noLoss ? Status.PASS : Status.FAIL, String.format(Locale.ROOT,
                "expected %d, delivered %d, lost %d (%d subscribers with loss), not subscribed in time %d, "
                        + "duplicates %d, unknown %d%s", l.expected(), l.delivered(), l.lost(), l.subscribersWithLoss(),
                l.excluded(), l.duplicates(), l.unexpected(), l.examples().isEmpty() ? "" : "; " + String.join("; ", l.examples())));
        add("well-behaved clients undisturbed", in.wellBehavedFailures() == 0 ? Status.PASS : Status.FAIL,
                in.wellBehavedFailures() + " refusals or dropped connections"
                        + (in.lastWellBehavedFailure() == null ? "" : ", last: " + in.lastWellBehavedFailure()));

        Sample base = in.baseline();
        Sample settled = in.settled();
        if (settled == null || base == null) {
            add("sessions after churn", Status.FAIL, "no sample");
        } else {
            add("sessions after churn", settled.sessions() == in.wellBehavedSessionsAtSettle() ? Status.PASS : Status.FAIL,
                    settled.sessions() + " sessions, well-behaved " + in.wellBehavedSessionsAtSettle());
            long limit = base.openFds() + in.wellBehavedSessionsAtSettle() + config.fdSlack();
            add("fds after churn", settled.openFds() >= 0 && settled.openFds() <= limit ? Status.PASS : Status.FAIL,
                    String.format(Locale.ROOT, "%d open, baseline %d + %d well-behaved connections + slack %d = %d",
                            settled.openFds(), base.openFds(), in.wellBehavedSessionsAtSettle(), config.fdSlack(), limit));
        }
        Sample end = in.end();
        if (end == null || base == null) {
            add("sessions at the end", Status.FAIL, "no sample");
        } else {
            add("sessions at the end", end.sessions() == 0 ? Status.PASS : Status.FAIL, end.sessions() + " sessions left");
            long limit = base.openFds() + config.fdSlack();
            add("fds back at the baseline", end.openFds() >= 0 && end.openFds() <= limit ? Status.PASS : Status.FAIL,
                    String.format(Locale.ROOT, "%d open, baseline %d, slack %d", end.openFds(), base.openFds(), config.fdSlack()));
        }

        Sample warm = in.warm();
        if (warm == null || settled == null || warm.heapUsedBytes() < 0 || settled.heapUsedBytes() < 0) {
            add("heap not growing after churn", Status.FAIL, "no sample");
        } else {
            long limit = Math.round(warm.heapUsedBytes() * (1 + config.heapSlackRatio())) + config.heapSlackBytes();
            add("heap not growing after churn", settled.heapUsedBytes() <= limit ? Status.PASS : Status.FAIL,
                    String.format(Locale.ROOT, "after GC: warm-up %s, after churn %s (limit %s), end %s%s",
                            mib(warm.heapUsedBytes()), mib(settled.heapUsedBytes()), mib(limit),
                            end == null ? "?" : mib(end.heapUsedBytes()),
                            warm.afterGc() && settled.afterGc() ? "" : " (a GC did not run)"));
        }
        if (warm != null && settled != null && warm.rssBytes() > 0 && settled.rssBytes() > 0) {
            // The JVM grows the committed heap when it likes and keeps it; what RSS holds beyond it is what could leak.
            long warmOutside = warm.rssBytes() - Math.max(0, warm.heapCommittedBytes());
            long settledOutside = settled.rssBytes() - Math.max(0, settled.heapCommittedBytes());
            double growth = 100.0 * (settledOutside - warmOutside) / Math.max(1, warmOutside);
            add("RSS after churn", growth <= RSS_WARN_GROWTH_PERCENT ? Status.INFO : Status.WARN,
                    String.format(Locale.ROOT, "warm-up %s, after churn %s, end %s; beside the committed heap "
                                    + "%s -> %s (%+.1f %%, warning above %+.0f %%)",
                            mib(warm.rssBytes()), mib(settled.rssBytes()), end == null ? "?" : mib(end.rssBytes()),
                            mib(warmOutside), mib(settledOutside), growth, RSS_WARN_GROWTH_PERCENT));
        }
        if (warm != null && settled != null && warm.directBytes() >= 0 && settled.directBytes() >= 0) {
            long limit = 2 * warm.directBytes() + DIRECT_WARN_SLACK_BYTES;
            add("Netty direct memory", settled.directBytes() <= limit ? Status.INFO : Status.WARN,
                    String.format(Locale.ROOT, "warm-up %s, after churn %s (warning above %s), end %s",
                            mib(warm.directBytes()), mib(settled.directBytes()), mib(limit),
                            end == null ? "?" : mib(end.directBytes())));
        }
        if (end != null && in.slowConsumerDropsExpectedAbove() >= 0) {
            add("slow-consumer policy engaged", end.droppedSlow() > in.slowConsumerDropsExpectedAbove() ? Status.PASS : Status.WARN,
                    end.droppedSlow() + " messages dropped for slow consumers, " + end.droppedClosed()
                            + " with closed sessions, " + end.expired() + " sessions expired");
        }
        add("garbage answered as expected", in.garbageUnexpected() == 0 ? Status.PASS : Status.WARN,
                in.garbageTotal() + " probes, " + in.garbageUnexpected() + " unexpected answers");
        add("churned clients served", in.churnFailures() == 0 ? Status.PASS : Status.WARN,
                in.churnFailures() + " failures" + (in.lastChurnFailure() == null ? "" : ", last: " + in.lastChurnFailure()));
    }

    private void add(String name, Status status, String detail) {
        checks.add(new Check(name, status, detail));
    }

    static String mib(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
