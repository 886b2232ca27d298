package io.bayeuxd.broker;

import io.bayeuxd.api.ExtensionContext;

/**
 * What a transport tells the broker about the request a batch of messages came in. Implemented by each
 * transport; the broker passes it on to extensions.
 */
public interface RequestContext extends ExtensionContext {
}
