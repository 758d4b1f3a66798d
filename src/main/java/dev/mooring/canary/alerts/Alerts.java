package dev.mooring.canary.alerts;

import dev.mooring.canary.alerts.AlertResult.Outcome;
import dev.mooring.model.AlertProvider;
import dev.mooring.model.AlertProviderSpec;
import dev.mooring.model.Canary;
import dev.mooring.model.CanaryAnalysis;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends a Canary's alerts as Flagger does: for each of {@code analysis.alerts[]} whose severity the
 * event reaches, the AlertProvider named by {@code providerRef} (in the Canary's namespace unless
 * it names one) is looked up, its address, token and proxy taken from its Secret (the {@code
 * address}, {@code token} and {@code proxy} keys) or its spec, and the message posted in the
 * provider's format. A Canary without alerts sends nothing.
 *
 * <p>Every alert gets an {@link AlertResult}; nothing is logged here and nothing is thrown for a
 * missing provider, Secret or an unreachable chat. Calls block for at most the sender's timeout per
 * alert sent.
 */
public final class Alerts {
  /** Flagger's default {@code username}. */
  public static final String DEFAULT_USERNAME = "flagger";

  /** Flagger's default {@code channel}. */
  public static final String DEFAULT_CHANNEL = "general";

  /** Where Slack's Web API takes messages: the address of a Slack provider with only a token. */
  public static final String SLACK_POST_MESSAGE = "https://slack.com/api/chat.postMessage";

  /** AlertProviders by namespace and name, from an informer. */
  public interface Providers {
    Optional<AlertProvider> get(String namespace, String name);

    /** Why no AlertProvider can be found at all (e.g. the CRD is not installed), or null. */
    default String problem() {
      return null;
    }
  }

  /** A Secret's decoded data, or empty when it does not exist. */
  public interface Secrets {
    Optional<Map<String, String>> data(String namespace, String name);
  }

  private final Providers providers;
  private final Secrets secrets;
  private final AlertSender sender;
  private final Clock clock;

