package dev.mooring.canary.alerts;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mooring.model.AlertProvider;
import dev.mooring.model.Canary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** In-memory AlertProviders and Secrets, and Canaries and providers written as YAML. */
final class AlertFixtures implements Alerts.Providers, Alerts.Secrets {
  private static final YAMLMapper YAML = new YAMLMapper();
  private final Map<String, AlertProvider> providers = new HashMap<>();
  private final Map<String, Map<String, String>> secrets = new HashMap<>();
  String problem;

  static Canary canary(String yaml) {
    return read(yaml, Canary.class);
  }

  AlertFixtures provider(String yaml) {
    AlertProvider p = read(yaml, AlertProvider.class);
    providers.put(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(), p);
    return this;
  }

  AlertFixtures secret(String namespace, String name, Map<String, String> data) {
    secrets.put(namespace + "/" + name, data);
    return this;
  }

  @Override
  public Optional<AlertProvider> get(String namespace, String name) {
    return Optional.ofNullable(providers.get(namespace + "/" + name));
  }

  @Override
  public String problem() {
    return problem;
  }

  @Override
  public Optional<Map<String, String>> data(String namespace, String name) {
    return Optional.ofNullable(secrets.get(namespace + "/" + name));
  }

  /** A JSON fixture of src/test/resources/alerts. */
  static String json(String name) {
    try {
      return Files.readString(Path.of("src/test/resources/alerts", name + ".json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static <T> T read(String yaml, Class<T> type) {
    try {
      return YAML.readValue(yaml, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static final JsonMapper JSON = new JsonMapper();

  private AlertFixtures() {}

  static AlertFixtures cluster() {
    return new AlertFixtures();
  }
}
