package dev.mooring.controller;

import dev.mooring.cluster.KindUnavailableException;
import dev.mooring.cluster.UnknownKindException;
import dev.mooring.model.Application;
import dev.mooring.sync.Comparer;
import dev.mooring.sync.Comparison;
import dev.mooring.sync.DuplicateObjectException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Runs the PostDelete hooks of a deleted Application, as Argo CD does: an app whose Git has
 * PostDelete hooks carries the finalizer {@link OperationRunner#POST_DELETE_FINALIZER}; once it is
 * deleted, its hooks (of the revision it tracks) run and are waited for, and then the finalizer
 * goes. Hooks that cannot be rendered are said in an Event and never hold the deletion. The
 * operator SDK does not hand deletions to a reconciler without its own finalizer on every app, so
 * the Application watch of the API's index feeds this, on the leader only, one app at a time.
 */
@ApplicationScoped
public class PostDeleteHooks {
  private static final Logger LOG = Logger.getLogger(PostDeleteHooks.class);

  private final DesiredState desiredState;
  private final Comparer comparer;
  private final OperationRunner operations;
  private final Leadership leadership;
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "mooring-post-delete");
            t.setDaemon(true);
            return t;
          });

  public PostDeleteHooks(
      DesiredState desiredState,
      Comparer comparer,
      OperationRunner operations,
      Leadership leadership) {
    this.desiredState = desiredState;
    this.comparer = comparer;
    this.operations = operations;
    this.leadership = leadership;
  }

  /** True when the app is deleted and waits for its PostDelete hooks. */
  public static boolean waiting(Application app) {
    List<String> finalizers = app.getMetadata().getFinalizers();
    return app.isMarkedForDeletion()
        && finalizers != null
        && finalizers.contains(OperationRunner.POST_DELETE_FINALIZER);
  }

  /** Starts the PostDelete hooks of an app that waits for them, unless they run already. */
  public void consider(Application app) {
    if (app == null || !waiting(app) || !leadership.isLeader()) {
      return;
    }
    String key = app.getMetadata().getNamespace() + "/" + app.getMetadata().getName();
    if (!running.add(key)) {
      return;
    }
    executor.execute(
        () -> {
          try {
            run(app);
          } catch (RuntimeException e) {
            // looked at again by the next scan; the finalizer stays meanwhile
            LOG.warnf(e, "application %s: PostDelete hooks failed unexpectedly", key);
          } finally {
            running.remove(key);
          }
        });
  }

  private void run(Application app) {
    DesiredState.Result desired = desiredState.load(app, null);
    String problem = desired.error();
    if (problem == null) {
      try {
        Comparison cmp =
            comparer.compare(
                AppTarget.of(app),
                desired.revision(),
                ApplicationReconciler.objects(desired.manifests()));
        operations.runPostDelete(app, cmp);
      } catch (UnknownKindException
          | DuplicateObjectException
          | KindUnavailableException
          | KubernetesClientException e) {
        problem = e.getMessage();
      }
    }
    if (problem != null) {
      operations.postDeleteNotRun(app, problem);
    }
    operations.holdForPostDelete(app, false);
  }
}
