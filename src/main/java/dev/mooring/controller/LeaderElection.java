package dev.mooring.controller;

import dev.mooring.sandbox.SandboxMode;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

/**
 * Several replicas may run; one reconciles at a time (the Lease "mooring-controller" in the
 * controller's namespace). Active in the prod profile, never in the single-process sandbox.
 */
@ApplicationScoped
public class LeaderElection {
  @Produces
  @Dependent
  LeaderElectionConfiguration leaderElection(SandboxMode sandbox) {
    // null switches leader election off: the sandbox API server cannot review RBAC rules
    return sandbox.active() ? null : new LeaderElectionConfiguration("mooring-controller");
  }
}
