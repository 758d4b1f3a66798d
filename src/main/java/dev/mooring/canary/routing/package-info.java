/**
 * Pure builders of the Kubernetes objects a Canary owns: the {@code -primary} Deployment and its
 * ConfigMap/Secret copies, the apex, primary and canary Services, and each traffic provider's
 * routing object ({@link dev.mooring.canary.routing.Router}). No cluster calls: every function
 * takes Jackson trees and model objects and returns new trees, which the controller applies.
 */
package dev.mooring.canary.routing;
