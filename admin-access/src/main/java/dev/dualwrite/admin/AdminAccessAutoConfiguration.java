package dev.dualwrite.admin;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/** The admin token filter, first in the chain, in every servlet application that has this library. */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(AdminAccessProperties.class)
public class AdminAccessAutoConfiguration {

    @Bean
    FilterRegistrationBean<AdminAccessFilter> adminAccessFilter(AdminAccessProperties properties) {
        FilterRegistrationBean<AdminAccessFilter> registration =
                new FilterRegistrationBean<>(new AdminAccessFilter(properties));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
