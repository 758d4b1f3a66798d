/**
 * Canary alerts (Flagger's model): a Canary's {@code analysis.alerts[]} each name an {@link
 * dev.mooring.model.AlertProvider} and a severity; {@link dev.mooring.canary.alerts.Alerts} sends
 * an event's message to every alert whose severity it reaches, in the provider's own format (Slack,
 * Microsoft Teams, Discord, Rocket.Chat, Google Chat, or a generic JSON webhook), and returns what
 * happened to each as data.
 *
 * <p>The payloads and the severity rules are pure; the cluster (AlertProviders, Secrets) is behind
 * two small lookup interfaces and HTTP behind {@link dev.mooring.canary.alerts.AlertSender}.
 * Provider addresses and tokens are secrets: no result, message or {@code toString} shows more of
 * an address than its host.
 */
package dev.mooring.canary.alerts;
