package io.bayeuxd.security;

import java.util.Set;

/** Who a client proved to be: a user name and its roles. */
public record Principal(String user, Set<String> roles) {
    public Principal {
        roles = Set.copyOf(roles);
    }
}
