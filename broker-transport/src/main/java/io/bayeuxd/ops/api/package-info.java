/**
 * The HTTP API on the management port, for backends in any language: {@code POST /api/publish},
 * {@code GET /api/channels}, {@code GET /api/info}, {@code POST /api/disconnect}, {@code POST /api/unsubscribe}
 * and {@code GET /api/presence}, JSON in and out,
 * each call authorised by {@code Authorization: Bearer KEY} ({@link io.bayeuxd.ops.api.ApiKey}). Off unless
 * {@code --api-key} is set. {@link io.bayeuxd.ops.api.ApiHttpHandler} checks the key, the method and the
 * body, and hands the parsed body to one {@link io.bayeuxd.ops.api.ApiEndpoint} per path; a publication goes
 * through the broker as an in-process client's does. With a cluster bus, every answer covers the whole
 * cluster: a call about one client is answered by its node ({@code ClientRoutedEndpoint}),
 * the others by every node, merged ({@code ClusterWideEndpoint}), both through
 * {@code NodeQueries} on the bus. See {@code docs/api.md}.
 */
package io.bayeuxd.ops.api;
