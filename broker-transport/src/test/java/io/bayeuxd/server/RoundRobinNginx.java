package io.bayeuxd.server;

import java.util.List;
import java.util.stream.Collectors;

/** The nginx configuration of the tests that need plain round robin: no {@code ip_hash}, no cookie. */
public final class RoundRobinNginx {
    private RoundRobinNginx() {
    }

    /**
     * Plain round robin over the nodes, each request on its own upstream connection (no {@code keepalive}),
     * WebSocket upgrades passed, and the upstream's address in {@code X-Upstream} (on a 101 too, hence
     * {@code always}); pid, logs and temporary files in the test's directory, as in {@code NginxLoadBalancerIT}.
     */
    public static String config(int listen, List<Integer> upstreams) {
        String servers = upstreams.stream().map(p -> "        server 127.0.0.1:" + p + ";").collect(Collectors.joining("\n"));
        return """
                user root;
                worker_processes 1;
                pid nginx.pid;
                error_log error.log;
                events { worker_connections 512; }
                http {
                    access_log access.log;
                    client_body_temp_path client_body_temp;
                    proxy_temp_path proxy_temp;
                    fastcgi_temp_path fastcgi_temp;
                    uwsgi_temp_path uwsgi_temp;
                    scgi_temp_path scgi_temp;
                    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
                    upstream bayeuxd {
                %s
                    }
                    server {
                        listen 127.0.0.1:%d;
                        location / {
                            proxy_pass http://bayeuxd;
                            proxy_http_version 1.1;
                            proxy_set_header Upgrade $http_upgrade;
                            proxy_set_header Connection $connection_upgrade;
                            proxy_read_timeout 120s;
                            proxy_buffering off;
                            add_header X-Upstream $upstream_addr always;
                        }
                    }
                }
                """.formatted(servers, listen);
    }
}
