package io.bayeuxd.server;

/**
 * Whether the broker is alone ({@code memory}) or one node of several on one Redis ({@code redis}), whose
 * publications reach every subscriber of every node (docs/scaling.md).
 */
public enum EngineKind {
    MEMORY,
    REDIS
}
