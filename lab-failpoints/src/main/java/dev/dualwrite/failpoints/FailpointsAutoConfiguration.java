package dev.dualwrite.failpoints;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/** Armable failpoints and their endpoint under the "lab" profile; inert failpoints otherwise. */
@AutoConfiguration
public class FailpointsAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @Profile("lab")
    static class Lab {

        @Bean
        Failpoints failpoints() {
            return Failpoints.armable();
        }

        @Bean
        FailpointController failpointController(Failpoints failpoints) {
            return new FailpointController(failpoints);
        }
    }

    @Bean
    @ConditionalOnMissingBean
    Failpoints inertFailpoints() {
        return Failpoints.disabled();
    }
}
