package io.bayeuxd.bench.loadgen;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Watches the server from outside while S6's storm runs, on a thread of its own: every
 * {@link #INTERVAL_MS} a {@code GET} of {@code probeUrl} on a new connection (as a liveness probe
 * does), timed from connect to status line, and the server process's {@code VmRSS}. Either is
 * optional. Bounded: each probe times out after {@link #TIMEOUT_MS}, and the thread stops at
 * {@link #stop()}.
 */
final class ServerProbe implements AutoCloseable {

    static final long INTERVAL_MS = 100;
    static final int TIMEOUT_MS = 2_000;

    private final URI probeUrl;
    private final long serverPid;
    private final Thread thread;
    private volatile boolean running = true;
    private long probes;
    private long failures;
    private long notOk;
    private long worstNs;
    private String lastFailure = "";
    private long peakRssKb = -1;

    /** @param probeUrl null for no probe; @param serverPid 0 or less for no RSS sampling */
    ServerProbe(URI probeUrl, long serverPid) {
        this.probeUrl = probeUrl;
        this.serverPid = serverPid;
        this.thread = new Thread(this::run, "server-probe");
        this.thread.setDaemon(true);
    }

    ServerProbe start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running) {
            long startNs = System.nanoTime();
            if (probeUrl != null) {
                probeOnce();
            }
            if (serverPid > 0) {
                long rss = rssKb(serverPid);
                synchronized (this) {
                    peakRssKb = Math.max(peakRssKb, rss);
                }
            }
            long leftMs = INTERVAL_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            if (leftMs > 0) {
                try {
                    Thread.sleep(leftMs);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void probeOnce() {
        long startNs = System.nanoTime();
        String failure = null;
        boolean ok = false;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(probeUrl.getHost(), probeUrl.getPort()), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + probeUrl.getRawPath() + " HTTP/1.1\r\nHost: " + probeUrl.getHost() + ":" + probeUrl.getPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = statusLine(socket.getInputStream());
            if (status == null) {
                failure = "closed before a status line";
            } else {
                ok = status.startsWith("HTTP/1.1 200") || status.startsWith("HTTP/1.0 200");
            }
        } catch (IOException e) {
            failure = e.toString();
        }
        long tookNs = System.nanoTime() - startNs;
        synchronized (this) {
            probes++;
            worstNs = Math.max(worstNs, tookNs);
            if (failure != null) {
                failures++;
                lastFailure = failure;
            } else if (!ok) {
                notOk++;
            }
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(32);
        for (int b = in.read(); b >= 0 && b != '\n' && line.length() < 200; b = in.read()) {
            line.append((char) b);
        }
        return line.length() == 0 ? null : line.toString().trim();
    }

    /** VmRSS of process {@code pid} in KB, or -1 when it cannot be read. */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    synchronized long probes() { return probes; }
    /** Probes that got no status line: connect refused or timed out, no answer within the timeout. */
    synchronized long failures() { return failures; }
    /** Probes answered with another status than 200. */
    synchronized long notOk() { return notOk; }
    synchronized double worstMs() { return worstNs / 1e6; }
    synchronized String lastFailure() { return lastFailure; }
    synchronized long peakRssKb() { return peakRssKb; }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(TIMEOUT_MS * 2L);
    }
}
