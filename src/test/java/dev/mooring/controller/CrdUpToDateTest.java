package dev.mooring.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.testing.WithRealKubernetes;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CRDs checked in under config/crd are the ones generated from the Java classes. */
@QuarkusTest
@WithRealKubernetes
class CrdUpToDateTest {

  @Test
  void checkedInCrdsMatchTheGeneratedOnes() throws Exception {
    for (String kind :
        new String[] {
          "alertproviders", "applications", "canaries", "metrictemplates", "pipelines"
        }) {
      Path generated = Path.of("target/kubernetes/" + kind + ".mooring.dev-v1.yml");
      assertThat(generated).exists();
      assertThat(Files.readString(Path.of("config/crd/" + kind + ".mooring.dev-v1.yml")))
          .as("run ./mvnw package and copy target/kubernetes/*.mooring.dev-v1.yml to config/crd/")
          .isEqualTo(Files.readString(generated));
    }
  }
}
