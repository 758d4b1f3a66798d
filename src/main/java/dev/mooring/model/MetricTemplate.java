package dev.mooring.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Set;

/**
 * A MetricTemplate: a named, reusable metric query that Canary analysis metrics reference through
 * {@code templateRef}. Same fields as Flagger's {@code flagger.app/v1beta1} MetricTemplate. It has
 * no status, hence {@link Void}.
 */
@Group(Application.GROUP)
@Version("v1alpha1")
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = MetricTemplate.Reader.class)
public class MetricTemplate extends CustomResource<MetricTemplateSpec, Void>
    implements Namespaced, TolerantReader.Tolerant {

  @JsonIgnore private String unreadable;

  @Override
  public String unreadable() {
    return unreadable;
  }

  @Override
  public void unreadable(String reason) {
    this.unreadable = reason;
  }

  /** Reads a MetricTemplate that has fields it cannot map without failing its list. */
  public static final class Reader extends TolerantReader<MetricTemplate> {
    public Reader() {
      super(MetricTemplate.class, Set.of("spec"), (template, ignored) -> {});
    }
  }
}
