package dev.mooring.health;

import static dev.mooring.health.Fields.at;
import static dev.mooring.health.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Pod: by phase, with Argo CD's refinements. A long-running pod (restartPolicy Always) is degraded
 * as soon as a container waits with an error or back-off reason (CrashLoopBackOff,
 * ImagePullBackOff, ErrImagePull, CreateContainerConfigError) and healthy only once Ready. Pods
 * that run to completion (OnFailure, Never) are often hooks: they are progressing until they
 * finish, so that an image still being pulled does not fail a hook early.
 */
final class PodHealth implements HealthCheck {

  @Override
  public boolean handles(String group, String kind) {
    return "Pod".equals(kind) && group.isEmpty();
  }

  @Override
  public Health assess(JsonNode pod) {
    String restartPolicy = text(pod, "spec", "restartPolicy");
    boolean longRunning = restartPolicy.isEmpty() || "Always".equals(restartPolicy);
    if (longRunning) {
      List<String> failing = waitingWithError(pod);
      if (!failing.isEmpty()) {
        return Health.degraded(String.join("; ", failing));
      }
    }
    String phase = text(pod, "status", "phase");
    String podMessage = text(pod, "status", "message");
    switch (phase) {
      case "Pending":
        return Health.progressing(Fields.join(": ", "Pod is pending", pendingReason(pod)));
      case "Succeeded":
        return Health.healthy(podMessage);
      case "Failed":
        return Health.degraded(Fields.join(": ", "Pod failed", failureReason(pod)));
      case "Running":
        if (!longRunning) {
          return Health.progressing(
              "Pod is running (restartPolicy " + restartPolicy + "): waiting for it to complete");
        }
        var ready = Fields.condition(pod, "Ready");
        if (ready.isPresent() && Fields.isTrue(ready.get())) {
          return Health.healthy(podMessage);
        }
        String notReady = ready.map(Fields::explain).orElse("");
        for (JsonNode container : at(pod, "status", "containerStatuses")) {
          JsonNode terminated = at(container, "lastState", "terminated");
          if (!terminated.isMissingNode()) {
            return Health.degraded(
                Fields.join(
                    ": ",
                    "Pod is running but not ready",
                    "container " + text(container, "name") + " " + describe(terminated),
                    notReady));
          }
        }
        return Health.progressing(Fields.join(": ", "Pod is running but not ready", notReady));
      default:
        return Health.unknown(
            Fields.join(
                ": ", "Pod phase is " + (phase.isEmpty() ? "not reported" : phase), podMessage));
    }
  }

  /** "container web: CrashLoopBackOff: back-off restarting..." for each failing container. */
  private static List<String> waitingWithError(JsonNode pod) {
    List<String> failing = new ArrayList<>();
    for (JsonNode container : allContainerStatuses(pod)) {
      JsonNode waiting = at(container, "state", "waiting");
      String reason = text(waiting, "reason");
      if (reason.startsWith("Err") || reason.endsWith("Error") || reason.endsWith("BackOff")) {
        failing.add(
            Fields.join(
                ": ", "container " + text(container, "name"), reason, text(waiting, "message")));
      }
    }
    return failing;
  }

  /** Why a pod is still pending: unschedulable, or the containers it is still creating. */
  private static String pendingReason(JsonNode pod) {
    var scheduled = Fields.condition(pod, "PodScheduled").filter(Fields::isFalse);
    if (scheduled.isPresent()) {
      return Fields.explain(scheduled.get());
    }
    List<String> waiting = new ArrayList<>();
    for (JsonNode container : allContainerStatuses(pod)) {
      String reason = text(container, "state", "waiting", "reason");
      if (!reason.isEmpty()) {
        waiting.add("container " + text(container, "name") + " " + reason);
      }
    }
    return Fields.join(": ", text(pod, "status", "message"), String.join(", ", waiting));
  }

  /** The pod's own message, else the first container that terminated badly. */
  private static String failureReason(JsonNode pod) {
    String message = text(pod, "status", "message");
    if (!message.isEmpty()) {
      return Fields.join(": ", text(pod, "status", "reason"), message);
    }
    for (JsonNode container : allContainerStatuses(pod)) {
      JsonNode terminated = at(container, "state", "terminated");
      boolean failed =
          Fields.number(terminated, 0, "exitCode") != 0
              || "OOMKilled".equals(text(terminated, "reason"));
      if (!terminated.isMissingNode() && failed) {
        return "container " + text(container, "name") + " " + describe(terminated);
      }
    }
    return "no container reported why";
  }

  /** "exited with code 1 (Error): message". */
  private static String describe(JsonNode terminated) {
    String reason = text(terminated, "reason");
    return Fields.join(
        ": ",
        "exited with code "
            + Fields.number(terminated, 0, "exitCode")
            + (reason.isEmpty() ? "" : " (" + reason + ")"),
        text(terminated, "message"));
  }

  private static List<JsonNode> allContainerStatuses(JsonNode pod) {
    List<JsonNode> all = new ArrayList<>();
    at(pod, "status", "initContainerStatuses").forEach(all::add);
    at(pod, "status", "containerStatuses").forEach(all::add);
    return all;
  }
}
