package dev.mooring.health;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * CronJob: suspended when {@code spec.suspend} is set; degraded when the last scheduled run has
 * ended without succeeding (Argo CD's newer rule: lastSuccessfulTime older than lastScheduleTime
 * and no Job active); healthy otherwise, including while a Job runs, so that a long Job does not
 * hold up a sync.
 */
final class CronJobHealth implements HealthCheck {

  @Override
  public boolean handles(String group, String kind) {
    return "CronJob".equals(kind) && "batch".equals(group);
  }

  @Override
  public Health assess(JsonNode cronJob) {
    if (Fields.flag(cronJob, "spec", "suspend")) {
      return Health.suspended("CronJob is suspended (spec.suspend is true)");
    }
    int active = Fields.at(cronJob, "status", "active").size();
    if (active > 0) {
      return Health.healthy("CronJob has " + active + " active Job(s)");
    }
    Instant lastSchedule = Fields.time(cronJob, "status", "lastScheduleTime");
    if (lastSchedule == null) {
      return Health.healthy("CronJob has not been scheduled yet");
    }
    Instant lastSuccess = Fields.time(cronJob, "status", "lastSuccessfulTime");
    if (lastSuccess == null || lastSuccess.isBefore(lastSchedule)) {
      return Health.degraded(
          "CronJob's last Job, scheduled at "
              + lastSchedule
              + ", did not complete successfully (last success: "
              + (lastSuccess == null ? "never" : lastSuccess.toString())
              + ")");
    }
    return Health.healthy("CronJob's last Job completed at " + lastSuccess);
  }
}
