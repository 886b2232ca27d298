/**
 * Plain-HTTP routing shared by the polling transports: mount check, CORS, request parsing, the
 * response headers Faye sends, and the order of pipelined responses.
 */
package io.bayeuxd.transport.http;
