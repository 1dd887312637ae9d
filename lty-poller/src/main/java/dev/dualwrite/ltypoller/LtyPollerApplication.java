package dev.dualwrite.ltypoller;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class LtyPollerApplication {

    public static void main(String[] args) {
        SpringApplication.run(LtyPollerApplication.class, args);
    }
}
