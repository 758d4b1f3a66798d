package dev.mooring.canary;

import java.util.List;

/**
 * What the state machine decided for one tick.
 *
 * @param next the status to write (equal to the current one while awaiting input)
 * @param actions what the controller must do, in order
 * @param message a one-line summary for logs, the API and the page
 */
public record Decision(CanaryState next, List<Action> actions, String message) {

  public Decision {
    actions = List.copyOf(actions);
    message = message == null ? "" : message;
  }

  /**
   * True when the state machine needs webhook results or metric checks first: the controller runs
   * the {@link Action.RunWebhooks} and {@link Action.RunChecks} actions, adds their results to the
   * observation, and calls {@link CanaryStateMachine#step} again. Nothing else is to be done and
   * the status is unchanged.
   */
  public boolean awaitingInput() {
    return actions.stream().anyMatch(Action::isInputRequest);
  }
}
