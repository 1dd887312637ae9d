package dev.dualwrite.admin;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;
import java.security.Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The token filter and the admin-only interceptor on a real Spring MVC mapping, as a poller has it. */
@WebMvcTest(properties = "admin.token=s3cret")
class AdminAccessWebTest {

    @SpringBootConfiguration
    @ImportAutoConfiguration(AdminAccessAutoConfiguration.class)
    @Import(Endpoints.class)
    static class Application {}

    @RestController
    static class Endpoints {
        @PostMapping("/api/relay/parked/redrive")
        String redrive() {
            return "redriven";
        }

        @GetMapping("/api/orders")
        String orders(Principal principal) {
            return principal == null ? "anyone" : principal.getName();
        }
    }

    @Autowired
    MockMvc mvc;

    @ParameterizedTest
    @ValueSource(
            strings = {"/api/relay/parked/redrive", "/api/r%65lay/parked/redrive", "/api/relay;x=1/parked/redrive"})
    void anAdminOperationWithoutTheTokenIsRefusedHoweverItsPathIsSpelled(String path) throws Exception {
        mvc.perform(post(URI.create(path)))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "Bearer"))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void aWrongTokenIsRefused() throws Exception {
        mvc.perform(post("/api/relay/parked/redrive").header("Authorization", "Bearer s3cre"))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void theTokenOpensTheAdminOperations() throws Exception {
        mvc.perform(post("/api/relay/parked/redrive").header("Authorization", "bearer s3cret"))
                .andExpect(status().isOk())
                .andExpect(content().string("redriven"));
    }

    @Test
    void otherPathsAreOpenAndTheTokenMakesTheRequestTheAdmins() throws Exception {
        mvc.perform(get("/api/orders"))
                .andExpect(status().isOk())
                .andExpect(content().string("anyone"));
        mvc.perform(get("/api/orders").header("Authorization", "Bearer s3cret"))
                .andExpect(content().string("admin"));
    }
}
