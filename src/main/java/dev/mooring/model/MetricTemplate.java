package dev.mooring.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A MetricTemplate: a named, reusable metric query that Canary analysis metrics reference through
 * {@code templateRef}. Same fields as Flagger's {@code flagger.app/v1beta1} MetricTemplate. It has
 * no status, hence {@link Void}.
 */
@Group(Application.GROUP)
@Version("v1alpha1")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricTemplate extends CustomResource<MetricTemplateSpec, Void>
    implements Namespaced {}
