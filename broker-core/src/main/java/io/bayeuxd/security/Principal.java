package io.bayeuxd.security;

import java.util.Set;

/**
 * Who a client proved to be: a user name and its roles. A {@link java.security.Principal}, so that code
 * that only needs the user (presence, server events) reads {@link #getName()} whatever policy made it.
 */
public record Principal(String user, Set<String> roles) implements java.security.Principal {
    public Principal {
        roles = Set.copyOf(roles);
    }

    @Override
    public String getName() {
        return user;
    }
}
