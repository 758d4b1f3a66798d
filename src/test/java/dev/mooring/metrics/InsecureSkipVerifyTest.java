package dev.mooring.metrics;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** WireMock's HTTPS port has a self-signed certificate for "localhost", reached here by IP. */
class InsecureSkipVerifyTest {
  @RegisterExtension
  static WireMockExtension prometheus =
      WireMockExtension.newInstance()
          .options(wireMockConfig().dynamicPort().dynamicHttpsPort().bindAddress("127.0.0.1"))
          .build();

  @BeforeEach
  void answerOneHundred() {
    prometheus.stubFor(
        get(urlPathEqualTo("/api/v1/query"))
            .willReturn(
                okJson(
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"100\"]}}")));
  }

  @Test
  void an_untrusted_certificate_is_refused_by_default() {
    PrometheusClient client = new PrometheusClient(endpoint(false));

    assertThatThrownBy(() -> client.query("vector(100)"))
        .isInstanceOf(MetricException.class)
        .hasMessageContaining("unreachable");
  }

  @Test
  void insecure_skip_verify_accepts_any_certificate_and_host_name() throws Exception {
    PrometheusClient client = new PrometheusClient(endpoint(true));

    assertThat(client.query("vector(100)")).hasValue(100.0);
  }

  private static PrometheusEndpoint endpoint(boolean insecureSkipVerify) {
    String url = "https://127.0.0.1:" + prometheus.getRuntimeInfo().getHttpsPort();
    return new PrometheusEndpoint(url, null, null, null, insecureSkipVerify, Duration.ofSeconds(5));
  }
}
