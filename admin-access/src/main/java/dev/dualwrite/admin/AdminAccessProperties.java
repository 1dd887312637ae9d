package dev.dualwrite.admin;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param token the bearer token of the operator ({@code ADMIN_TOKEN}); unset, the admin operations answer 403 and
 *              health shows no details
 * @param paths the admin operations (Spring path patterns): nothing else needs the token
 */
@ConfigurationProperties("admin")
public record AdminAccessProperties(
        String token, @DefaultValue("/api/relay/**") List<String> paths) {

    boolean enabled() {
        return token != null && !token.isBlank();
    }
}
