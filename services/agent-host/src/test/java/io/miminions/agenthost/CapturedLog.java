package io.miminions.agenthost;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/** The records one logger writes while it is open, formatted. */
final class CapturedLog extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    CapturedLog(Class<?> loggingClass) {
        logger = Logger.getLogger(loggingClass.getName());
        logger.addHandler(this);
    }

    /** The messages logged at this level or above that contain the text. */
    List<String> messages(Level atLeast, String containing) {
        return records.stream()
                .filter(record -> record.getLevel().intValue() >= atLeast.intValue())
                .map(record -> record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage())
                .filter(message -> message.contains(containing))
                .toList();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
