package dev.mooring.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An AlertProvider: where a Canary's alerts go (a Slack, Microsoft Teams, Discord, Rocket.Chat or
 * Google Chat incoming webhook, or a generic JSON webhook). Canaries name it in {@code
 * spec.analysis.alerts[].providerRef}. Same fields as Flagger's {@code flagger.app/v1beta1}
 * AlertProvider; Flagger's status is never written by Flagger either, hence {@link Void}.
 */
@Group(Application.GROUP)
@Version("v1alpha1")
@AdditionalPrinterColumn(name = "Type", jsonPath = ".spec.type")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlertProvider extends CustomResource<AlertProviderSpec, Void> implements Namespaced {}
