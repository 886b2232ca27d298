package io.bayeuxd.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The JUnit lifecycle of the load-balancer ITs: each test gets a {@link LoadBalancerHarness} whose logs
 * and balancer files go to a fresh temporary directory, and every process it started is stopped after
 * the test, whether it passed, failed or was skipped.
 */
abstract class AbstractLoadBalancerIT {
    @TempDir
    Path logs;
    LoadBalancerHarness lb;

    @BeforeEach
    void harness() {
        lb = new LoadBalancerHarness(logs);
    }

    @AfterEach
    void stopAll() {
        lb.close();
    }
}
