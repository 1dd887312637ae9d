package dev.dualwrite.console;

import dev.dualwrite.stack.NativeStack;
import dev.dualwrite.stack.StackSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Under the lab profile the console works on the native stack that started it (the launcher tells it where that is:
 * {@code StackSettings.consoleEnvironment()}): its faults kill and restart that stack's processes, its verdict reads
 * that stack's run directory.
 */
@Configuration(proxyBeanMethods = false)
@Profile("lab")
class LabStackConfiguration {

    @Bean
    NativeStack nativeStack() {
        return new NativeStack(StackSettings.ofConsole(System.getenv()));
    }
}
