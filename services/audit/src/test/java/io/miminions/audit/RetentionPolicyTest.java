package io.miminions.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

    private final RetentionPolicy thirtyDays = new RetentionPolicy(Duration.ofDays(30));

    @Test
    void keepsWholeDaysSoAnEventLivesAtLeastTheRetention() {
        Instant now = Instant.parse("2026-11-23T10:15:00Z");

        assertThat(thirtyDays.oldestKeptDay(now)).isEqualTo(LocalDate.parse("2026-10-24"));
        assertThat(thirtyDays.keptSince(now)).isEqualTo(Instant.parse("2026-10-24T00:00:00Z"));
        assertThat(thirtyDays.isExpired(Instant.parse("2026-10-23T23:59:59.999999Z"), now)).isTrue();
        assertThat(thirtyDays.isExpired(Instant.parse("2026-10-24T00:00:00Z"), now)).isFalse();
    }

    @Test
    void daysAreUtcDays() {
        assertThat(RetentionPolicy.dayOf(Instant.parse("2026-11-23T23:59:59.999Z"))).isEqualTo(LocalDate.parse("2026-11-23"));
        assertThat(RetentionPolicy.startOf(LocalDate.parse("2026-11-24"))).isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
    }

    @Test
    void refusesARetentionShorterThanADay() {
        assertThatThrownBy(() -> new RetentionPolicy(Duration.ofHours(23)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one day");
    }
}
