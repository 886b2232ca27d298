package io.bayeuxd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the HTTP API's socket tests send to a running {@link BrokerServer} with the JDK's client: Bayeux
 * messages as a long-polling client posts them to the traffic port, and API calls to the management port.
 * Every call is bounded, so a node that hangs fails the call, never the test run.
 */
final class HttpCalls {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;

    HttpCalls(HttpClient http) {
        this.http = http;
    }

    /** Posts one Bayeux {@code message} to {@code node}; its answer (a JSON array), status 200 asserted. */
    JsonNode bayeux(BrokerServer node, String message) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + message + "]")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
        return JSON.readTree(res.body());
    }

    /** A long-polling handshake, with {@code ext.token} unless it is {@code null}; asserts it succeeded; the client id. */
    String handshake(BrokerServer node, String token) throws Exception {
        JsonNode reply = bayeux(node, "{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]"
                + (token == null ? "" : ",\"ext\":{\"token\":\"" + token + "\"}") + "}");
        assertThat(reply.get(0).get("successful").asBoolean()).as("handshake %s", reply).isTrue();
        return reply.get(0).get("clientId").asText();
    }

    /** A long-polling connect of {@code clientId}, sent; it completes when the broker answers (at most 30 s). */
    CompletableFuture<HttpResponse<String>> connect(BrokerServer node, String clientId) {
        String body = "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + clientId + "\",\"connectionType\":\"long-polling\"}]";
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An API call to {@code node}'s management port, with {@code key} and a JSON {@code body} unless {@code null}. */
    HttpResponse<String> api(BrokerServer node, String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.managementPort() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A JWT of {@code user} (its subject) signed HS256 with {@code secret}, valid for ten minutes. */
    static String token(String secret, String user) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(user)
                .expirationTime(new Date(System.currentTimeMillis() + 600_000)).build());
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }
}
