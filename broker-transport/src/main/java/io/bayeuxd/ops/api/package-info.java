/**
 * The HTTP API on the management port, for backends in any language: {@code POST /api/publish},
 * {@code GET /api/channels}, {@code GET /api/info} and {@code POST /api/disconnect}, JSON in and out,
 * each call authorised by {@code Authorization: Bearer KEY} ({@link io.bayeuxd.ops.api.ApiKey}). Off unless
 * {@code --api-key} is set. {@link io.bayeuxd.ops.api.ApiHttpHandler} checks the key, the method and the
 * body, and hands the parsed body to one {@link io.bayeuxd.ops.api.ApiEndpoint} per path; a publication goes
 * through the broker as an in-process client's does. See {@code docs/api.md}.
 */
package io.bayeuxd.ops.api;
