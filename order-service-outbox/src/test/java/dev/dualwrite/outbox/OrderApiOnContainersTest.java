package dev.dualwrite.outbox;

import org.springframework.test.context.ContextConfiguration;
import org.testcontainers.junit.jupiter.Testcontainers;

import dev.dualwrite.testsupport.ContainerStackInitializer;

/** Every scenario of {@link OrderApiTest}, on the containers of docker-compose.yml's images where Docker runs. */
@Testcontainers(disabledWithoutDocker = true)
@ContextConfiguration(initializers = ContainerStackInitializer.class, inheritInitializers = false)
class OrderApiOnContainersTest extends OrderApiTest {
}
