package io.bayeuxd.broker;

import io.bayeuxd.api.BayeuxMessage;
import io.bayeuxd.api.Extension;
import io.bayeuxd.api.ExtensionContext;
import io.bayeuxd.protocol.JsonValue;
import io.bayeuxd.protocol.Message;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Extensions change a message only through {@link BayeuxMessage}: what they return is the message they
 * were given or {@code null}, never a replacement with a channel or client id the broker did not validate.
 */
class ExtensionChainTest {
    private final ExtensionChain chain = new ExtensionChain();

    @Test
    void theMessageGivenGoesOnWithItsDataAndExtChanged() {
        chain.add(new Extension() {
            @Override
            public BayeuxMessage incoming(BayeuxMessage message, ExtensionContext context) {
                return message.data(JsonValue.parse("2")).ext(JsonValue.parse("{\"seen\":true}"));
            }
        });
        Message m = new Message().channel("/a").clientId("c1").data(JsonValue.parse("1"));

        assertThat(chain.incoming(m, null)).isSameAs(m);
        assertThat(m.data().tree().intValue()).isEqualTo(2);
        assertThat(m.ext().tree().get("seen").booleanValue()).isTrue();
        assertThat(m.channel()).isEqualTo("/a");
    }

    @Test
    void nullDropsTheMessage() {
        chain.add(new Extension() {
            @Override
            public BayeuxMessage outgoing(BayeuxMessage message, ExtensionContext context) {
                return null;
            }
        });
        assertThat(chain.outgoing(new Message().channel("/a"), null)).isNull();
    }

    @Test
    void anotherMessageReturnedFailsTheRequestInsteadOfReplacingTheValidatedOne() {
        chain.add(new Extension() {
            @Override
            public BayeuxMessage incoming(BayeuxMessage message, ExtensionContext context) {
                return new Message().channel("/meta/handshake").clientId("someone-else");
            }
        });
        assertThatThrownBy(() -> chain.incoming(new Message().channel("/a").clientId("c1"), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another message");
    }
}
