package dev.dualwrite.logtailing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class OrderServiceLogTailingApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrderServiceLogTailingApplication.class, args);
    }
}
