package dev.dualwrite.testsupport;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

import dev.dualwrite.stack.StackSettings;

/** Points a Spring application context at the test JVM's {@link TestStack}. */
public class NativeStackInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        StackSettings settings = TestStack.postgresAndKafka().settings();
        TestPropertyValues.of(
                "spring.datasource.url=" + settings.jdbcUrl(),
                "spring.datasource.username=" + settings.username(),
                "spring.datasource.password=" + settings.password(),
                "spring.kafka.bootstrap-servers=" + settings.bootstrapServers()
        ).applyTo(context);
    }
}
