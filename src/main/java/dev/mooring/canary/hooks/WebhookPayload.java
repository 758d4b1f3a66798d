package dev.mooring.canary.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The JSON body of a webhook call, Flagger's {@code CanaryWebhookPayload} field for field, so that
 * receivers written for Flagger (the load tester, approval gates) read it unchanged.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record WebhookPayload(
    @JsonInclude(JsonInclude.Include.ALWAYS) String name,
    @JsonInclude(JsonInclude.Include.ALWAYS) String namespace,
    @JsonInclude(JsonInclude.Include.ALWAYS) String phase,
    @JsonInclude(JsonInclude.Include.ALWAYS) String checksum,
    Map<String, String> metadata) {}
