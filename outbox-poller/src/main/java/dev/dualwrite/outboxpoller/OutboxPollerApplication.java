package dev.dualwrite.outboxpoller;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class OutboxPollerApplication {

    public static void main(String[] args) {
        SpringApplication.run(OutboxPollerApplication.class, args);
    }
}
