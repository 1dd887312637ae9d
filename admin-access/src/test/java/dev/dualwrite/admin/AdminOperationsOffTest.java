package dev.dualwrite.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class AdminOperationsOffTest {

    @Test
    void withoutAConfiguredTokenTheAdminOperationsAreOffForEveryone() throws Exception {
        AdminAccessProperties off = new AdminAccessProperties(null, List.of("/api/relay/**"));
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/relay/parked/redrive");
        request.addHeader("Authorization", "Bearer ");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockHttpServletRequest[] passedOn = new MockHttpServletRequest[1];

        new AdminAccessFilter(off).doFilter(request, response, (req, res) -> passedOn[0] = request);
        boolean handled = new AdminOnlyInterceptor(off).preHandle(passedOn[0], response, new Object());

        assertThat(handled).isFalse();
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getContentAsString()).contains("ADMIN_TOKEN");
    }
}
