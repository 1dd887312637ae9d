package dev.dualwrite.testsupport;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points a Spring application context at the test JVM's {@link ContainerStack}, as {@link NativeStackInitializer} does
 * at the native one. A subclass of a native scenario runs the same tests on containers with
 * {@code @Testcontainers(disabledWithoutDocker = true)} and
 * {@code @ContextConfiguration(initializers = ContainerStackInitializer.class, inheritInitializers = false)}.
 */
public class ContainerStackInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ContainerStack stack = ContainerStack.postgresAndKafka();
        TestPropertyValues.of(
                "spring.datasource.url=" + stack.jdbcUrl(),
                "spring.datasource.username=" + stack.username(),
                "spring.datasource.password=" + stack.password(),
                "spring.kafka.bootstrap-servers=" + stack.bootstrapServers()
        ).applyTo(context);
    }
}
