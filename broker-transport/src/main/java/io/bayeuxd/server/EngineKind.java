package io.bayeuxd.server;

/** Where sessions, subscriptions and messages live: in this process, or in Redis, shared by several brokers. */
public enum EngineKind {
    MEMORY,
    REDIS
}
