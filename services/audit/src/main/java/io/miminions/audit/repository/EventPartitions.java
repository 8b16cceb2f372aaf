package io.miminions.audit.repository;

import io.miminions.audit.RetentionPolicy;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The daily partitions of {@code audit.events}: {@code audit.events_YYYYMMDD} holds the events of
 * that UTC day, {@code [day, day + 1)}. There is no default partition: a day is created when an
 * event of it is stored first (or ahead, by the maintenance job).
 *
 * <p>A partition is created as a plain table and then attached, which locks {@code audit.events}
 * only in SHARE UPDATE EXCLUSIVE mode (inserts and queries go on); {@code CREATE TABLE ... PARTITION OF}
 * would take ACCESS EXCLUSIVE. Dropping a day takes ACCESS EXCLUSIVE on {@code audit.events} briefly,
 * bounded by a lock timeout so that it never queues the inserts behind a long query.
 */
@ApplicationScoped
public class EventPartitions {

    private static final Logger LOG = Logger.getLogger(EventPartitions.class);
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.BASIC_ISO_DATE;
    private static final String PREFIX = "events_";
    /** Longest wait for a lock on {@code audit.events} when creating or dropping a partition. */
    private static final String LOCK_TIMEOUT = "5s";

    private final Pool pool;
    /** Days known to have a partition; a drop elsewhere is noticed when an insert fails, see {@link #forget()}. */
    private final Set<LocalDate> known = ConcurrentHashMap.newKeySet();

    EventPartitions(Pool pool) {
        this.pool = pool;
    }

    /** The table holding the events of {@code day}, without schema. */
    public static String tableOf(LocalDate day) {
        return PREFIX + day.format(SUFFIX);
    }

    /** Creates the partitions of the days that have none yet, oldest first. */
    public Uni<Void> ensure(Collection<LocalDate> days) {
        List<LocalDate> missing = days.stream().filter(day -> !known.contains(day)).distinct().sorted().toList();
        if (missing.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(missing)
                .onItem().transformToUniAndConcatenate(this::create)
                .collect().last()
                .replaceWithVoid();
    }

    private Uni<Void> create(LocalDate day) {
        String table = tableOf(day);
        String sql = """
                DO $$
                BEGIN
                    PERFORM pg_advisory_xact_lock(hashtext('audit.partitions'));
                    IF to_regclass('audit.%1$s') IS NULL THEN
                        PERFORM set_config('lock_timeout', '%4$s', true);
                        CREATE TABLE audit.%1$s (LIKE audit.events INCLUDING DEFAULTS);
                        ALTER TABLE audit.events ATTACH PARTITION audit.%1$s
                            FOR VALUES FROM ('%2$s') TO ('%3$s');
                    END IF;
                END $$""".formatted(table, RetentionPolicy.startOf(day), RetentionPolicy.startOf(day.plusDays(1)),
                LOCK_TIMEOUT);
        return pool.query(sql).execute()
                .invoke(() -> {
                    known.add(day);
                    LOG.debugf("partition audit.%s is there", table);
                })
                .replaceWithVoid();
    }

    /** The days that have a partition, oldest first. */
    public Uni<List<LocalDate>> list() {
        return pool.query("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'audit.events'::regclass ORDER BY c.relname""").execute()
                .map(rows -> {
                    List<LocalDate> days = new ArrayList<>();
                    rows.forEach(row -> {
                        String name = row.getString(0);
                        if (name.startsWith(PREFIX)) {
                            days.add(LocalDate.parse(name.substring(PREFIX.length()), SUFFIX));
                        }
                    });
                    known.clear();
                    known.addAll(days);
                    return days;
                });
    }

    /** Drops the partition of {@code day} and every event in it. */
    public Uni<Void> drop(LocalDate day) {
        known.remove(day);
        return pool.withTransaction(connection -> connection.query("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'").execute()
                        .chain(() -> connection.query("DROP TABLE IF EXISTS audit." + tableOf(day)).execute()))
                .invoke(() -> known.remove(day))
                .replaceWithVoid();
    }

    /** Forgets which partitions exist, after an insert found none for its row: the next {@link #ensure} looks again. */
    public void forget() {
        known.clear();
    }
}
