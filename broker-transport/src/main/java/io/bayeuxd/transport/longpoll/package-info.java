/**
 * Long-polling and callback-polling (JSONP): a request's replies are written at once, or its
 * {@code /meta/connect} is held as the session's delivery target until messages arrive or it times out.
 */
package io.bayeuxd.transport.longpoll;
