package dev.mooring.canary.routing;

import java.util.List;

/** Chooses the {@link Router} for a Canary's {@code spec.provider}. */
public final class Routers {
  /** Provider names accepted, with {@code kubernetes} the default when none is given. */
  public static final List<String> SUPPORTED =
      List.of("kubernetes", "nginx", "gatewayapi", "gatewayapi:v1", "gatewayapi:v1beta1", "istio");

  private Routers() {}

  /** The router for {@code provider}; null or blank means {@code kubernetes}. */
  public static Router forProvider(String provider) {
    String name = provider == null || provider.isBlank() ? "kubernetes" : provider.trim();
    return switch (name) {
      case "kubernetes" -> new KubernetesRouter();
      case "nginx" -> new NginxRouter();
      case "gatewayapi", "gatewayapi:v1" -> new GatewayApiRouter("v1");
      case "gatewayapi:v1beta1" -> new GatewayApiRouter("v1beta1");
      case "istio" -> new IstioRouter();
      default ->
          throw new IllegalArgumentException(
              "unsupported canary provider '" + provider + "'; supported: " + SUPPORTED);
    };
  }
}
