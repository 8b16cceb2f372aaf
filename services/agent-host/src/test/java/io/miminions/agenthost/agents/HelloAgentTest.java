package io.miminions.agenthost.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.miminions.sdk.Task;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HelloAgentTest {

    @Test
    void greetsTheGivenName() {
        assertThat(new HelloAgent().execute(new Task("t1", "greet", Map.of("name", "Alice"), 50, 1)))
                .isEqualTo(Map.of("greeting", "Hello, Alice!"));
    }

    @Test
    void greetsTheWorldWithoutAName() {
        assertThat(new HelloAgent().execute(new Task("t1", "greet", Map.of(), 50, 1)))
                .isEqualTo(Map.of("greeting", "Hello, World!"));
    }
}
