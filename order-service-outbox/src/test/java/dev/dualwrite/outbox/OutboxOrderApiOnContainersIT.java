package dev.dualwrite.outbox;

import dev.dualwrite.testsupport.ContainerStackInitializer;
import org.springframework.test.context.ContextConfiguration;
import org.testcontainers.junit.jupiter.Testcontainers;

/** Every scenario of {@link OutboxOrderApiIT}, on the containers of docker-compose.yml's images where Docker runs. */
@Testcontainers(disabledWithoutDocker = true)
@ContextConfiguration(initializers = ContainerStackInitializer.class, inheritInitializers = false)
class OutboxOrderApiOnContainersIT extends OutboxOrderApiIT {}
