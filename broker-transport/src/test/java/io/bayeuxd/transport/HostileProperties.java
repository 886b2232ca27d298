package io.bayeuxd.transport;

import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * The base of the hostile-input properties: one {@link HostileTries} around every try (earlier tries'
 * swallowed errors forgotten before it, its channels finished after it), and after each property the
 * broker under test closed, then the swallowed-error listener, then the leak check.
 */
public abstract class HostileProperties {
    protected final HostileTries tries = new HostileTries();

    /** Closes what the property ran against, so that the leak check sees everything released. */
    protected abstract void closeBroker();

    @BeforeTry
    final void forgetEarlierTries() {
        tries.startTry();
    }

    @AfterTry
    final void releaseChannels() {
        tries.endTry();
    }

    @AfterProperty
    final void close() {
        closeBroker();
        tries.close();
    }
}
