package dev.dualwrite.naive;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The naive dual write: an anti-pattern, run by the consistency lab to show what the three patterns prevent. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OrderServiceNaiveApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrderServiceNaiveApplication.class, args);
    }
}
