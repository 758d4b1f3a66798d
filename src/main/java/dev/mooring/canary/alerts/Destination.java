package dev.mooring.canary.alerts;

import java.net.URI;
import java.util.Objects;

/**
 * Where one alert is posted, resolved from an AlertProvider and its Secret. The address, token and
 * proxy are secrets: {@link #toString()} and {@link #endpoint()} show only the address's host.
 *
 * @param address the webhook URL as posted to (for Discord, already ending in {@code /slack})
 * @param token bearer token (Slack's chat.postMessage, or a generic receiver), or null
 * @param proxy HTTP proxy URL, or null
 */
public record Destination(
    ProviderType type, URI address, String token, String proxy, String username, String channel) {

  public Destination {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(address, "address");
    token = blank(token) ? null : token;
    proxy = blank(proxy) ? null : proxy.strip();
  }

  /** {@code host} or {@code host:port}: the part of the address that may be shown. */
  public String endpoint() {
    return address.getPort() < 0 ? address.getHost() : address.getHost() + ":" + address.getPort();
  }

  /** Whether this posts through Slack's Web API with a bot token (which answers 200 to errors). */
  boolean slackApi() {
    return type == ProviderType.SLACK && token != null;
  }

  @Override
  public String toString() {
    return type.label() + " at " + endpoint() + (proxy == null ? "" : " via a proxy");
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
