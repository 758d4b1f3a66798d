package dev.mooring.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mooring.testing.GitRepo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitSourceFilesTest {

  @TempDir Path tmp;
  GitRepo repo;
  GitSource source;
  String sha;

  @BeforeEach
  void setUp() throws Exception {
    repo = GitRepo.init(tmp.resolve("work"));
    repo.write("README.md", "# hi")
        .write("apps/web/deploy.yaml", "kind: Deployment")
        .write("apps/web/base/svc.yaml", "kind: Service")
        .write("apps/web/base/deep/cm.yaml", "kind: ConfigMap")
        .write("shared/common.yaml", "kind: Secret");
    sha = repo.commit("files");
    source =
        new GitSource(
            tmp.resolve("cache"), true, Duration.ofSeconds(20), new SimpleMeterRegistry());
  }

  @AfterEach
  void tearDown() {
    source.close();
  }

  private SourceFiles files(String path, boolean recurse) throws SourceException {
    source.fetch(repo.url(), RepoCredentials.none());
    return source.files(repo.url(), source.resolve(repo.url(), "main"), path, recurse);
  }

  @Test
  void recurseReadsSubfoldersAndWithoutItOnlyTheFolderItself() throws Exception {
    SourceFiles all = files("apps/web", true);
    SourceFiles flat = files("apps/web", false);

    assertThat(all.commit()).isEqualTo(sha);
    assertThat(all.path()).isEqualTo("apps/web");
    assertThat(all.files().keySet())
        .containsExactly("base/deep/cm.yaml", "base/svc.yaml", "deploy.yaml");
    assertThat(new String(all.files().get("deploy.yaml"), StandardCharsets.UTF_8))
        .isEqualTo("kind: Deployment");
    assertThat(flat.files().keySet()).containsExactly("deploy.yaml");
  }

  @Test
  void emptyDotAndSlashedPathsMeanTheRoot() throws Exception {
    assertThat(files("", false).files().keySet()).containsExactly("README.md");
    assertThat(files(".", false).files().keySet()).containsExactly("README.md");
    assertThat(files("./apps/web/", false).files().keySet()).containsExactly("deploy.yaml");
    assertThat(files(".", true).files()).hasSize(5);
  }

  @Test
  void pathsLeavingTheRepositoryAreRefused() {
    for (String path : new String[] {"../x", "apps/../../x", "/etc", "apps/.."}) {
      assertThatThrownBy(() -> files(path, true))
          .isInstanceOf(SourceException.class)
          .extracting(e -> ((SourceException) e).reason())
          .isEqualTo(SourceException.Reason.PathEscapes);
    }
  }

  @Test
  void symlinksPointingOutsideTheRepositoryAreRefused() throws Exception {
    repo.symlink("apps/evil/passwd.yaml", "../../../../etc/passwd").commit("evil");
    repo.symlink("apps/abs/link.yaml", "/etc/passwd").commit("absolute");
    repo.symlink("escape", "..").commit("folder link");

    assertThatThrownBy(() -> files("apps/evil", true))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("outside the repository")
        .extracting(e -> ((SourceException) e).reason())
        .isEqualTo(SourceException.Reason.PathEscapes);
    assertThatThrownBy(() -> files("apps/abs", true))
        .extracting(e -> ((SourceException) e).reason())
        .isEqualTo(SourceException.Reason.PathEscapes);
    assertThatThrownBy(() -> files("escape/work", true))
        .extracting(e -> ((SourceException) e).reason())
        .isEqualTo(SourceException.Reason.PathEscapes);
  }

  @Test
  void symlinksInsideTheRepositoryAreFollowed() throws Exception {
    repo.symlink("apps/prod/common.yaml", "../../shared/common.yaml")
        .symlink("apps/prod/web", "../web/base")
        .symlink("apps/alias", "web")
        .commit("links");

    SourceFiles prod = files("apps/prod", true);
    SourceFiles alias = files("apps/alias", false);

    assertThat(prod.files().keySet())
        .containsExactly("common.yaml", "web/deep/cm.yaml", "web/svc.yaml");
    assertThat(new String(prod.files().get("common.yaml"), StandardCharsets.UTF_8))
        .isEqualTo("kind: Secret");
    assertThat(alias.files().keySet()).containsExactly("deploy.yaml");
  }

  @Test
  void symlinkLoopsDoNotRecurseForever() throws Exception {
    repo.symlink("apps/web/base/self", "..").commit("loop");

    assertThat(files("apps/web", true).files().keySet())
        .contains("base/svc.yaml")
        .allSatisfy(path -> assertThat(path.length()).isLessThan(200));
  }

  @Test
  void aMissingFolderIsPathNotFound() {
    assertThatThrownBy(() -> files("apps/nope", true))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("apps/nope")
        .extracting(e -> ((SourceException) e).reason())
        .isEqualTo(SourceException.Reason.PathNotFound);
  }
}
