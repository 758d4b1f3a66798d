package dev.mooring.testing;

import io.quarkus.test.common.QuarkusTestResource;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated {@code @QuarkusTest} class against its own real Kubernetes API server (see
 * {@link RealApiServer}); inject it with {@link RealKubernetes}.
 */
@QuarkusTestResource(value = RealKubernetesResource.class, restrictToAnnotatedClass = true)
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface WithRealKubernetes {
  /** kube-controller-manager controllers to run; empty runs none. */
  String[] controllers() default {"namespace", "garbagecollector"};
}
