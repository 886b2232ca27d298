/**
 * Any node answers any request: a polling request for a session another node of the cluster holds is
 * forwarded to that node over the cluster bus, processed there as if it had arrived there, and its
 * answer comes back ({@link io.bayeuxd.transport.cluster.ClusterPolling}).
 */
package io.bayeuxd.transport.cluster;
