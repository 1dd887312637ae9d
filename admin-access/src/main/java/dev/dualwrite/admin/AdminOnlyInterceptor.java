package dev.dualwrite.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The admin operations ({@code admin.paths}, matched by Spring MVC on the path it maps to its handlers) for the
 * operator only: 401 problem+json with a missing or wrong token, 403 while no token is configured.
 */
public class AdminOnlyInterceptor implements HandlerInterceptor {

    private final AdminAccessProperties properties;

    public AdminOnlyInterceptor(AdminAccessProperties properties) {
        this.properties = properties;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws IOException {
        if (request.isUserInRole(AdminAccessFilter.ROLE)) {
            return true;
        }
        HttpStatus status = properties.enabled() ? HttpStatus.UNAUTHORIZED : HttpStatus.FORBIDDEN;
        String detail = properties.enabled()
                ? "This operation needs the header Authorization: Bearer <admin token>."
                : "Admin operations are off: start the application with ADMIN_TOKEN (admin.token) set.";
        response.setStatus(status.value());
        if (properties.enabled()) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter()
                .write("{\"type\":\"about:blank\",\"title\":\"%s\",\"status\":%d,\"detail\":\"%s\"}"
                        .formatted(status.getReasonPhrase(), status.value(), detail));
        return false;
    }
}
