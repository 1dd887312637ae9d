package dev.dualwrite.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.testsupport.ContainerStackInitializer;
import dev.dualwrite.testsupport.NativeStackInitializer;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.BootstrapUtils;
import org.springframework.test.context.MergedContextConfiguration;

/** Runs here, without Docker: the container variant must point its context at the containers only. */
class ContainerTestsConfigurationTest {

    @Test
    void theContainerVariantReplacesTheNativeStackInsteadOfStartingBoth() {
        assertThat(initializers(OutboxOrderApiOnContainersIT.class)).containsExactly(ContainerStackInitializer.class);
        assertThat(initializers(OutboxOrderApiIT.class)).containsExactly(NativeStackInitializer.class);
    }

    private static Object[] initializers(Class<?> testClass) {
        MergedContextConfiguration merged =
                BootstrapUtils.resolveTestContextBootstrapper(testClass).buildMergedContextConfiguration();
        return merged.getContextInitializerClasses().toArray();
    }
}
