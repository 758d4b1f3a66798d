package dev.mooring.canary.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SessionCookiesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode affinity(String json) throws Exception {
    return MAPPER.readTree(json);
  }

  @Test
  void aCookieStartsWithTheFirstCanaryTrafficAndStaysForTheRun() throws Exception {
    JsonNode spec = affinity("{\"cookieName\":\"flagger-cookie\",\"maxAge\":21600}");
    AtomicInteger asked = new AtomicInteger();
    SessionCookies none = new SessionCookies(null, "old=1");
    SessionCookies at10 = none.next(spec, 10, () -> "v" + asked.incrementAndGet());
    assertThat(at10).isEqualTo(new SessionCookies("flagger-cookie=v1", "old=1"));
    SessionCookies at20 = at10.next(spec, 20, () -> "v" + asked.incrementAndGet());
    assertThat(at20).isEqualTo(at10);
    assertThat(asked).hasValue(1);
    assertThat(SessionCookies.maxAge(spec)).isEqualTo(21600);
  }

  @Test
  void weightZeroMakesTheCookieThePreviousOne() throws Exception {
    JsonNode spec = affinity("{\"cookieName\":\"c\"}");
    SessionCookies running = new SessionCookies("c=abc", "c=old");
    SessionCookies done = running.next(spec, 0, () -> "never");
    assertThat(done).isEqualTo(new SessionCookies(null, "c=abc"));
    assertThat(done.next(spec, 0, () -> "never")).isEqualTo(done);
    assertThat(SessionCookies.maxAge(spec)).isEqualTo(SessionCookies.DEFAULT_MAX_AGE_SECONDS);
    assertThat(SessionCookies.split("c=abc")).containsExactly("c", "abc");
  }

  @Test
  void withoutACookieNameNothingChanges() throws Exception {
    SessionCookies cookies = new SessionCookies(null, null);
    assertThat(cookies.next(null, 50, () -> "x")).isSameAs(cookies);
    assertThat(cookies.next(affinity("{\"maxAge\":5}"), 50, () -> "x")).isSameAs(cookies);
    assertThat(SessionCookies.split(" ")).isNull();
  }
}
