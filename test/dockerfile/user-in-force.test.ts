/** The one user resolver: root, a user the file or the image creates, and unknown as a value. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDockerfile } from '../../server/src/dockerfile/model';
import { resolveSudoUser, resolveUser } from '../../server/src/dockerfile/user-in-force';

function userAtLast(text: string) {
  const model = parseDockerfile(text);
  const last = model.instructions[model.instructions.length - 1];
  return resolveUser({ knownUsers: model.knownUsers, image: last.stage?.image }, last.user);
}

describe('resolveUser', () => {
  test('an official image without USER runs as root', () => {
    assert.deepEqual(userAtLast('FROM python:3.12\nRUN true\n'), { label: 'root', root: true, home: '/root' });
  });

  test("an image dockopt has no facts about: unknown, never root, no home", () => {
    const user = userAtLast('FROM example.com/team/app:1\nRUN true\n');
    assert.equal(user.root, false);
    assert.equal(user.unknown, true);
    assert.equal(user.home, undefined);
    assert.equal(user.uid, undefined);
  });

  test('a user the file creates, by name and by uid', () => {
    const text = 'FROM debian\nRUN groupadd -g 1001 app && useradd -u 1001 -g app -d /srv/app app\nUSER app\nRUN true\n';
    assert.deepEqual(userAtLast(text), { label: 'app', root: false, home: '/srv/app', uid: 1001, gid: 1001 });
    const byUid = userAtLast(text.replace('USER app', 'USER 1001'));
    assert.equal(byUid.home, '/srv/app');
  });

  test("the image's own user (node), and a uid with no passwd entry on a known image", () => {
    assert.equal(userAtLast('FROM node:20\nUSER node\nRUN true\n').home, '/home/node');
    assert.equal(userAtLast('FROM debian\nUSER 4242\nRUN true\n').home, '/');
  });

  test('a user named only at build time stays unknown', () => {
    const user = userAtLast('FROM debian\nARG U\nUSER $U\nRUN true\n');
    assert.equal(user.root, false);
    assert.equal(user.home, undefined);
    assert.equal(user.uid, undefined);
  });

  test('sudo -u', () => {
    const facts = { knownUsers: new Map(), image: 'debian' };
    assert.equal(resolveSudoUser(facts, 'root').root, true);
    assert.equal(resolveSudoUser(facts, '#0').root, true);
    assert.deepEqual(resolveSudoUser(facts, '#1000'), { label: '1000', root: false, home: '/', uid: 1000, gid: undefined });
  });
});
