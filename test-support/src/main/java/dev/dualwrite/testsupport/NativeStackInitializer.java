package dev.dualwrite.testsupport;

import dev.dualwrite.stack.StackSettings;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Points a Spring application context at the test JVM's {@link TestStack}. */
public class NativeStackInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        StackSettings settings = TestStack.postgresAndKafka().settings();
        applyTo(context, settings.jdbcUrl(), settings.username(), settings.password(), settings.bootstrapServers());
    }

    /** The four properties that point an application at a stack, whichever kind it is. */
    static void applyTo(
            ConfigurableApplicationContext context,
            String jdbcUrl,
            String username,
            String password,
            String bootstrapServers) {
        TestPropertyValues.of(
                        "spring.datasource.url=" + jdbcUrl,
                        "spring.datasource.username=" + username,
                        "spring.datasource.password=" + password,
                        "spring.kafka.bootstrap-servers=" + bootstrapServers)
                .applyTo(context);
    }
}
