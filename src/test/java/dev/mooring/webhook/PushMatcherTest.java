package dev.mooring.webhook;

import static dev.mooring.webhook.PushMatcher.pathTouched;
import static dev.mooring.webhook.PushMatcher.refMatches;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PushMatcherTest {

  private static final String SHA = "9a3e5c7b1d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c";

  @Test
  void aBranchNameMatchesAPushToThatBranchOnly() {
    assertThat(refMatches("refs/heads/main", SHA, "main", null)).isTrue();
    assertThat(refMatches("refs/heads/maintenance", SHA, "main", null)).isFalse();
    assertThat(refMatches("refs/heads/dev", SHA, "main", null)).isFalse();
  }

  @Test
  void aTagNameMatchesAPushOfThatTag() {
    assertThat(refMatches("refs/tags/v1", SHA, "v1", null)).isTrue();
    assertThat(refMatches("refs/tags/v1.1", SHA, "v1", null)).isFalse();
  }

  @Test
  void aFullRefMustMatchExactly() {
    assertThat(refMatches("refs/heads/x", SHA, "refs/heads/x", null)).isTrue();
    assertThat(refMatches("refs/tags/x", SHA, "refs/heads/x", null)).isFalse();
  }

  @Test
  void headMatchesAPushToTheRemoteHeadsBranch() {
    assertThat(refMatches("refs/heads/main", SHA, "HEAD", "main")).isTrue();
    assertThat(refMatches("refs/heads/main", SHA, "", "refs/heads/main")).isTrue();
    assertThat(refMatches("refs/heads/main", SHA, null, "main")).isTrue();
    assertThat(refMatches("refs/heads/dev", SHA, "HEAD", "main")).isFalse();
  }

  @Test
  void headWithAnUnknownHeadBranchMatchesAnyBranchPushButNoTag() {
    assertThat(refMatches("refs/heads/dev", SHA, "HEAD", null)).isTrue();
    assertThat(refMatches("refs/heads/main", SHA, "", null)).isTrue();
    assertThat(refMatches("refs/tags/v1", SHA, "", null)).isFalse();
  }

  @Test
  void aCommitShaMatchesOnlyWhenThePushEndsAtIt() {
    assertThat(refMatches("refs/heads/main", SHA, SHA.toUpperCase(), null)).isTrue();
    assertThat(refMatches("refs/heads/main", "0" + SHA.substring(1), SHA, null)).isFalse();
    assertThat(refMatches("refs/heads/main", null, SHA, null)).isFalse();
  }

  @Test
  void aMultiRefPushMatchesAnAppTrackingAnyOfItsRefs() {
    PushEvent push =
        new PushEvent(
            Provider.BITBUCKET_SERVER,
            null,
            List.of("https://bitbucket.example.com/scm/p/r.git"),
            "refs/heads/main",
            List.of("refs/heads/main", "refs/tags/v5"),
            SHA,
            null);

    assertThat(PushMatcher.refMatches(push, "v5", null)).isTrue();
    assertThat(PushMatcher.refMatches(push, "v6", null)).isFalse();
  }

  @Test
  void aFolderContainsFilesBelowItOnWholeSegments() {
    assertThat(pathTouched("apps/web", List.of("apps/web/x.yaml"))).isTrue();
    assertThat(pathTouched("apps/web/", List.of("apps/web/deep/x.yaml"))).isTrue();
    assertThat(pathTouched("./apps/web", List.of("apps/web/x.yaml"))).isTrue();
    assertThat(pathTouched("apps/web", List.of("apps/webby/x.yaml"))).isFalse();
    assertThat(pathTouched("apps/web", List.of("apps/x.yaml", "README.md"))).isFalse();
  }

  @Test
  void theRepositoryRootIsTouchedByAnyChange() {
    assertThat(pathTouched("", List.of("README.md"))).isTrue();
    assertThat(pathTouched(".", List.of("a/b.yaml"))).isTrue();
    assertThat(pathTouched(null, List.of("a/b.yaml"))).isTrue();
  }

  @Test
  void unknownChangedFilesTouchEveryPath() {
    assertThat(pathTouched("apps/web", null)).isTrue();
  }

  @Test
  void noChangedFilesTouchNoFolder() {
    assertThat(pathTouched("apps/web", List.of())).isFalse();
  }
}
