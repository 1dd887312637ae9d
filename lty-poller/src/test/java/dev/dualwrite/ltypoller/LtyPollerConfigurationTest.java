package dev.dualwrite.ltypoller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.relay.RelayProperties;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;

/** The poller is the relay library configured by its application.yml: bound here as Boot binds it, without a stack. */
class LtyPollerConfigurationTest {

    @Test
    void relaysItsPatternsEventTableToItsTopic() throws IOException {
        var yaml = new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"));
        RelayProperties relay = new Binder(ConfigurationPropertySources.from(yaml))
                .bind("relay", RelayProperties.class)
                .get();

        assertThat(relay.table()).isEqualTo("lty_events");
        assertThat(relay.topic()).isEqualTo("orders.listen-to-yourself");
        assertThat(relay.batchSize()).isEqualTo(500);
    }
}
