package dev.dualwrite.lty;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class OrderServiceListenToYourselfApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrderServiceListenToYourselfApplication.class, args);
    }
}
