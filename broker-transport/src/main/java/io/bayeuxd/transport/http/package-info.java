/**
 * Plain-HTTP routing shared by the polling transports: mount check, CORS, request parsing, the
 * response headers Faye sends, and the order of pipelined responses; and the files served beside the
 * endpoint ({@link io.bayeuxd.transport.http.FileRoutes}): Faye's client, the Webix proxy and demo in the
 * jar, and the {@code --static} directory.
 */
package io.bayeuxd.transport.http;
