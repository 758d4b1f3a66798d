package dev.mooring.webhook;

/** A Git host that sends push webhooks, as recognised by {@link WebhookParser#detect}. */
public enum Provider {
  GITHUB("github", "X-GitHub-Event", "X-GitHub-Delivery"),
  GITEA("gitea", "X-Gitea-Event", "X-Gitea-Delivery"),
  GOGS("gogs", "X-Gogs-Event", "X-Gogs-Delivery"),
  GITLAB("gitlab", "X-Gitlab-Event", "X-Gitlab-Event-UUID"),
  BITBUCKET_CLOUD("bitbucket", "X-Event-Key", "X-Request-UUID"),
  BITBUCKET_SERVER("bitbucket-server", "X-Event-Key", "X-Request-Id"),
  GENERIC("generic", "X-Mooring-Event", "X-Mooring-Delivery");

  private final String configKey;
  private final String eventHeader;
  private final String deliveryHeader;

  Provider(String configKey, String eventHeader, String deliveryHeader) {
    this.configKey = configKey;
    this.eventHeader = eventHeader;
    this.deliveryHeader = deliveryHeader;
  }

  /**
   * The provider's name in configuration: {@code mooring.webhook.<configKey>.secret}, e.g. {@code
   * github}, {@code bitbucket} (Cloud) or {@code bitbucket-server}.
   */
  public String configKey() {
    return configKey;
  }

  String eventHeader() {
    return eventHeader;
  }

  String deliveryHeader() {
    return deliveryHeader;
  }
}
