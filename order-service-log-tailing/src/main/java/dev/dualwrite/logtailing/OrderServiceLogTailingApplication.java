package dev.dualwrite.logtailing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class OrderServiceLogTailingApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrderServiceLogTailingApplication.class, args);
    }
}
