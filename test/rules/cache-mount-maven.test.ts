/** Maven through cache-mount and cache-disabled: fires, does not fire, and the exact text after each fix. */
import { rule as cacheMount } from '../../server/src/rules/cache-mount';
import { rule as cacheDisabled } from '../../server/src/rules/cache-disabled';
import { runRuleTests } from '../helpers/rule-tester';

const MOUNT = '--mount=type=cache,target=/root/.m2/repository,sharing=locked';
const IMAGE = 'maven:3.9-eclipse-temurin-21';

runRuleTests(cacheMount, {
  valid: [
    { name: 'mounted', code: `FROM ${IMAGE}\nRUN ${MOUNT} mvn -B package\n` },
    { name: "a mount on ~/.m2 (Docker's Java guide) covers the repository", code: `FROM ${IMAGE}\nRUN --mount=type=cache,target=/root/.m2 ./mvnw dependency:go-offline -DskipTests\n` },
    { name: 'an id= mount with other sharing', code: `FROM ${IMAGE}\nRUN --mount=type=cache,id=m2,target=/root/.m2/repository,sharing=private mvn verify\n` },
    { name: '-Dmaven.repo.local mounted', code: `FROM ${IMAGE}\nRUN --mount=type=cache,target=/m2 mvn -Dmaven.repo.local=/m2 package\n` },
    { name: '-Dmaven.repo.local in MAVEN_OPTS, mounted', code: `FROM ${IMAGE}\nENV MAVEN_OPTS="-Xmx1g -Dmaven.repo.local=/var/m2"\nRUN --mount=type=cache,target=/var/m2 mvn package\n` },
    { name: 'offline calls download nothing', code: `FROM ${IMAGE}\nRUN mvn -o package && mvn --offline verify\n` },
    { name: 'no goal: nothing downloaded', code: `FROM ${IMAGE}\nRUN mvn -v && mvn --help\n` },
    { name: 'the word mvn elsewhere', code: `FROM ${IMAGE}\nRUN echo mvn package && ls mvnw\n` },
    { name: 'a non-root user with a mount it owns', code: `FROM ${IMAGE}\nRUN useradd -u 1001 -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.m2/repository,uid=1001 mvn package\n` },
  ],
  invalid: [
    {
      name: 'mvn package in the maven image: ~/.m2/repository, locked',
      code: `FROM ${IMAGE} AS build\nWORKDIR /app\nCOPY pom.xml .\nCOPY src src\nRUN mvn -B package -DskipTests\n`,
      errors: [{ messageId: 'mountMissing', line: 5, column: 5, endColumn: 19, data: { manager: 'Maven', dirs: '/root/.m2/repository', flags: MOUNT } }],
      output: `FROM ${IMAGE} AS build\nWORKDIR /app\nCOPY pom.xml .\nCOPY src src\nRUN ${MOUNT} mvn -B package -DskipTests\n`,
    },
    {
      name: './mvnw, and sh mvnw',
      code: 'FROM eclipse-temurin:21-jdk\nRUN ./mvnw -q dependency:go-offline && sh mvnw package\n',
      errors: [{ messageId: 'mountMissing', line: 2, endColumn: 36 }],
      output: `FROM eclipse-temurin:21-jdk\nRUN ${MOUNT} ./mvnw -q dependency:go-offline && sh mvnw package\n`,
    },
    {
      name: 'HOME does not move it: the JVM reads the home from the user entry',
      code: `FROM ${IMAGE}\nENV HOME=/app\nRUN mvn package\n`,
      errors: [{ messageId: 'mountMissing', line: 3, data: { dirs: '/root/.m2/repository' } }],
      output: `FROM ${IMAGE}\nENV HOME=/app\nRUN ${MOUNT} mvn package\n`,
    },
    {
      name: '-Duser.home on the call (the maven image docs for non-root users)',
      code: `FROM ${IMAGE}\nRUN mvn -Duser.home=/var/maven package\n`,
      errors: [{ messageId: 'mountMissing', line: 2, data: { dirs: '/var/maven/.m2/repository' } }],
      output: `FROM ${IMAGE}\nRUN --mount=type=cache,target=/var/maven/.m2/repository,sharing=locked mvn -Duser.home=/var/maven package\n`,
    },
    {
      name: '-Dmaven.repo.local in MAVEN_ARGS wins over MAVEN_OPTS',
      code: `FROM ${IMAGE}\nENV MAVEN_OPTS=-Dmaven.repo.local=/opts MAVEN_ARGS="-B -Dmaven.repo.local=/args"\nRUN mvn package\n`,
      errors: [{ messageId: 'mountMissing', line: 3, data: { dirs: '/args' } }],
      output: `FROM ${IMAGE}\nENV MAVEN_OPTS=-Dmaven.repo.local=/opts MAVEN_ARGS="-B -Dmaven.repo.local=/args"\nRUN --mount=type=cache,target=/args,sharing=locked mvn package\n`,
    },
    {
      name: '-D maven.repo.local as two words',
      code: `FROM ${IMAGE}\nRUN mvn -D maven.repo.local=/r install\n`,
      errors: [{ messageId: 'mountMissing', line: 2, data: { dirs: '/r' } }],
      output: `FROM ${IMAGE}\nRUN --mount=type=cache,target=/r,sharing=locked mvn -D maven.repo.local=/r install\n`,
    },
    {
      name: 'a non-root user dockopt knows: its home, uid and gid',
      code: `FROM ${IMAGE}\nRUN groupadd -g 1001 app && useradd -u 1001 -g app -m app\nUSER app\nRUN mvn package\n`,
      errors: [{ messageId: 'mountMissing', line: 4, data: { dirs: '/home/app/.m2/repository (as app)' } }],
      output: `FROM ${IMAGE}\nRUN groupadd -g 1001 app && useradd -u 1001 -g app -m app\nUSER app\nRUN --mount=type=cache,target=/home/app/.m2/repository,sharing=locked,uid=1001,gid=1001 mvn package\n`,
    },
    {
      name: "the base image's own user: reported, no fix",
      code: 'FROM ghcr.io/example/java-builder:1\nUSER builder\nRUN mvn package\n',
      errors: [{ messageId: 'cacheDirUnresolved', line: 3 }],
      output: null,
    },
    {
      name: 'a settings.xml copied into ~/.m2 may move the repository: no fix by itself',
      code: `FROM ${IMAGE}\nCOPY settings.xml /root/.m2/settings.xml\nRUN mvn package\n`,
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: null,
    },
    {
      name: 'a settings file given with -s: no fix by itself',
      code: `FROM ${IMAGE}\nRUN mvn -s /usr/share/maven/ref/settings-docker.xml package\n`,
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: null,
    },
    {
      name: 'dependency:go-offline for a later mvn -o: no fix by itself',
      code: `FROM ${IMAGE}\nCOPY pom.xml .\nRUN mvn dependency:go-offline\nCOPY src src\nRUN mvn -o package\n`,
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: null,
    },
    {
      name: 'a later stage copies ~/.m2 out of this one: no fix by itself',
      code: `FROM ${IMAGE} AS deps\nRUN mvn dependency:go-offline\nFROM ${IMAGE}\nCOPY --from=deps /root/.m2 /root/.m2\nRUN mvn -o package\n`,
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: null,
    },
    {
      name: 'exec form',
      code: `FROM ${IMAGE}\nRUN ["mvn", "-B", "package"]\n`,
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM ${IMAGE}\nRUN ${MOUNT} ["mvn", "-B", "package"]\n`,
    },
    {
      name: 'continuation lines and a repository wipe',
      code: `FROM ${IMAGE}\nRUN mvn -B package \\\n      -DskipTests \\\n && rm -rf /root/.m2/repository\n`,
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM ${IMAGE}\nRUN ${MOUNT} mvn -B package \\\n      -DskipTests\n`,
    },
  ],
});

