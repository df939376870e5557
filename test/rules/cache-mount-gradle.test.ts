/** Gradle through cache-mount and cache-disabled: fires, does not fire, and the exact text after each fix. */
import { rule as cacheMount } from '../../server/src/rules/cache-mount';
import { rule as cacheDisabled } from '../../server/src/rules/cache-disabled';
import { runRuleTests } from '../helpers/rule-tester';

const CACHES = '--mount=type=cache,target=/root/.gradle/caches,sharing=locked';
const DISTS = '--mount=type=cache,target=/root/.gradle/wrapper/dists,sharing=locked';
const IMAGE = 'gradle:8.10-jdk21';

runRuleTests(cacheMount, {
  valid: [
    { name: 'gradle with caches/ mounted', code: `FROM ${IMAGE}\nRUN ${CACHES} gradle build --no-daemon\n` },
    { name: './gradlew with caches/ and wrapper/dists mounted', code: `FROM eclipse-temurin:21-jdk\nRUN ${CACHES} ${DISTS} ./gradlew build\n` },
    { name: 'the whole Gradle user home mounted', code: 'FROM eclipse-temurin:21-jdk\nRUN --mount=type=cache,id=gradle,target=/root/.gradle,sharing=shared ./gradlew bootJar\n' },
    { name: 'GRADLE_USER_HOME from ENV, mounted there', code: 'FROM eclipse-temurin:21-jdk\nENV GRADLE_USER_HOME=/cache/gradle\nRUN --mount=type=cache,target=/cache/gradle ./gradlew build\n' },
    { name: '--gradle-user-home mounted', code: 'FROM eclipse-temurin:21-jdk\nRUN --mount=type=cache,target=/gh gradle -g /gh build\n' },
    { name: 'gradle --offline downloads nothing', code: `FROM ${IMAGE}\nRUN gradle build --offline\n` },
    { name: 'gradle without a task downloads nothing', code: `FROM ${IMAGE}\nRUN gradle --version\n` },
    { name: './gradlew --offline still needs its distribution, mounted', code: `FROM eclipse-temurin:21-jdk\nRUN ${DISTS} ./gradlew build --offline\n` },
    { name: 'the word gradle elsewhere', code: `FROM ${IMAGE}\nRUN echo gradle build && chmod +x gradlew\n` },
    { name: 'a non-root user with mounts it owns', code: 'FROM eclipse-temurin:21-jdk\nRUN useradd -u 1001 -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.gradle/caches,uid=1001 gradle build\n' },
  ],
  invalid: [
    {
      name: 'gradle in the gradle image (root since 2019): caches/, locked',
      code: `FROM ${IMAGE} AS build\nWORKDIR /app\nCOPY . .\nRUN gradle build --no-daemon\n`,
      errors: [{ messageId: 'mountMissing', line: 4, column: 5, endColumn: 17, data: { manager: 'Gradle', dirs: '/root/.gradle/caches (dependencies)', flags: CACHES } }],
      output: `FROM ${IMAGE} AS build\nWORKDIR /app\nCOPY . .\nRUN ${CACHES} gradle build --no-daemon\n`,
    },
    {
      name: './gradlew: caches/ and the distribution it downloads',
      code: 'FROM eclipse-temurin:21-jdk\nCOPY . .\nRUN ./gradlew bootJar -x test\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { dirs: '/root/.gradle/caches (dependencies) and /root/.gradle/wrapper/dists (the distribution gradlew downloads)', flags: `${CACHES} ${DISTS}` } }],
      output: `FROM eclipse-temurin:21-jdk\nCOPY . .\nRUN ${CACHES} ${DISTS} ./gradlew bootJar -x test\n`,
    },
    {
      name: './gradlew --version only downloads the distribution',
      code: 'FROM eclipse-temurin:21-jdk\nRUN chmod +x gradlew && sh gradlew --version\n',
      errors: [{ messageId: 'mountMissing', line: 2, data: { dirs: '/root/.gradle/wrapper/dists (the distribution gradlew downloads)' } }],
      output: `FROM eclipse-temurin:21-jdk\nRUN ${DISTS} chmod +x gradlew && sh gradlew --version\n`,
    },
    {
      name: 'caches/ mounted for gradlew: the distribution is missing',
      code: `FROM eclipse-temurin:21-jdk\nRUN ${CACHES} ./gradlew build\n`,
      errors: [{ messageId: 'mountElsewhere', line: 2, data: { dirs: '/root/.gradle/wrapper/dists (the distribution gradlew downloads)' } }],
      output: `FROM eclipse-temurin:21-jdk\nRUN ${CACHES} ${DISTS} ./gradlew build\n`,
    },
    {
      name: 'GRADLE_USER_HOME on the call; -g wins over it',
      code: 'FROM eclipse-temurin:21-jdk\nRUN GRADLE_USER_HOME=/env gradle build && GRADLE_USER_HOME=/env gradle -g /flag test\n',
      errors: [{ messageId: 'mountMissing', line: 2, data: { dirs: '/env/caches (dependencies) and /flag/caches (dependencies)' } }],
      output: 'FROM eclipse-temurin:21-jdk\nRUN --mount=type=cache,target=/env/caches,sharing=locked --mount=type=cache,target=/flag/caches,sharing=locked GRADLE_USER_HOME=/env gradle build && GRADLE_USER_HOME=/env gradle -g /flag test\n',
    },
    {
      name: '-Dgradle.user.home in GRADLE_OPTS',
      code: 'FROM eclipse-temurin:21-jdk\nENV GRADLE_OPTS="-Dorg.gradle.daemon=false -Dgradle.user.home=/opt/gh"\nRUN gradle build\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { dirs: '/opt/gh/caches (dependencies)' } }],
      output: 'FROM eclipse-temurin:21-jdk\nENV GRADLE_OPTS="-Dorg.gradle.daemon=false -Dgradle.user.home=/opt/gh"\nRUN --mount=type=cache,target=/opt/gh/caches,sharing=locked gradle build\n',
    },
    {
      name: 'HOME does not move it: the JVM reads the home from the user entry',
      code: 'FROM eclipse-temurin:21-jdk\nENV HOME=/app\nRUN gradle build\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { dirs: '/root/.gradle/caches (dependencies)' } }],
      output: `FROM eclipse-temurin:21-jdk\nENV HOME=/app\nRUN ${CACHES} gradle build\n`,
    },
    {
      name: 'a non-root user dockopt knows: reported, not fixed by itself (BuildKit would create ~/.gradle owned by root, where Gradle also writes)',
      code: 'FROM eclipse-temurin:21-jdk\nRUN groupadd -g 1001 app && useradd -u 1001 -g app -m app\nUSER app\nRUN ./gradlew build\n',
      errors: [{ messageId: 'mountMissing', line: 4 }],
      output: null,
    },
    {
      name: "the gradle image's own gradle user (uid 1000 or 101 by variant): reported, no fix",
      code: `FROM ${IMAGE}\nUSER gradle\nRUN gradle build\n`,
      errors: [{ messageId: 'cacheDirUnresolved', line: 3 }],
      output: null,
    },
    {
      name: 'the gradle images of 2018 ran as the gradle user: reported, no fix',
      code: 'FROM gradle:4.10-jdk8\nRUN gradle build\n',
      errors: [{ messageId: 'cacheDirUnresolved', line: 2 }],
      output: null,
    },
    {
      name: 'a floating tag is a current image (root); 5.4 and older tags, or a digest alone, are not known',
      code: 'FROM gradle:jdk21-alpine\nRUN gradle build\nFROM gradle:5.4.1-jdk11\nRUN gradle build\nFROM gradle@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nRUN gradle build\n',
      errors: [{ messageId: 'mountMissing', line: 2 }, { messageId: 'cacheDirUnresolved', line: 4 }, { messageId: 'cacheDirUnresolved', line: 6 }],
      output: `FROM gradle:jdk21-alpine\nRUN ${CACHES} gradle build\nFROM gradle:5.4.1-jdk11\nRUN gradle build\nFROM gradle@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nRUN gradle build\n`,
    },
    {
      name: 'a later gradle --offline RUN reads what this one leaves in the image: no fix by itself',
      code: `FROM ${IMAGE}\nCOPY build.gradle settings.gradle ./\nRUN gradle dependencies\nCOPY src src\nRUN gradle build --offline\n`,
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: null,
    },
    {
      name: 'the image runs gradle itself: no fix by itself',
      code: `FROM ${IMAGE}\nRUN gradle assemble\nCMD ["gradle", "bootRun"]\n`,
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: null,
    },
    {
      name: 'exec form',
      code: 'FROM eclipse-temurin:21-jdk\nRUN ["./gradlew", "build"]\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM eclipse-temurin:21-jdk\nRUN ${CACHES} ${DISTS} ["./gradlew", "build"]\n`,
    },
    {
      name: 'continuation lines and a caches wipe',
      code: `FROM ${IMAGE}\nRUN gradle build \\\n      --no-daemon \\\n && rm -rf /root/.gradle/caches/\n`,
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM ${IMAGE}\nRUN ${CACHES} gradle build \\\n      --no-daemon\n`,
    },
  ],
});

runRuleTests(cacheDisabled, {
  valid: [
    { name: 'no mount (cache-mount reports it)', code: `FROM ${IMAGE}\nRUN gradle build && rm -rf ~/.gradle/caches\n` },
    { name: '--no-build-cache is not about downloads', code: `FROM ${IMAGE}\nRUN ${CACHES} gradle build --no-build-cache\n` },
    { name: 'gradle clean removes build/, not the caches', code: `FROM ${IMAGE}\nRUN ${CACHES} gradle clean build\n` },
  ],
  invalid: [
    {
      name: 'rm -rf of the mounted caches fails the build',
      code: `FROM ${IMAGE}\nRUN ${CACHES} gradle build && rm -rf ~/.gradle/caches\n`,
      errors: [{ messageId: 'mountPointRemoved', line: 2, data: { wipes: '`rm -rf ~/.gradle/caches`', target: '/root/.gradle/caches' } }],
      output: `FROM ${IMAGE}\nRUN ${CACHES} gradle build\n`,
    },
    {
      name: 'rm -rf of what is inside empties it',
      code: `FROM ${IMAGE}\nRUN ${CACHES} gradle build && rm -rf /root/.gradle/caches/modules-2\n`,
      errors: [{ messageId: 'mountWiped', line: 2 }],
      output: `FROM ${IMAGE}\nRUN ${CACHES} gradle build\n`,
    },
  ],
});
