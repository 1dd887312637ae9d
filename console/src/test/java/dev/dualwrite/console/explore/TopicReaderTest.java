package dev.dualwrite.console.explore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TopicReaderTest {

    @Test
    void showsTextHeadersAsTextAndSpringKafkasBinaryDeadLetterNumbersAsNumbers() {
        assertThat(TopicReader.text("OrderCreated".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("OrderCreated");
        assertThat(TopicReader.text(ByteBuffer.allocate(8).putLong(1234567L).array()))
                .isEqualTo("1234567");
        assertThat(TopicReader.text(ByteBuffer.allocate(4).putInt(2).array())).isEqualTo("2");
        assertThat(TopicReader.text(new byte[] {(byte) 0xff, 0x01, 0x02})).isEqualTo("0xff0102");
    }
}
