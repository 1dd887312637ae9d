package dev.dualwrite.admin;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * In every servlet application that has this library: the token filter, first in the chain, and the interceptor that
 * keeps the admin operations to the operator.
 */
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

    @Bean
    WebMvcConfigurer adminOnlyPaths(AdminAccessProperties properties) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new AdminOnlyInterceptor(properties)).addPathPatterns(properties.paths());
            }
        };
    }
}
