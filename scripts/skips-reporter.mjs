// A node:test reporter that writes each skipped test or suite (name, file, reason) as one JSON
// line. `npm test` (scripts/test.mjs) runs it beside the usual reporter and prints the skips at
// the end: node's own summary counts skipped tests but not skipped suites ("skipped 0" while a
// whole BuildKit suite did not run), and the reasons are lost in the log.
export default async function* skipsReporter(source) {
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.skip !== undefined && event.data.skip !== false) {
      const { name, file, nesting, skip, details } = event.data;
      yield `${JSON.stringify({ name, file: file ?? null, nesting, reason: typeof skip === 'string' ? skip : '', suite: details?.type === 'suite' })}\n`;
    }
  }
}
