/**
 * A diagnostic's rule link opens the page rendered (the Markdown preview), not as a raw file:
 * the link is rewritten to dockopt's command, which opens only pages of the shipped docs folder.
 * (Fake API; that VS Code follows the command link from the hover and the Problems view is for
 * the real-editor suite of the editor-tests issue.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ruleDocsCommandLink, showRuleDocs, SHOW_RULE_DOCS_COMMAND, withRenderedDocsLinks } from '../../client/src/rule-docs';
import { FakeUri, fakeVscode } from './fake-vscode';

const DOCS = '/ext/docs/rules';
const page = FakeUri.file(`${DOCS}/pip-cache-mount.md`);

test("the shipped rule page's link becomes the command link; other links are left alone", () => {
  const link = ruleDocsCommandLink(page, DOCS)!;
  assert.equal(link, `command:${SHOW_RULE_DOCS_COMMAND}?${encodeURIComponent(JSON.stringify(['file:///ext/docs/rules/pip-cache-mount.md']))}`);
  assert.equal(ruleDocsCommandLink(FakeUri.file('/elsewhere/x.md'), DOCS), undefined);
  assert.equal(ruleDocsCommandLink(FakeUri.parse('https://github.com/dockopt/dockopt/blob/main/docs/rules/x.md'), DOCS), undefined);
  const { api } = fakeVscode({ folders: [] });
  const [rewritten, kept] = withRenderedDocsLinks(api, [{ code: { value: 'pip-cache-mount', target: page as any } }, { code: 'plain' }], DOCS);
  assert.equal((rewritten.code as any).value, 'pip-cache-mount');
  assert.equal((rewritten.code as any).target.scheme, 'command');
  assert.deepEqual(kept, { code: 'plain' });
});

test('the command opens the page in the Markdown preview, and nothing outside the docs folder', async () => {
  const previewed: string[] = [];
  const { api, state } = fakeVscode({ folders: [], commands: { 'markdown.showPreview': (uri) => void previewed.push(String(uri)) } });
  assert.equal(await showRuleDocs(api, DOCS, page.toString()), true);
  assert.deepEqual(previewed, ['file:///ext/docs/rules/pip-cache-mount.md']);
  assert.equal(await showRuleDocs(api, DOCS, 'file:///etc/passwd'), false);
  assert.equal(await showRuleDocs(api, DOCS, 'file:///ext/docs/rules/../../secret.md'), false);
  assert.equal(state.executed.length, 1);
});
