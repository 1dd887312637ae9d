package dev.dualwrite.console.workload;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(WorkloadController.class)
class WorkloadControllerTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    Workload workload;

    @Test
    void aRefusedWorkloadIsAProblemThatSaysWhyAndStartsNothing() throws Exception {
        mvc.perform(post("/api/workload")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"ratePerSecond\": 5000, \"patterns\": [\"TRANSACTIONAL_OUTBOX\"]}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", Matchers.containsString("ratePerSecond must be between 1 and 2000")));

        mvc.perform(post("/api/workload")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"ratePerSecond\": 5, \"patterns\": [\"NO_SUCH_PATTERN\"]}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", Matchers.containsString("patterns")));

        verify(workload, never()).start(any());
    }
}
