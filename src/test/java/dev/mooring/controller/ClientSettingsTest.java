package dev.mooring.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import org.junit.jupiter.api.Test;

class ClientSettingsTest {

  private static Config config() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl("https://127.0.0.1:6443")
        .withClientCertData("Y2VydA==")
        .withClientKeyData("a2V5")
        .build();
  }

  @Test
  void aCertificateKubeconfigGetsNoTokenLookups() {
    Config config = config();
    assertTrue(ClientSettings.certificateOnly(config));
    new ClientSettings().customize(config);
    assertNotNull(config.getOauthTokenProvider(), "the once-a-minute reload is short-circuited");
    assertNull(config.getOauthTokenProvider().getToken(), "and no bearer token is sent");
    assertTrue(config.getUserAgent().startsWith("mooring/"));
  }

  @Test
  void tokensAndPasswordsAreLeftToTheClient() {
    Config token = config();
    token.setOauthToken("t");
    Config auto = config();
    auto.setAutoOAuthToken("service-account-token");
    Config basic = config();
    basic.setUsername("u");
    Config none = new ConfigBuilder(Config.empty()).withMasterUrl("https://x").build();
    for (Config c : new Config[] {token, auto, basic, none}) {
      assertFalse(ClientSettings.certificateOnly(c));
      new ClientSettings().customize(c);
      assertNull(c.getOauthTokenProvider());
    }
    assertEquals("t", token.getOauthToken());
  }
}
