/** The runnable server: Netty bootstrap, pipeline, configuration and the command line. */
package io.bayeuxd.server;
