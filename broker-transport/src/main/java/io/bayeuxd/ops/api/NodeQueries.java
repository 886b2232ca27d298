package io.bayeuxd.ops.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bayeuxd.engine.ClusterBus;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API's questions to the other nodes of a cluster, over the {@link ClusterBus}: one node (the node of
 * a client, from its client id) or every node. Each node answers with what its own, node-local endpoint
 * answers ({@link #serve}); the asking node waits a bounded time and never hangs.
 *
 * <pre>
 *   QUERY   type 16, id, then JSON {"from": token, "path": "/api/...", "body": ..., "query": {...}}
 *   ANSWER  type 17, id, then JSON {"status": 200, "body": ...}
 * </pre>
 *
 * The type and id come first, as in the polling requests the bus also carries, whose receiver ignores
 * these types (and this one theirs).
 */
final class NodeQueries {
    private static final Logger log = LoggerFactory.getLogger(NodeQueries.class);
    static final byte QUERY = 16;
    static final byte ANSWER = 17;

    private final ClusterBus bus;
    private final String self;
    private final EventExecutorGroup loops;
    private final long timeoutMs;
    private final AtomicLong ids = new AtomicLong();
    /** Questions of this node waiting for answers, by id. */
    private final ConcurrentHashMap<Long, Gathering> waiting = new ConcurrentHashMap<>();

    /**
     * @param loops     where the questions of other nodes are answered
     * @param timeoutMs how long a question waits for its answers
     */
    NodeQueries(ClusterBus bus, EventExecutorGroup loops, long timeoutMs) {
        this.bus = bus;
        this.self = bus.nodeToken();
        this.loops = loops;
        this.timeoutMs = timeoutMs;
    }

    String self() {
        return self;
    }

    /** Whether other nodes can be asked now. */
    boolean reachable() {
        return bus.isHealthy();
    }

    /** Answers the questions of other nodes with {@code local}, the node-local endpoints by path. */
    void serve(Map<String, ApiEndpoint> local) {
        bus.onNodeMessage(message -> {
            if (message.length < 9 || (message[0] != QUERY && message[0] != ANSWER)) {
                return;   // another receiver's message
            }
            try {
                ByteBuffer in = ByteBuffer.wrap(message);
                byte type = in.get();
                long id = in.getLong();
                JsonNode json = ApiJson.MAPPER.readTree(message, 9, message.length - 9);
                if (type == QUERY) {
                    loops.next().execute(() -> answer(local, id, json));
                } else {
                    Gathering g = waiting.get(id);
                    if (g != null) {
                        g.answered(json);
                    }
                }
            } catch (IOException | RuntimeException e) {
                log.warn("Ignored a malformed API message from another node: {}", e.toString());
            }
        });
    }

    /** On a loop of this node: what the local endpoint answers, sent back to the asking node. */
    private void answer(Map<String, ApiEndpoint> local, long id, JsonNode question) {
        String from = question.path("from").asText();
        ApiEndpoint endpoint = local.get(question.path("path").asText());
        ApiResponse response;
        if (endpoint == null) {
            response = ApiResponse.error(HttpResponseStatus.NOT_FOUND, "no such API endpoint");
        } else {
            try {
                JsonNode body = question.get("body");
                response = endpoint.handle(body == null || body.isNull() ? null : body, query(question.path("query")));
            } catch (ApiException e) {
                response = e.response();
            } catch (RuntimeException e) {
                log.error("API call to {} asked by node {} failed", question.path("path").asText(), from, e);
                response = ApiResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
            }
        }
        ObjectNode answer = ApiJson.MAPPER.createObjectNode();
        answer.put("status", response.status().code());
        answer.set("body", ApiJson.MAPPER.valueToTree(response.body()));
        bus.sendToNode(from, message(ANSWER, id, answer));
    }

    private static Map<String, List<String>> query(JsonNode query) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        query.fields().forEachRemaining(e -> {
            List<String> values = new ArrayList<>();
            e.getValue().forEach(v -> values.add(v.asText()));
            out.put(e.getKey(), values);
        });
        return out;
    }

    /**
     * Asks the node with {@code token}. Completes with its answer ({@code {"status": ..., "body": ...}}),
     * or with {@link Gathered#answers() no answer} and {@code missing} 0 when no node with that token
     * listens (it is gone), or 1 when it did not answer within the timeout.
     */
    CompletionStage<Gathered> askNode(String token, String path, JsonNode body, Map<String, List<String>> query, EventExecutor loop) {
        Gathering g = start(loop);
        bus.sendToNode(token, message(QUERY, g.id, question(path, body, query)))
                .whenComplete((listened, error) -> g.expect(Boolean.TRUE.equals(listened) ? 1 : 0, true));
        return g.done;
    }

    /**
     * Asks every other node; completes with the answers that came within the timeout, and how many nodes
     * did not answer ({@code -1} when it is not known: the bus is down).
     */
    CompletionStage<Gathered> askAll(String path, JsonNode body, Map<String, List<String>> query, EventExecutor loop) {
        Gathering g = start(loop);
        boolean healthy = bus.isHealthy();
        bus.sendToAllNodes(message(QUERY, g.id, question(path, body, query)))
                .whenComplete((listeners, error) -> g.expect(listeners == null ? 0 : listeners, healthy && error == null));
        return g.done;
    }

    private Gathering start(EventExecutor loop) {
        Gathering g = new Gathering(ids.incrementAndGet());
        waiting.put(g.id, g);
        g.timer = loop.schedule(g::timeOut, timeoutMs, TimeUnit.MILLISECONDS);
        return g;
    }

    private ObjectNode question(String path, JsonNode body, Map<String, List<String>> query) {
        ObjectNode q = ApiJson.MAPPER.createObjectNode();
        q.put("from", self);
        q.put("path", path);
        q.set("body", body);
        q.set("query", ApiJson.MAPPER.valueToTree(query));
        return q;
    }

    private static byte[] message(byte type, long id, JsonNode json) {
        byte[] body;
        try {
            body = ApiJson.MAPPER.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree that Jackson cannot write", e);
        }
        return ByteBuffer.allocate(9 + body.length).put(type).putLong(id).put(body).array();
    }

    /**
     * What a question gathered.
     *
     * @param answers each answer, {@code {"status": ..., "body": ...}}, in arrival order
     * @param missing how many nodes that received the question did not answer in time; {@code -1} when
     *                not known (the bus could not say how many received it)
     */
    record Gathered(List<JsonNode> answers, int missing) {
        boolean complete() {
            return missing == 0;
        }
    }

    /** One question's answers: complete once as many came as nodes received it, or at the timeout. */
    private final class Gathering {
        final long id;
        final CompletableFuture<Gathered> done = new CompletableFuture<>();
        private final List<JsonNode> answers = new ArrayList<>();
        /** How many nodes received the question; -1 until the bus says. */
        private int expected = -1;
        private boolean known = true;
        ScheduledFuture<?> timer;

        Gathering(long id) {
            this.id = id;
        }

        synchronized void expect(int nodes, boolean countKnown) {
            expected = nodes;
            known = countKnown;
            finishIfComplete();
        }

        synchronized void answered(JsonNode answer) {
            if (!done.isDone()) {
                answers.add(answer);
                finishIfComplete();
            }
        }

        private void finishIfComplete() {
            if (expected >= 0 && answers.size() >= expected) {
                finish(known ? 0 : -1);
            }
        }

        synchronized void timeOut() {
            if (!done.isDone()) {
                finish(expected < 0 || !known ? -1 : Math.max(0, expected - answers.size()));
            }
        }

        private void finish(int missing) {
            waiting.remove(id, this);
            if (timer != null) {
                timer.cancel(false);
            }
            done.complete(new Gathered(List.copyOf(answers), missing));
        }
    }
}