  public Alerts(Providers providers, Secrets secrets, AlertSender sender, Clock clock) {
    this.providers = Objects.requireNonNull(providers, "providers");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Sends a message of severity {@code info}, {@code warn} or {@code error} to the Canary's alerts.
   *
   * @param fields extra lines of the message (Slack fields, Teams facts), in their iteration order
   * @throws IllegalArgumentException for another severity
   */
  public List<AlertResult> send(
      Canary canary, String severity, String message, Map<String, String> fields) {
    Severity level =
        Severity.parse(severity)
            .orElseThrow(() -> new IllegalArgumentException("unknown severity " + severity));
    return send(canary, level, message, fields);
  }

  /** Sends a message to every alert of the Canary that the severity reaches. */
  public List<AlertResult> send(
      Canary canary, Severity severity, String message, Map<String, String> fields) {
    List<AlertResult> results = new ArrayList<>();
    for (CanaryAnalysis.Alert alert : alerts(canary)) {
      results.add(send(canary, alert, notification(canary, severity, message, fields)));
    }
    return results;
  }

  /**
   * Sends the alert Flagger sends for a Kubernetes Event the controller recorded on the Canary (see
   * {@link AlertEvents}); an Event Flagger does not alert on sends nothing, and one raised by a
   * gate whose webhook has {@code muteAlert: true} is {@link Outcome#MUTED} for every alert.
   *
   * @param reason the Event's reason, e.g. {@code Rollback}
   * @param message the Event's message: it is the alert's message
   */
  public List<AlertResult> onEvent(Canary canary, String reason, String message) {
    Optional<AlertEvents.Alert> alert = AlertEvents.of(canary, reason, message);
    if (alert.isEmpty()) {
      return List.of();
    }
    AlertEvents.Alert a = alert.get();
    if (a.mutedBy() != null) {
      List<AlertResult> muted = new ArrayList<>();
      for (CanaryAnalysis.Alert each : alerts(canary)) {
        muted.add(
            result(canary, each, Outcome.MUTED, "webhook " + a.mutedBy() + " has muteAlert: true"));
      }
      return muted;
    }
    Map<String, String> fields = a.withMetadata() ? AlertMetadata.of(canary) : Map.of();
    return send(canary, a.severity(), message, fields);
  }

  private AlertResult send(Canary canary, CanaryAnalysis.Alert alert, Notification n) {
    Optional<Severity> level = Severity.parse(alert.severity);
    if (level.isEmpty()) {
      return result(canary, alert, Outcome.FAILED, "unknown severity \"" + alert.severity + "\"");
    }
    if (!level.get().receives(n.severity())) {
      return result(
          canary,
          alert,
          Outcome.SKIPPED_SEVERITY,
          n.severity().label() + " is below the alert's severity " + level.get().label());
    }
    if (alert.providerRef == null || blank(alert.providerRef.name)) {
      return result(canary, alert, Outcome.FAILED, "the alert has no providerRef.name");
    }
    String namespace = providerNamespace(canary, alert);
    String id = "AlertProvider " + namespace + "/" + alert.providerRef.name;
    Optional<AlertProvider> provider = providers.get(namespace, alert.providerRef.name);
    if (provider.isEmpty()) {
      String problem = providers.problem();
      return result(
          canary,
          alert,
          Outcome.FAILED,
          id + " not found" + (problem == null ? "" : ": " + problem));
    }
    Destination to;
    try {
      to = destination(namespace, id, provider.get().getSpec());
    } catch (IllegalStateException e) {
      return result(canary, alert, Outcome.FAILED, e.getMessage());
    }
    Optional<String> error = sender.post(to, to.type().payload(n, to.username(), to.channel()));
    return error
        .map(e -> result(canary, alert, Outcome.FAILED, to.type().label() + ": " + e))
        .orElseGet(() -> result(canary, alert, Outcome.SENT, ""));
  }

  /** The provider's type, address, token and proxy; an IllegalStateException says what is wrong. */
  private Destination destination(String namespace, String id, AlertProviderSpec spec) {
    if (spec == null) {
      throw new IllegalStateException(id + " has no spec");
    }
    ProviderType type =
        ProviderType.parse(spec.type)
            .orElseThrow(
                () -> new IllegalStateException(id + " has unknown type \"" + spec.type + "\""));
    String address = spec.address;
    String token = null;
    String proxy = spec.proxy;
    if (spec.secretRef != null) {
      if (blank(spec.secretRef.name)) {
        throw new IllegalStateException(id + ": secretRef has no name");
      }
      String secretId = "Secret " + namespace + "/" + spec.secretRef.name;
      Map<String, String> data =
          secret(namespace, spec.secretRef.name, id + ": " + secretId)
              .orElseThrow(() -> new IllegalStateException(id + ": " + secretId + " not found"));
      address = blank(data.get("address")) ? address : data.get("address").strip();
      token = data.get("token");
      proxy = blank(data.get("proxy")) ? proxy : data.get("proxy");
    }
    if (blank(address) && type == ProviderType.SLACK && !blank(token)) {
      address = SLACK_POST_MESSAGE;
    }
    if (blank(address)) {
      throw new IllegalStateException(
          id + " has no address (spec.address, or the key address in its secretRef)");
    }
    URI uri = webhookUri(id, address.strip());
    if (type == ProviderType.DISCORD) {
      uri = discordSlackEndpoint(uri);
    }
    return new Destination(
        type,
        uri,
        token == null ? null : token.strip(),
        proxy,
        blank(spec.username) ? DEFAULT_USERNAME : spec.username,
        blank(spec.channel) ? DEFAULT_CHANNEL : spec.channel);
  }

  /** A Secret's data; a failed read (no RBAC, API server down) says so instead of throwing. */
  private Optional<Map<String, String>> secret(String namespace, String name, String what) {
    try {
      return secrets.data(namespace, name);
    } catch (RuntimeException e) {
      throw new IllegalStateException(what + " could not be read: " + e.getMessage(), e);
    }
  }

  /** The address, never echoed: it is the secret. */
  private static URI webhookUri(String id, String address) {
    try {
      URI uri = new URI(address);
      String scheme = uri.getScheme();
      if (uri.getHost() != null
          && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // said below, without the address
    }
    throw new IllegalStateException(id + ": the address is not an http(s) URL");
  }

  /** Discord takes Slack's format on the webhook's {@code /slack} endpoint (as Flagger posts). */
  static URI discordSlackEndpoint(URI uri) {
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (path.endsWith("/slack")) {
      return uri;
    }
    String joined = (path.endsWith("/") ? path : path + "/") + "slack";
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + joined + query);
  }

  private Notification notification(
      Canary canary, Severity severity, String message, Map<String, String> fields) {
    String phase = canary.getStatus() == null ? "" : canary.getStatus().phase;
    return new Notification(
        canary.getMetadata().getName(),
        canary.getMetadata().getNamespace(),
        phase,
        severity,
        message,
        fields,
        clock.instant());
  }

  private static List<CanaryAnalysis.Alert> alerts(Canary canary) {
    CanaryAnalysis analysis =
        canary.getSpec() == null ? null : canary.getSpec().effectiveAnalysis();
    if (analysis == null || analysis.alerts == null) {
      return List.of();
    }
    return analysis.alerts.stream().filter(Objects::nonNull).toList();
  }

  private static String providerNamespace(Canary canary, CanaryAnalysis.Alert alert) {
    String ns = alert.providerRef == null ? null : alert.providerRef.namespace;
    return blank(ns) ? canary.getMetadata().getNamespace() : ns;
  }

  private static AlertResult result(
      Canary canary, CanaryAnalysis.Alert alert, Outcome outcome, String message) {
    String providerName = alert.providerRef == null ? "" : nonNull(alert.providerRef.name);
    String provider = providerNamespace(canary, alert) + "/" + providerName;
    String name = blank(alert.name) ? providerName : alert.name;
    return new AlertResult(name, provider, outcome, message);
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
