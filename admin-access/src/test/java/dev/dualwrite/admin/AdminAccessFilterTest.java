package dev.dualwrite.admin;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class AdminAccessFilterTest {

    private static final AdminAccessProperties WITH_TOKEN =
            new AdminAccessProperties("s3cret", List.of("/api/relay/**"));
    private static final AdminAccessProperties WITHOUT_TOKEN =
            new AdminAccessProperties(null, List.of("/api/relay/**"));

    @Test
    void anAdminPathWithoutTheTokenIsRefusedAsAProblemAndNeverReachesTheApplication() throws Exception {
        Outcome outcome = filter(WITH_TOKEN, request("/api/relay/parked/redrive", null));

        assertThat(outcome.response().getStatus()).isEqualTo(401);
        assertThat(outcome.response().getContentType()).startsWith("application/problem+json");
        assertThat(outcome.response().getHeader("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(outcome.passedOn()).isNull();
    }

    @Test
    void aWrongTokenIsRefused() throws Exception {
        assertThat(filter(WITH_TOKEN, request("/api/relay/parked", "Bearer s3cre"))
                        .response()
                        .getStatus())
                .isEqualTo(401);
    }

    @Test
    void withoutAConfiguredTokenTheAdminOperationsAreOffForEveryone() throws Exception {
        Outcome outcome = filter(WITHOUT_TOKEN, request("/api/relay/parked", "Bearer "));

        assertThat(outcome.response().getStatus()).isEqualTo(403);
        assertThat(outcome.response().getContentAsString()).contains("ADMIN_TOKEN");
    }

    @Test
    void theTokenMakesTheRequestTheAdminsInTheAdminRole() throws Exception {
        Outcome outcome = filter(WITH_TOKEN, request("/actuator/health", "Bearer s3cret"));

        assertThat(outcome.passedOn().getUserPrincipal().getName()).isEqualTo("admin");
        assertThat(outcome.passedOn().isUserInRole(AdminAccessFilter.ROLE)).isTrue();
    }

    @Test
    void otherPathsPassWithoutAPrincipal() throws Exception {
        Outcome outcome = filter(WITH_TOKEN, request("/api/orders", null));

        assertThat(outcome.passedOn()).isNotNull();
        assertThat(outcome.passedOn().getUserPrincipal()).isNull();
        assertThat(outcome.passedOn().isUserInRole(AdminAccessFilter.ROLE)).isFalse();
    }

    private record Outcome(MockHttpServletResponse response, HttpServletRequest passedOn) {}

    private static Outcome filter(AdminAccessProperties properties, MockHttpServletRequest request) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicReference<HttpServletRequest> passedOn = new AtomicReference<>();
        new AdminAccessFilter(properties)
                .doFilter(request, response, (req, res) -> passedOn.set((HttpServletRequest) req));
        return new Outcome(response, passedOn.get());
    }

    private static MockHttpServletRequest request(String path, String authorization) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        return request;
    }
}
