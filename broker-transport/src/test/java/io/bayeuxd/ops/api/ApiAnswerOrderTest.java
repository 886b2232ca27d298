package io.bayeuxd.ops.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.bayeuxd.transport.LeakWatch;
import io.bayeuxd.transport.RawHttpResponse;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Answers that come later (an endpoint that asks the other nodes of a cluster) through an
 * {@link EmbeddedChannel} with the real HTTP codec: written when they come, in the order of the calls on
 * the connection, a failure answered as the synchronous path answers it, and nothing leaked.
 */
class ApiAnswerOrderTest {
    private static final String KEY = "order-test-key-0123456789abcdef";

    private final LeakWatch leaks = new LeakWatch();
    private final CompletableFuture<ApiResponse> later = new CompletableFuture<>();
    private final ApiChannel api = new ApiChannel(KEY, 4096,
            new ApiHttpHandler(new ApiKey(KEY), Map.of("/api/later", new Later(later), "/api/now", new Now())));
    private final EmbeddedChannel ch = api.ch;

    @AfterEach
    void close() {
        api.close();
        leaks.assertNoLeaks();
        leaks.close();
    }

    @Test
    void aLaterAnswerIsWrittenWhenItComesAndPipelinedCallsKeepTheirOrder() {
        send("/api/later");
        send("/api/now");
        ch.runPendingTasks();
        assertThat(api.responses()).as("the second waits for the first").isEmpty();

        later.complete(ApiResponse.ok(Map.of("answer", "later")));
        ch.runPendingTasks();
        List<RawHttpResponse> answers = api.responses();
        assertThat(answers).extracting(r -> r.json().get("answer").asText()).containsExactly("later", "now");
        assertThat(answers).extracting(RawHttpResponse::status).containsExactly(200, 200);

        send("/api/now");
        assertThat(api.responses()).as("nothing pending: answered at once").singleElement()
                .satisfies(r -> assertThat(r.json().get("answer").asText()).isEqualTo("now"));
    }

    @Test
    void aLaterRefusalOrFailureIsAnsweredAsASynchronousOneIs() {
        send("/api/later");
        later.completeExceptionally(new ApiException(HttpResponseStatus.GATEWAY_TIMEOUT, "too late"));
        ch.runPendingTasks();
        RawHttpResponse refused = api.responses().get(0);
        assertThat(refused.status()).isEqualTo(504);
        assertThat(refused.json().get("error").asText()).isEqualTo("too late");
    }

    @Test
    void aFailedLaterAnswerIs500WithoutDetails() {
        send("/api/later");
        later.completeExceptionally(new IllegalStateException("secret detail"));
        ch.runPendingTasks();
        RawHttpResponse failed = api.responses().get(0);
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.json().get("error").asText()).isEqualTo("internal error");
    }

    private void send(String path) {
        api.write("GET", path, "Authorization: Bearer " + KEY, null);
    }

    /** Answers when the test completes its future. */
    private record Later(CompletableFuture<ApiResponse> answer) implements ApiEndpoint {
        @Override
        public HttpMethod method() {
            return HttpMethod.GET;
        }

        @Override
        public ApiResponse handle(JsonNode body) {
            throw new UnsupportedOperationException("answers only later");
        }

        @Override
        public CompletionStage<ApiResponse> respond(JsonNode body, Map<String, List<String>> query, EventExecutor loop) {
            return answer;
        }
    }

    private static final class Now implements ApiEndpoint {
        @Override
        public HttpMethod method() {
            return HttpMethod.GET;
        }

        @Override
        public ApiResponse handle(JsonNode body) {
            return ApiResponse.ok(Map.of("answer", "now"));
        }
    }
}
