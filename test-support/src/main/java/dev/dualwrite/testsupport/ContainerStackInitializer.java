package dev.dualwrite.testsupport;

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
        NativeStackInitializer.applyTo(
                context, stack.jdbcUrl(), stack.username(), stack.password(), stack.bootstrapServers());
    }
}
