package dev.dualwrite.tracing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import org.apache.kafka.common.header.Headers;

/**
 * CloudEvents 1.0 attributes in the Kafka protocol binding's binary mode: {@code ce_*} headers beside the record's
 * own, the value unchanged (the contract's event record, JSON). Any CloudEvents-aware consumer reads our topics
 * without knowing our record. The relays set them here; for log tailing, Debezium's EventRouter and Kafka Connect's
 * InsertHeader set the same headers from the same columns (debezium/register-postgres.json).
 */
public final class CloudEventHeaders {

    public static final String SPECVERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    /** The binding maps datacontenttype to the record's content-type header. */
    public static final String CONTENT_TYPE = "content-type";

    private CloudEventHeaders() {}

    private static final byte[] SPECVERSION_1_0 = "1.0".getBytes(UTF_8);
    private static final byte[] JSON = "application/json".getBytes(UTF_8);

    /**
     * @param id      the event id
     * @param source  the service the event comes from (a URI-reference: the service's name)
     * @param subject the order the event is about
     * @param time    when the event row was written (RFC 3339, as {@link Instant#toString()} writes it)
     */
    public static void add(Headers headers, String id, String type, String source, String subject, Instant time) {
        headers.add(SPECVERSION, SPECVERSION_1_0);
        headers.add(ID, id.getBytes(UTF_8));
        headers.add(TYPE, type.getBytes(UTF_8));
        headers.add(SOURCE, source.getBytes(UTF_8));
        headers.add(SUBJECT, subject.getBytes(UTF_8));
        headers.add(TIME, time.toString().getBytes(UTF_8));
        headers.add(CONTENT_TYPE, JSON);
    }
}
