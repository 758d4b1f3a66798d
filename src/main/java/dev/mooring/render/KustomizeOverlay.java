package dev.mooring.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.model.ApplicationSpec;
import java.util.List;
import java.util.Map;

/**
 * The Application's {@code spec.source.kustomize} options as a kustomization of their own, laid
 * over the folder's: {@code resources} names the folder, and the options are kustomize's own
 * fields, so kustomize applies them with its own semantics (as {@code kustomize edit} does for Argo
 * CD).
 */
public final class KustomizeOverlay {
  private static final ObjectMapper JSON = new ObjectMapper();

  private KustomizeOverlay() {}

  /** Whether the options ask for anything beyond building the folder as it is. */
  public static boolean needed(ApplicationSpec.Kustomize options) {
    return options != null
        && (present(options.namePrefix)
            || present(options.nameSuffix)
            || nonEmpty(options.images)
            || (options.commonLabels != null && !options.commonLabels.isEmpty())
            || (options.commonAnnotations != null && !options.commonAnnotations.isEmpty())
            || present(options.namespace)
            || nonEmpty(options.components)
            || nonEmpty(options.patches));
  }

  /**
   * The overlay's kustomization (JSON, which kustomize reads as YAML).
   *
   * @param folder the Application's folder, relative to the overlay's own folder
   * @param fromOverlayToFolder how to reach the Application's folder from the overlay's, used to
   *     resolve {@code components}, which the options give relative to the Application's folder
   */
  public static String kustomization(
      ApplicationSpec.Kustomize options, String folder, String fromOverlayToFolder)
      throws RenderException {
    ObjectNode k = JSON.createObjectNode();
    k.put("apiVersion", "kustomize.config.k8s.io/v1beta1");
    k.put("kind", "Kustomization");
    k.putArray("resources").add(folder);
    if (present(options.namePrefix)) {
      k.put("namePrefix", options.namePrefix);
    }
    if (present(options.nameSuffix)) {
      k.put("nameSuffix", options.nameSuffix);
    }
    if (present(options.namespace)) {
      k.put("namespace", options.namespace);
    }
    if (options.commonLabels != null && !options.commonLabels.isEmpty()) {
      ObjectNode labels = k.putObject("commonLabels");
      options.commonLabels.forEach(labels::put);
    }
    if (options.commonAnnotations != null && !options.commonAnnotations.isEmpty()) {
      ObjectNode annotations = k.putObject("commonAnnotations");
      options.commonAnnotations.forEach(annotations::put);
    }
    if (nonEmpty(options.images)) {
      ArrayNode images = k.putArray("images");
      for (String image : options.images) {
        images.add(image(image));
      }
    }
    if (nonEmpty(options.components)) {
      ArrayNode components = k.putArray("components");
      for (String c : options.components) {
        if (c == null || c.isBlank()) {
          throw new RenderException("", "spec.source.kustomize.components: an entry is empty");
        }
        components.add(fromOverlayToFolder + "/" + c);
      }
    }
    if (nonEmpty(options.patches)) {
      ArrayNode patches = k.putArray("patches");
      int i = 0;
      for (ApplicationSpec.KustomizePatch p : options.patches) {
        if (p == null || !present(p.patch)) {
          throw new RenderException(
              "", "spec.source.kustomize.patches[" + i + "]: patch (the patch itself) is required");
        }
        ObjectNode entry = patches.addObject();
        entry.put("patch", p.patch);
        if (p.target != null) {
          ObjectNode target = entry.putObject("target");
          Map<String, String> fields =
              new java.util.LinkedHashMap<>() {
                {
                  put("group", p.target.group);
                  put("version", p.target.version);
                  put("kind", p.target.kind);
                  put("name", p.target.name);
                  put("namespace", p.target.namespace);
                  put("labelSelector", p.target.labelSelector);
                  put("annotationSelector", p.target.annotationSelector);
                }
              };
          fields.forEach(
              (name, value) -> {
                if (present(value)) {
                  target.put(name, value);
                }
              });
        }
        i++;
      }
    }
    return k.toPrettyString();
  }

  /**
   * One image override in Argo CD's (and {@code kustomize edit set image}'s) notation: {@code
   * name=newName:newTag}, {@code name=newName@digest}, {@code name:newTag}, {@code name@digest}, or
   * {@code name=newName}. A registry port ({@code localhost:5000/app:1}) is not a tag.
   */
  static ObjectNode image(String spec) throws RenderException {
    if (spec == null || spec.isBlank() || spec.contains(" ")) {
      throw new RenderException(
          "", "spec.source.kustomize.images: \"" + spec + "\" is not an image reference");
    }
    ObjectNode image = JSON.createObjectNode();
    String name = spec;
    String replacement = null;
    int eq = spec.indexOf('=');
    if (eq >= 0) {
      name = spec.substring(0, eq);
      replacement = spec.substring(eq + 1);
    }
    String target = replacement == null ? name : replacement;
    String digest = null;
    String tag = null;
    int at = target.indexOf('@');
    if (at >= 0) {
      digest = target.substring(at + 1);
      target = target.substring(0, at);
    } else {
      int colon = target.lastIndexOf(':');
      if (colon > target.lastIndexOf('/')) {
        tag = target.substring(colon + 1);
        target = target.substring(0, colon);
      }
    }
    if (replacement == null) {
      name = target;
    }
    if (name.isEmpty() || target.isEmpty() || "".equals(tag) || "".equals(digest)) {
      throw new RenderException(
          "", "spec.source.kustomize.images: \"" + spec + "\" is not an image reference");
    }
    image.put("name", name);
    if (replacement != null && !target.equals(name)) {
      image.put("newName", target);
    }
    if (tag != null) {
      image.put("newTag", tag);
    }
    if (digest != null) {
      image.put("digest", digest);
    }
    return image;
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }

  private static boolean nonEmpty(List<?> list) {
    return list != null && !list.isEmpty();
  }
}
