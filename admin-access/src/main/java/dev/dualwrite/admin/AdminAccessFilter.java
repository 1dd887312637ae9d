package dev.dualwrite.admin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A request with {@code Authorization: Bearer <admin.token>} is the operator's: it gets the principal "admin" in the
 * role {@value #ROLE}, which is what Actuator's {@code show-details: when-authorized} asks of the servlet request (no
 * Spring Security needed for one shared secret). The admin paths refuse everyone else: 401 with a wrong or missing
 * token, 403 while no token is configured.
 */
public class AdminAccessFilter extends OncePerRequestFilter {

    /** The role of management.endpoint.health.roles. */
    public static final String ROLE = "ADMIN";

    private static final String BEARER = "Bearer ";
    private static final Principal ADMIN = () -> "admin";

    private final AdminAccessProperties properties;
    private final AntPathMatcher paths = new AntPathMatcher();

    public AdminAccessFilter(AdminAccessProperties properties) {
        this.properties = properties;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isAdmin(request)) {
            chain.doFilter(new AdminRequest(request), response);
        } else if (isAdminPath(request)) {
            refuse(response);
        } else {
            chain.doFilter(request, response);
        }
    }

    private boolean isAdmin(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return properties.enabled()
                && authorization != null
                && authorization.startsWith(BEARER)
                && MessageDigest.isEqual(
                        authorization.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8),
                        properties.token().getBytes(StandardCharsets.UTF_8));
    }

    private boolean isAdminPath(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        List<String> patterns = properties.paths();
        return patterns.stream().anyMatch(pattern -> paths.match(pattern, path));
    }

    private void refuse(HttpServletResponse response) throws IOException {
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
    }

    private static final class AdminRequest extends HttpServletRequestWrapper {

        AdminRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public Principal getUserPrincipal() {
            return ADMIN;
        }

        @Override
        public boolean isUserInRole(String role) {
            return ROLE.equals(role);
        }
    }
}
