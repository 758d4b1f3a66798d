package dev.mooring.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * The chat or webhook an AlertProvider posts to. The address is a secret (anyone who has a Slack
 * webhook URL can post to it), so it usually comes from {@code secretRef}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlertProviderSpec {
  /**
   * Flagger's {@code slack}, {@code msteams}, {@code discord}, {@code rocket}, {@code gchat}, or
   * Mooring's {@code generic} (the alert as a plain JSON document).
   */
  @Required
  @Pattern("^(slack|msteams|discord|rocket|gchat|generic)$")
  public String type;

  /** Channel to post to (Slack, Discord, Rocket.Chat); default {@code general}. */
  public String channel;

  /** Name the message is posted as (Slack, Discord, Rocket.Chat); default {@code flagger}. */
  public String username;

  /** The webhook URL; the Secret's {@code address} key takes precedence. */
  public String address;

  /** HTTP proxy for the webhook calls, e.g. {@code http://proxy:3128}. */
  public String proxy;

  /**
   * Secret in the provider's namespace: {@code address} (the webhook URL), optional {@code token}
   * (a Slack bot token, or a bearer token for {@code generic}) and optional {@code proxy}.
   */
  public MetricTemplateSpec.SecretRef secretRef;
}
