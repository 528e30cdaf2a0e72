package io.cato.budget;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * What a limit counts, and over which window: fixed windows in UTC (a minute, a calendar day, a calendar month),
 * each counted in one store item that a new window replaces, so a limit resets when its window turns.
 * Dollars are counted in nanodollars (10^-9 USD), so sums of many small calls stay exact.
 */
public enum Meter {
    REQUESTS_PER_MINUTE("requests_per_minute", "rpm", Duration.ofHours(1)),
    TOKENS_PER_MINUTE("tokens_per_minute", "tpm", Duration.ofHours(1)),
    USD_PER_DAY("usd_per_day", "usd_day", Duration.ofDays(35)),
    USD_PER_MONTH("usd_per_month", "usd_month", Duration.ofDays(400));

    /** Nanodollars in one US dollar. */
    public static final long NANOS_PER_USD = 1_000_000_000L;

    private final String field;
    private final String code;
    private final Duration retention;

    Meter(String field, String code, Duration retention) {
        this.field = field;
        this.code = code;
        this.retention = retention;
    }

    /** The name in configuration, the admin endpoint and metrics. */
    public String field() {
        return field;
    }

    /** The short name in store keys. */
    public String code() {
        return code;
    }

    public boolean dollars() {
        return this == USD_PER_DAY || this == USD_PER_MONTH;
    }

    /** The window {@code now} falls in. */
    public Window window(Instant now) {
        return switch (this) {
            case REQUESTS_PER_MINUTE, TOKENS_PER_MINUTE -> {
                Instant start = now.truncatedTo(ChronoUnit.MINUTES);
                yield new Window(start.toString().substring(0, 16), start, start.plus(Duration.ofMinutes(1)));
            }
            case USD_PER_DAY -> {
                LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
                yield new Window(day.toString(), day.atStartOfDay(ZoneOffset.UTC).toInstant(),
                        day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            case USD_PER_MONTH -> {
                YearMonth month = YearMonth.from(LocalDate.ofInstant(now, ZoneOffset.UTC));
                yield new Window(month.toString(), month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                        month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
        };
    }

    /** How long a window's item is kept after the window ends, for the admin endpoint to show (then TTL removes it). */
    public Duration retention() {
        return retention;
    }

    /**
     * One window of a meter.
     *
     * @param id the window's name in store keys: {@code 2026-12-04T08:15}, {@code 2026-12-04} or {@code 2026-12}
     */
    public record Window(String id, Instant start, Instant end) {

        /** Time until the window ends (and its limit resets), never negative. */
        public Duration resetIn(Instant now) {
            Duration left = Duration.between(now, end);
            return left.isNegative() ? Duration.ZERO : left;
        }
    }
}
