/**
 * Settings declared once: each {@link io.bayeuxd.config.Setting} holds a setting's name, value type,
 * default, unit, environment variable, description and validation. The command line, the config builders'
 * defaults and checks, and the table in {@code docs/configuration.md} are all derived from these
 * declarations, so they cannot drift apart.
 */
package io.bayeuxd.config;
