/** Go through cache-mount and cache-disabled: fires, does not fire, and the exact text after each fix. */
import { rule as cacheMount } from '../../server/src/rules/cache-mount';
import { rule as cacheDisabled } from '../../server/src/rules/cache-disabled';
import { runRuleTests } from '../helpers/rule-tester';

const MOD = '--mount=type=cache,target=/go/pkg/mod';
const BUILD = '--mount=type=cache,target=/root/.cache/go-build';
const BOTH = `${MOD} ${BUILD}`;

runRuleTests(cacheMount, {
  valid: [
    { name: 'Go before 1.10 has no cache to mount', code: 'FROM golang:1.8\nWORKDIR /go/src/example.com/app\nCOPY . .\nRUN go get -d ./... && go build -o /app .\n' },
    { name: 'go mod download with the module cache mounted', code: `FROM golang:1.22\nRUN ${MOD} go mod download\n` },
    { name: 'go build with both caches mounted', code: `FROM golang:1.22\nRUN ${BOTH} go build -o /app .\n` },
    { name: 'a parent of both mounted', code: 'FROM golang:1.22\nENV GOCACHE=/go/cache\nRUN --mount=type=cache,target=/go go build .\n' },
    { name: 'id= mounts with other sharing', code: `FROM golang:1.22\nRUN --mount=type=cache,id=gomod,target=/go/pkg/mod,sharing=private --mount=type=cache,id=gobuild,target=/root/.cache/go-build go test ./...\n` },
    { name: 'GOMODCACHE and GOCACHE from ENV, mounted there', code: 'FROM golang:1.22\nENV GOMODCACHE=/cache/mod GOCACHE=/cache/build\nRUN --mount=type=cache,target=/cache/mod --mount=type=cache,target=/cache/build go build .\n' },
    { name: 'GOPATH from ENV outside the golang image', code: 'FROM debian:12\nENV GOPATH=/opt/go:/other\nRUN --mount=type=cache,target=/opt/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build .\n' },
    { name: 'go env -w in an earlier RUN moves the module cache', code: 'FROM golang:1.22\nRUN go env -w GOMODCACHE=/mods\nRUN --mount=type=cache,target=/mods go mod download\n' },
    { name: 'go env -w earlier in the same RUN', code: 'FROM golang:1.22\nRUN --mount=type=cache,target=/mods go env -w GOMODCACHE=/mods && go mod download\n' },
    { name: 'go commands that download nothing', code: 'FROM golang:1.22\nRUN go version && go env && go fmt ./... && go mod init example.com/x && go clean\n' },
    { name: '-mod=vendor builds from vendor/: only the build cache', code: `FROM golang:1.22\nRUN ${BUILD} go build -mod=vendor -o /app .\n` },
    { name: 'GOFLAGS=-mod=vendor from ENV', code: `FROM golang:1.22\nENV GOFLAGS=-mod=vendor\nRUN ${BUILD} go build -o /app .\n` },
    { name: 'GOPROXY=off downloads nothing', code: `FROM golang:1.22\nRUN ${BUILD} GOPROXY=off go build .\n` },
    { name: 'GOCACHE=off fails the build anyway: no build cache to mount', code: `FROM golang:1.22\nRUN ${MOD} GOCACHE=off go build .\n` },
    { name: 'the word go elsewhere', code: 'FROM golang:1.22\nRUN echo go build && ./go.sh\n' },
    { name: 'a non-root user with mounts it owns', code: 'FROM golang:1.22\nRUN useradd -u 1001 -m app\nUSER app\nRUN --mount=type=cache,target=/go/pkg/mod,uid=1001 --mount=type=cache,target=/home/app/.cache/go-build,uid=1001 go build .\n' },
  ],
  invalid: [
    {
      name: 'GO111MODULE=off: GOPATH mode, only the build cache',
      code: 'FROM golang:1.22\nCOPY main.go .\nRUN GO111MODULE=off go build -o /app main.go\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { dirs: '/root/.cache/go-build (compiled packages)', what: 'compiles every package' } }],
      output: 'FROM golang:1.22\nCOPY main.go .\nRUN --mount=type=cache,target=/root/.cache/go-build GO111MODULE=off go build -o /app main.go\n',
    },
    {
      name: 'Go 1.10: a build cache, no module cache yet',
      code: 'FROM golang:1.10-alpine\nRUN go build -o /app .\n',
      errors: [{ messageId: 'mountMissing', line: 2, data: { dirs: '/root/.cache/go-build (compiled packages)' } }],
      output: 'FROM golang:1.10-alpine\nRUN --mount=type=cache,target=/root/.cache/go-build go build -o /app .\n',
    },
    {
      name: 'Go 1.14 without GO111MODULE=on: modules only with a go.mod, so no fix by itself',
      code: 'FROM golang:1.14\nCOPY . .\nRUN go build -o /app .\n',
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: null,
    },
    {
      name: 'Go 1.14 with go mod download: modules for sure',
      code: 'FROM golang:1.14\nCOPY go.mod go.sum ./\nRUN go mod download\n',
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: 'FROM golang:1.14\nCOPY go.mod go.sum ./\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\n',
    },
    {
      name: 'go mod download: the module cache only',
      code: 'FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\n',
      errors: [{ messageId: 'mountMissing', line: 4, column: 5, endColumn: 20, data: { manager: 'Go', dirs: '/go/pkg/mod (downloaded modules)', flags: MOD } }],
      output: `FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN ${MOD} go mod download\n`,
    },
    {
      name: 'go build: both caches, with its variables kept',
      code: 'FROM golang:1.22\nRUN CGO_ENABLED=0 GOOS=linux go build -trimpath -o /app ./cmd/app\n',
      errors: [{ messageId: 'mountMissing', line: 2, data: { dirs: '/go/pkg/mod (downloaded modules) and /root/.cache/go-build (compiled packages)', flags: `${MOD} ${BUILD}` } }],
      output: `FROM golang:1.22\nRUN ${BOTH} CGO_ENABLED=0 GOOS=linux go build -trimpath -o /app ./cmd/app\n`,
    },
    {
      name: 'only the module cache mounted for a build: the build cache is missing',
      code: `FROM golang:1.22\nRUN ${MOD} go build -o /app .\n`,
      errors: [{ messageId: 'mountElsewhere', line: 2, data: { dirs: '/root/.cache/go-build (compiled packages)', targets: '/go/pkg/mod', flags: BUILD } }],
      output: `FROM golang:1.22\nRUN ${MOD} ${BUILD} go build -o /app .\n`,
    },
    {
      name: 'go install, go test, go vet, go run, go get, go mod tidy all count',
      code: 'FROM golang:1.22\nRUN go get example.com/x@v1 && go mod tidy && go vet ./... && go test ./... && go run ./gen && go install example.com/tool@latest\n',
      errors: [{ messageId: 'mountMissing', line: 2, endColumn: 11 }],
      output: `FROM golang:1.22\nRUN ${BOTH} go get example.com/x@v1 && go mod tidy && go vet ./... && go test ./... && go run ./gen && go install example.com/tool@latest\n`,
    },
    {
      name: 'outside the golang image: ~/go/pkg/mod',
      code: 'FROM debian:12\nRUN /usr/local/go/bin/go build .\n',
      errors: [{ messageId: 'mountMissing', line: 2, data: { dirs: '/root/go/pkg/mod (downloaded modules) and /root/.cache/go-build (compiled packages)' } }],
      output: 'FROM debian:12\nRUN --mount=type=cache,target=/root/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build /usr/local/go/bin/go build .\n',
    },
    {
      name: 'GOMODCACHE and GOCACHE on the call',
      code: 'FROM golang:1.22\nRUN GOMODCACHE=/c/mod GOCACHE=/c/build go build .\n',
      errors: [{ messageId: 'mountMissing', line: 2, data: { dirs: '/c/mod (downloaded modules) and /c/build (compiled packages)' } }],
      output: 'FROM golang:1.22\nRUN --mount=type=cache,target=/c/mod --mount=type=cache,target=/c/build GOMODCACHE=/c/mod GOCACHE=/c/build go build .\n',
    },
    {
      name: 'XDG_CACHE_HOME moves the build cache',
      code: 'FROM golang:1.22\nENV XDG_CACHE_HOME=/xdg\nRUN go build .\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { dirs: '/go/pkg/mod (downloaded modules) and /xdg/go-build (compiled packages)' } }],
      output: `FROM golang:1.22\nENV XDG_CACHE_HOME=/xdg\nRUN ${MOD} --mount=type=cache,target=/xdg/go-build go build .\n`,
    },
    {
      name: 'go env -w of the same user in an earlier RUN; the ENV GOPATH of the image does not hide the written GOMODCACHE',
      code: 'FROM golang:1.22\nRUN go env -w GOMODCACHE=/mods GOCACHE=/builds\nRUN go build .\n',
      errors: [{ messageId: 'mountMissing', line: 3, data: { dirs: '/mods (downloaded modules) and /builds (compiled packages)' } }],
      output: 'FROM golang:1.22\nRUN go env -w GOMODCACHE=/mods GOCACHE=/builds\nRUN --mount=type=cache,target=/mods --mount=type=cache,target=/builds go build .\n',
    },
    {
      name: 'an environment variable wins over go env -w; go env -u clears it',
      code: 'FROM golang:1.22\nRUN go env -w GOCACHE=/builds GOMODCACHE=/mods\nENV GOCACHE=/env-build\nRUN go env -u GOMODCACHE && go build .\n',
      errors: [{ messageId: 'mountMissing', line: 4, data: { dirs: '/go/pkg/mod (downloaded modules) and /env-build (compiled packages)' } }],
      output: `FROM golang:1.22\nRUN go env -w GOCACHE=/builds GOMODCACHE=/mods\nENV GOCACHE=/env-build\nRUN ${MOD} --mount=type=cache,target=/env-build go env -u GOMODCACHE && go build .\n`,
    },
    {
      name: "go env -w of another user's RUN does not count",
      code: 'FROM golang:1.22\nRUN useradd -u 1001 -m app\nUSER app\nRUN go env -w GOMODCACHE=/home/app/mods\nUSER root\nRUN go mod download\n',
      errors: [{ messageId: 'mountMissing', line: 6, data: { dirs: '/go/pkg/mod (downloaded modules)' } }],
      output: `FROM golang:1.22\nRUN useradd -u 1001 -m app\nUSER app\nRUN go env -w GOMODCACHE=/home/app/mods\nUSER root\nRUN ${MOD} go mod download\n`,
    },
    {
      name: 'go env -w with a value dockopt cannot read: reported, no fix',
      code: 'FROM golang:1.22\nRUN go env -w GOMODCACHE=$CACHE_ROOT/mod\nRUN go mod download\n',
      errors: [{ messageId: 'cacheDirUnresolved', line: 3, data: { via: '`go env -w`', unresolved: '$CACHE_ROOT/mod' } }],
      output: null,
    },
    {
      name: 'a non-root user dockopt knows: uid and gid on both mounts, its home for the build cache',
      code: 'FROM golang:1.22\nRUN groupadd -g 1001 app && useradd -u 1001 -g app -m app\nUSER app\nRUN go build .\n',
      errors: [{ messageId: 'mountMissing', line: 4, data: { dirs: '/go/pkg/mod (downloaded modules) (as app) and /home/app/.cache/go-build (compiled packages) (as app)' } }],
      output: 'FROM golang:1.22\nRUN groupadd -g 1001 app && useradd -u 1001 -g app -m app\nUSER app\nRUN --mount=type=cache,target=/go/pkg/mod,uid=1001,gid=1001 --mount=type=cache,target=/home/app/.cache/go-build,uid=1001,gid=1001 go build .\n',
    },
    {
      name: "the base image's own user: reported, not fixed by itself",
      code: 'FROM ghcr.io/example/go-builder:1\nUSER builder\nENV GOPATH=/go\nRUN go mod download\n',
      errors: [{ messageId: 'mountMissing', line: 4 }],
      output: null,
    },
    {
      name: 'exec form',
      code: 'FROM golang:1.22\nRUN ["go", "mod", "download"]\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM golang:1.22\nRUN ${MOD} ["go", "mod", "download"]\n`,
    },
    {
      name: 'continuation lines are kept',
      code: 'FROM golang:1.22\nRUN go build \\\n      -ldflags="-s -w" \\\n      -o /app .\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM golang:1.22\nRUN ${BOTH} go build \\\n      -ldflags="-s -w" \\\n      -o /app .\n`,
    },
    {
      name: 'go clean -modcache after the build goes with the fix',
      code: 'FROM golang:1.22\nRUN go build -o /app . && go clean -modcache -cache\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: `FROM golang:1.22\nRUN ${BOTH} go build -o /app .\n`,
    },
    {
      name: 'the image runs go itself: the downloads must stay in it, so no fix by itself',
      code: 'FROM golang:1.22\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nCMD ["go", "run", "."]\n',
      errors: [{ messageId: 'mountMissing', line: 3 }],
      output: null,
    },
    {
      name: 'a later stage copies the module cache out of this one: no fix by itself',
      code: 'FROM golang:1.22 AS deps\nRUN go mod download\nFROM golang:1.22\nCOPY --from=deps /go/pkg/mod /go/pkg/mod\n',
      errors: [{ messageId: 'mountMissing', line: 2 }],
      output: null,
    },
  ],
});

