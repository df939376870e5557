/** Image references (dockerfile/image-references.ts) and the official Python image's tags (python/official-image-tags.ts). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizedRepository, parseImageReference } from '../../server/src/dockerfile/image-references';
import { isOfficialPythonImage, parsePythonTag, planVariant } from '../../server/src/python/official-image-tags';
import { findRelease } from '../../server/src/python/releases';

describe('image references', () => {
  test('name, tag and digest, with where the tag and digest start', () => {
    assert.deepEqual(parseImageReference('python:3.12-slim'), { name: 'python', tag: '3.12-slim', tagStart: 7, digestAt: undefined });
    assert.deepEqual(parseImageReference('python:3.9@sha256:abc'), { name: 'python', tag: '3.9', tagStart: 7, digestAt: 10 });
    assert.deepEqual(parseImageReference('python'), { name: 'python', tag: undefined, tagStart: 0, digestAt: undefined });
  });

  test('a registry port is not a tag', () => {
    const untagged = parseImageReference('localhost:5000/python');
    assert.equal(untagged?.name, 'localhost:5000/python');
    assert.equal(untagged?.tag, undefined);
    assert.deepEqual(parseImageReference('localhost:5000/python:3.9'), { name: 'localhost:5000/python', tag: '3.9', tagStart: 22, digestAt: undefined });
  });

  test('an empty reference, or one with blanks, is none', () => {
    assert.equal(parseImageReference(''), undefined);
    assert.equal(parseImageReference('python 3.9'), undefined);
  });

  test("Docker's normalisation: Docker Hub and its library namespace are implied", () => {
    assert.equal(normalizedRepository('python'), 'docker.io/library/python');
    assert.equal(normalizedRepository('docker.io/python'), 'docker.io/library/python');
    assert.equal(normalizedRepository('INDEX.docker.io/library/python'), 'docker.io/library/python');
    assert.equal(normalizedRepository('bitnami/python'), 'docker.io/bitnami/python');
    assert.equal(normalizedRepository('localhost/python'), 'localhost/python');
    assert.equal(normalizedRepository('ghcr.io/org/python'), 'ghcr.io/org/python');
  });

  test('the official Python image, however it is spelled, and nothing else', () => {
    for (const name of ['python', 'docker.io/python', 'docker.io/library/python', 'index.docker.io/library/python']) assert.ok(isOfficialPythonImage(name), name);
    for (const name of ['pypy', 'bitnami/python', 'ghcr.io/library/python', 'localhost:5000/python']) assert.ok(!isOfficialPythonImage(name), name);
  });
});

describe('python tags', () => {
  test('the version and the variant', () => {
    assert.deepEqual(parsePythonTag('3.11.9-slim-bookworm'), { major: 3, minor: 11, versionText: '3.11.9', variant: '-slim-bookworm' });
    assert.deepEqual(parsePythonTag('3-alpine'), { major: 3, minor: undefined, versionText: '3', variant: '-alpine' });
    assert.deepEqual(parsePythonTag('3.13.0rc1'), { major: 3, minor: 13, versionText: '3.13.0rc1', variant: '' });
    assert.deepEqual(parsePythonTag('3.12-rc-slim'), { major: 3, minor: 12, versionText: '3.12-rc', variant: '-slim' });
  });

  test('a tag without a version is none', () => {
    for (const tag of ['latest', 'slim', 'alpine', 'bookworm', '3.x']) assert.equal(parsePythonTag(tag), undefined, tag);
  });

  test('a variant is kept, swapped for the floating one of its OS family, or unknown', () => {
    const target = findRelease(3, 12)!;
    assert.deepEqual(planVariant('-slim', target), { kind: 'keep' });
    assert.deepEqual(planVariant('-slim-bookworm', target), { kind: 'keep' });
    assert.deepEqual(planVariant('-slim-buster', target), { kind: 'swap', to: '-slim', os: 'Debian buster' });
    assert.deepEqual(planVariant('-stretch', target), { kind: 'swap', to: '', os: 'Debian stretch' });
    assert.deepEqual(planVariant('-alpine3.12', target), { kind: 'swap', to: '-alpine', os: 'Alpine 3.12' });
    assert.deepEqual(planVariant('-windowsservercore-1809', target), { kind: 'keep' });
    assert.deepEqual(planVariant('-windowsservercore-ltsc2016', target), { kind: 'swap', to: '-windowsservercore', os: 'Windows Server Core ltsc2016' });
    assert.deepEqual(planVariant('-gpu', target), { kind: 'unknown' });
  });
});
