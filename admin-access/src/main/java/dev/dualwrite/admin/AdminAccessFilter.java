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
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A request with {@code Authorization: Bearer <admin.token>} is the operator's: it gets the principal "admin" in the
 * role {@value #ROLE}, which is what Actuator's {@code show-details: when-authorized} asks of the servlet request (no
 * Spring Security needed for one shared secret). Refusing the admin paths to everyone else is
 * {@link AdminOnlyInterceptor}'s, on the path Spring MVC resolved: matching the raw URI here could be dodged with
 * {@code %65} or {@code ;param} in it.
 */
public class AdminAccessFilter extends OncePerRequestFilter {

    /** The role of management.endpoint.health.roles. */
    public static final String ROLE = "ADMIN";

    private static final String BEARER = "Bearer ";
    private static final Principal ADMIN = () -> "admin";

    private final AdminAccessProperties properties;

    public AdminAccessFilter(AdminAccessProperties properties) {
        this.properties = properties;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(isAdmin(request) ? new AdminRequest(request) : request, response);
    }

    private boolean isAdmin(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return properties.enabled()
                && authorization != null
                && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && MessageDigest.isEqual(
                        authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8),
                        properties.token().getBytes(StandardCharsets.UTF_8));
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
