package dev.dualwrite.logtailing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.stack.StackSettings;
import dev.dualwrite.testsupport.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ConnectWorkerIT {

    @Test
    void connectWorkerOffersTheDebeziumPostgresConnector() throws Exception {
        StackSettings settings = TestStack.withConnect().settings();
        HttpResponse<String> plugins = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(settings.connectUrl() + "/connector-plugins"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(plugins.statusCode()).isEqualTo(200);
        assertThat(plugins.body()).contains("io.debezium.connector.postgresql.PostgresConnector");
    }
}
