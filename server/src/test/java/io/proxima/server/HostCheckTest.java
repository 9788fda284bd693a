package io.proxima.server;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostCheckTest {
    @Test
    void loopbackBindAnswersItsNamesOnItsPort() {
        HostCheck c = HostCheck.of("127.0.0.1", List.of());
        assertThat(c.allows("127.0.0.1:7300", 7300)).isTrue();
        assertThat(c.allows("localhost:7300", 7300)).isTrue();
        assertThat(c.allows("[::1]:7300", 7300)).isTrue();
        assertThat(c.allows(null, 7300)).isTrue();
        assertThat(c.allows("127.0.0.1:7301", 7300)).isFalse();
        assertThat(c.allows("127.0.0.1", 7300)).isFalse(); // no port means 80
        assertThat(c.allows("127.0.0.1", 80)).isTrue();
        assertThat(c.allows("192.168.1.5:7300", 7300)).isFalse();
        assertThat(c.allows("evil.example:7300", 7300)).isFalse();
        assertThat(c.allows("", 7300)).isFalse();
    }

    @Test
    void aNamedOrIpv6BindAddressIsAnsweredToo() {
        assertThat(HostCheck.of("10.1.2.3", List.of()).allows("10.1.2.3:80", 80)).isTrue();
        assertThat(HostCheck.of("10.1.2.3", List.of()).allows("10.1.2.4:80", 80)).isFalse();
        assertThat(HostCheck.of("box.lan", List.of()).allows("BOX.lan:7300", 7300)).isTrue();
        assertThat(HostCheck.of("fe80::1", List.of()).allows("[fe80::1]:7300", 7300)).isTrue();
    }

    @Test
    void aWildcardBindAnswersAnyIpLiteralOnItsPortButNoName() {
        for (String any : List.of("0.0.0.0", "::")) {
            HostCheck c = HostCheck.of(any, List.of());
            assertThat(c.allows("10.20.30.40:7300", 7300)).as(any).isTrue();
            assertThat(c.allows("[2001:db8::7]:7300", 7300)).isTrue();
            assertThat(c.allows("localhost:7300", 7300)).isTrue();
            assertThat(c.allows("10.20.30.40:7301", 7300)).isFalse();
            assertThat(c.allows("proxima.internal:7300", 7300)).isFalse();
            assertThat(c.allows("10.20.30.400:7300", 7300)).isFalse();
            assertThat(c.allows("10.20.30:7300", 7300)).isFalse();
            assertThat(c.allows("[zz::1]:7300", 7300)).isFalse();
            assertThat(c.allows("0x7f.1:7300", 7300)).isFalse();
        }
    }

    @Test
    void allowedEntriesMatchAnyPortOrTheirOwn() {
        HostCheck c = HostCheck.of("127.0.0.1", List.of("proxima.internal", "gw:443", "2001:db8::1", "[2001:db8::2]:8080"));
        assertThat(c.allows("proxima.internal:1234", 7300)).isTrue();
        assertThat(c.allows("proxima.internal", 7300)).isTrue();
        assertThat(c.allows("gw:443", 7300)).isTrue();
        assertThat(c.allows("gw:7300", 7300)).isFalse();
        assertThat(c.allows("[2001:db8::1]:9", 7300)).isTrue();
        assertThat(c.allows("[2001:db8::2]:8080", 7300)).isTrue();
        assertThat(c.allows("[2001:db8::2]:8081", 7300)).isFalse();
        assertThat(HostCheck.of("127.0.0.1", List.of("*")).allows("whatever", 1)).isTrue();
        assertThatThrownBy(() -> HostCheck.checkEntry("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostCheck.checkEntry("http://x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostCheck.checkEntry(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
