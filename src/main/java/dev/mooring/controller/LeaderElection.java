package dev.mooring.controller;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * Several replicas may run; one reconciles at a time (the Lease "mooring-controller" in the
 * controller's namespace). Active in the prod profile only.
 */
@ApplicationScoped
public class LeaderElection {
  @Produces
  @ApplicationScoped
  LeaderElectionConfiguration leaderElection() {
    return new LeaderElectionConfiguration("mooring-controller");
  }
}
