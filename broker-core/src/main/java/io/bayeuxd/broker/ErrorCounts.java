package io.bayeuxd.broker;

import io.bayeuxd.protocol.BayeuxError;

import java.util.concurrent.atomic.LongAdder;

/**
 * Failed replies by Bayeux error code: one {@link LongAdder} per code Faye defines, found by indexing an
 * array with the code itself; every other code, or an error string without one, counts as "other".
 * Counting is one array load and one striped add, so it may run for every reply.
 */
final class ErrorCounts {
    private static final int MAX_CODE = 999;

    private final LongAdder other = new LongAdder();
    private final LongAdder[] byCode = new LongAdder[MAX_CODE + 1];

    ErrorCounts() {
        for (int code : BayeuxError.CODES) {
            byCode[code] = new LongAdder();
        }
    }

    /** Counts one reply that carries {@code error}. */
    void count(String error) {
        int code = BayeuxError.code(error);
        LongAdder adder = code >= 0 ? byCode[code] : null;
        (adder != null ? adder : other).increment();
    }

    /** Replies failed with {@code code}, one of {@link BayeuxError#CODES}; 0 for any other code. */
    long count(int code) {
        LongAdder adder = code >= 0 && code <= MAX_CODE ? byCode[code] : null;
        return adder == null ? 0 : adder.sum();
    }

    /** Replies failed with a code Faye does not define, or with no code. */
    long other() {
        return other.sum();
    }
}
