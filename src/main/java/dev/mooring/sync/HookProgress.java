package dev.mooring.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mooring.health.Health;
import dev.mooring.health.HealthStatus;

/**
 * Whether a hook object has finished, as Argo CD judges it: a Job by its {@code Complete} or {@code
 * Failed} condition, a Pod by its phase, an Argo Workflow by its phase, any other kind by its
 * health (healthy is done, degraded is failed). Pure.
 */
public record HookProgress(State state, String message) {

  /** Where a hook is. */
  public enum State {
    Running,
    Succeeded,
    Failed
  }

  public boolean finished() {
    return state != State.Running;
  }

  /**
   * @param live the hook as the cluster has it, null when it is not there
   * @param health the health of {@code live}, for kinds without a notion of completion
   */
  public static HookProgress of(JsonNode live, Health health) {
    if (live == null) {
      return new HookProgress(State.Failed, "deleted before it finished");
    }
    String apiVersion = live.path("apiVersion").asText();
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String kind = live.path("kind").asText();
    JsonNode status = live.path("status");
    if (group.equals("batch") && kind.equals("Job")) {
      return job(status);
    }
    if (group.isEmpty() && kind.equals("Pod")) {
      return pod(status);
    }
    if (group.equals("argoproj.io") && kind.equals("Workflow")) {
      String phase = status.path("phase").asText("");
      String message = status.path("message").asText("");
      return switch (phase) {
        case "Succeeded" -> new HookProgress(State.Succeeded, message);
        case "Failed", "Error" ->
            new HookProgress(State.Failed, message.isEmpty() ? "workflow " + phase : message);
        default -> new HookProgress(State.Running, phase.isEmpty() ? "pending" : phase);
      };
    }
    HealthStatus h = health == null ? HealthStatus.Healthy : health.status();
    String message = health == null || health.message() == null ? "" : health.message();
    return switch (h) {
      case Degraded -> new HookProgress(State.Failed, message.isEmpty() ? "Degraded" : message);
      case Progressing, Missing ->
          new HookProgress(State.Running, message.isEmpty() ? h.name() : message);
      default -> new HookProgress(State.Succeeded, message);
    };
  }

  private static HookProgress job(JsonNode status) {
    for (JsonNode c : status.path("conditions")) {
      if (!"True".equals(c.path("status").asText())) {
        continue;
      }
      String type = c.path("type").asText();
      String message = c.path("message").asText("");
      String reason = c.path("reason").asText("");
      if (type.equals("Complete")) {
        return new HookProgress(State.Succeeded, message.isEmpty() ? "job completed" : message);
      }
      if (type.equals("Failed")) {
        return new HookProgress(
            State.Failed, message.isEmpty() ? (reason.isEmpty() ? "job failed" : reason) : message);
      }
    }
    int active = status.path("active").asInt(0);
    int failed = status.path("failed").asInt(0);
    return new HookProgress(
        State.Running,
        active == 0 && failed == 0
            ? "waiting for the job's pods"
            : active + " active, " + failed + " failed pod(s)");
  }

  private static HookProgress pod(JsonNode status) {
    String phase = status.path("phase").asText("");
    if (phase.equals("Succeeded")) {
      return new HookProgress(State.Succeeded, "pod succeeded");
    }
    if (phase.equals("Failed")) {
      String message = status.path("message").asText("");
      for (JsonNode cs : status.path("containerStatuses")) {
        JsonNode terminated = cs.path("state").path("terminated");
        if (terminated.isObject() && terminated.path("exitCode").asInt(0) != 0) {
          message =
              "container "
                  + cs.path("name").asText()
                  + " exited with "
                  + terminated.path("exitCode").asInt()
                  + (terminated.path("reason").asText("").isEmpty()
                      ? ""
                      : " (" + terminated.path("reason").asText() + ")");
          break;
        }
      }
      return new HookProgress(State.Failed, message.isEmpty() ? "pod failed" : message);
    }
    return new HookProgress(State.Running, phase.isEmpty() ? "Pending" : phase);
  }
}
