package dev.dualwrite.outbox;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class OrderServiceOutboxApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrderServiceOutboxApplication.class, args);
    }
}
