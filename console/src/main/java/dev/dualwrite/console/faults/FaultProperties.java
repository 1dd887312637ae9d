package dev.dualwrite.console.faults;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param downFor how long a killed process stays down before the console starts it again */
@ConfigurationProperties("console.faults")
record FaultProperties(@DefaultValue("10s") Duration downFor) {}
