package io.miminions.examples.agents;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.function.Supplier;

/**
 * Evaluates arithmetic on integers: {@code + - * /}, unary minus and parentheses, with the usual
 * precedence ({@code 2+3*4} is 14). A small recursive-descent parser: the text is only ever read as
 * numbers and operators, never run as code, so a message cannot make an agent do anything else.
 * Division is exact where it can be ({@code 7/2} is 3.5) and to 16 significant digits otherwise.
 *
 * <pre>
 * expression = term { ("+" | "-") term }
 * term       = factor { ("*" | "/") factor }
 * factor     = "-" factor | "(" expression ")" | digits
 * </pre>
 */
public final class ArithmeticExpression {

    /** The longest text evaluated; longer questions are refused. */
    public static final int MAX_LENGTH = 200;
    private static final int MAX_NESTING = 50;

    private final String text;
    private int position;
    private int nesting;

    private ArithmeticExpression(String text) {
        this.text = text;
    }

    /**
     * The value of the expression: a {@link Long} when it is a whole number that fits, else a {@link Double}.
     *
     * @throws IllegalArgumentException when the text is not such an expression, saying where
     * @throws ArithmeticException      on division by zero
     */
    public static Number evaluate(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no expression");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the expression is longer than " + MAX_LENGTH + " characters");
        }
        ArithmeticExpression parser = new ArithmeticExpression(text);
        BigDecimal value = parser.expression();
        parser.skipSpaces();
        if (parser.position < text.length()) {
            throw parser.unexpected();
        }
        return asNumber(value);
    }

    private BigDecimal expression() {
        BigDecimal value = term();
        for (char next = peek(); next == '+' || next == '-'; next = peek()) {
            position++;
            value = next == '+' ? value.add(term()) : value.subtract(term());
        }
        return value;
    }

    private BigDecimal term() {
        BigDecimal value = factor();
        for (char next = peek(); next == '*' || next == '/'; next = peek()) {
            position++;
            BigDecimal operand = factor();
            if (next == '*') {
                value = value.multiply(operand);
            } else if (operand.signum() == 0) {
                throw new ArithmeticException("division by zero");
            } else {
                value = value.divide(operand, MathContext.DECIMAL64);
            }
        }
        return value;
    }

    private BigDecimal factor() {
        char next = peek();
        if (next == '-') {
            position++;
            return nested(() -> factor().negate());
        }
        if (next == '(') {
            position++;
            BigDecimal value = nested(this::expression);
            if (peek() != ')') {
                throw unexpected();
            }
            position++;
            return value;
        }
        int start = position;
        while (position < text.length() && text.charAt(position) >= '0' && text.charAt(position) <= '9') {
            position++;
        }
        if (start == position) {
            throw unexpected();
        }
        return new BigDecimal(text.substring(start, position));
    }

    private BigDecimal nested(Supplier<BigDecimal> inner) {
        if (++nesting > MAX_NESTING) {
            throw new IllegalArgumentException("the expression nests deeper than " + MAX_NESTING + " levels");
        }
        BigDecimal value = inner.get();
        nesting--;
        return value;
    }

    /** The next character that is not a space, or 0 at the end; the position stays on it. */
    private char peek() {
        skipSpaces();
        return position < text.length() ? text.charAt(position) : 0;
    }

    private void skipSpaces() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    private IllegalArgumentException unexpected() {
        return new IllegalArgumentException(position < text.length()
                ? "unexpected '" + text.charAt(position) + "' at position " + (position + 1) + " of \"" + text + "\""
                : "\"" + text + "\" ends too early");
    }

    private static Number asNumber(BigDecimal value) {
        BigDecimal plain = value.stripTrailingZeros();
        if (plain.scale() <= 0) {
            BigInteger whole = plain.toBigIntegerExact();
            if (whole.bitLength() < 64) {
                return whole.longValue();
            }
        }
        return plain.doubleValue();
    }
}
