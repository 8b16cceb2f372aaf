package io.miminions.examples.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The helper's arithmetic: precedence, parentheses, exact division, and text that is refused rather than run. */
class ArithmeticExpressionTest {

    @Test
    void evaluatesIntegerArithmeticWithPrecedenceAndParentheses() {
        assertThat(ArithmeticExpression.evaluate("2+2")).isEqualTo(4L);
        assertThat(ArithmeticExpression.evaluate(" 2 + 3 * 4 ")).isEqualTo(14L);
        assertThat(ArithmeticExpression.evaluate("(2 + 3) * 4")).isEqualTo(20L);
        assertThat(ArithmeticExpression.evaluate("10 - 4 - 3")).isEqualTo(3L);
        assertThat(ArithmeticExpression.evaluate("-(3 - 5) * -2")).isEqualTo(-4L);
        assertThat(ArithmeticExpression.evaluate("8 / 4 / 2")).isEqualTo(1L);
        assertThat(ArithmeticExpression.evaluate("7 / 2")).isEqualTo(3.5);
    }

    @Test
    void refusesAnythingButArithmetic() {
        assertThatThrownBy(() -> ArithmeticExpression.evaluate("__import__('os').system('rm -rf /')"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("unexpected '_' at position 1");
        assertThatThrownBy(() -> ArithmeticExpression.evaluate("2 + ")).hasMessageContaining("ends too early");
        assertThatThrownBy(() -> ArithmeticExpression.evaluate("2 ** 3")).hasMessageContaining("unexpected '*' at position 4");
        assertThatThrownBy(() -> ArithmeticExpression.evaluate("1.5 + 1")).hasMessageContaining("unexpected '.'");
        assertThatThrownBy(() -> ArithmeticExpression.evaluate("(".repeat(60) + "1" + ")".repeat(60)))
                .hasMessageContaining("nests deeper than 50");
        assertThatThrownBy(() -> ArithmeticExpression.evaluate("1+".repeat(150) + "1")).hasMessageContaining("longer than 200");
        assertThatThrownBy(() -> ArithmeticExpression.evaluate("1 / (2 - 2)")).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void theHelperAnswersTheSeedsQuestionAndExplainsWhatItCannotAnswer() {
        assertThat(HelperAgent.answer("What is 2+2?")).isEqualTo(Map.of("answer", 4L));
        assertThat(HelperAgent.answer("what is (1 + 2) * 3?")).isEqualTo(Map.of("answer", 9L));
        assertThat(HelperAgent.answer("What is System.exit(1)?"))
                .isEqualTo(Map.of("error", "cannot answer: unexpected 'S' at position 1 of \"System.exit(1)\""));
    }
}