runRuleTests(cacheDisabled, {
  valid: [
    { name: 'no mount (cache-mount reports it)', code: `FROM ${IMAGE}\nRUN mvn package && mvn dependency:purge-local-repository\n` },
    { name: 'a wipe of files in ~/.m2 outside the repository', code: `FROM ${IMAGE}\nRUN ${MOUNT} mvn package && rm -f /root/.m2/settings-security.xml\n` },
  ],
  invalid: [
    {
      name: 'dependency:purge-local-repository empties the mount (and downloads again)',
      code: `FROM ${IMAGE}\nRUN ${MOUNT} mvn -B package && mvn dependency:purge-local-repository\n`,
      errors: [{ messageId: 'mountWiped', line: 2, data: { wipes: '`mvn dependency:purge-local-repository`', target: '/root/.m2/repository' } }],
      output: `FROM ${IMAGE}\nRUN ${MOUNT} mvn -B package\n`,
    },
    {
      name: 'rm -rf ~/.m2 removes the mount point',
      code: `FROM ${IMAGE}\nRUN ${MOUNT} mvn -B package; rm -rf ~/.m2\n`,
      errors: [{ messageId: 'mountPointRemoved', line: 2 }],
      output: `FROM ${IMAGE}\nRUN ${MOUNT} mvn -B package\n`,
    },
  ],
});