runRuleTests(cacheDisabled, {
  valid: [
    { name: 'no mount (cache-mount reports it)', code: 'FROM golang:1.22\nRUN go build . && go clean -cache\n' },
    { name: 'go clean -testcache only expires test results', code: `FROM golang:1.22\nRUN ${BOTH} go test ./... && go clean -testcache\n` },
    { name: 'go clean -n only prints', code: `FROM golang:1.22\nRUN ${BOTH} go build . && go clean -n -cache\n` },
  ],
  invalid: [
    {
      name: 'go clean -modcache empties the mounted module cache',
      code: `FROM golang:1.22\nRUN ${MOD} go mod download && go clean -modcache\n`,
      errors: [{ messageId: 'mountWiped', line: 2, data: { wipes: '`go clean -modcache`', target: '/go/pkg/mod' } }],
      output: `FROM golang:1.22\nRUN ${MOD} go mod download\n`,
    },
    {
      name: 'rm -rf of the mount point fails the build',
      code: `FROM golang:1.22\nRUN ${BOTH} go build -o /app . && rm -rf /root/.cache/go-build\n`,
      errors: [{ messageId: 'mountPointRemoved', line: 2 }],
      output: `FROM golang:1.22\nRUN ${BOTH} go build -o /app .\n`,
    },
  ],
});
