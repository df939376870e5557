import { check, fixOnce } from './test/helpers/rule-tester';
import { rule } from './server/src/rules/copy-before-install';
for (const src of ['requirement?.txt', 'requirements[_.]txt']) {
  const code = `FROM python:3.12\nWORKDIR /app\nCOPY ${src} ./\nCOPY . .\nRUN pip install -r requirements.txt\n`;
  const f = check(rule, code);
  console.log(src, JSON.stringify(f.map((x: any) => [x.message, x.fixes?.map((y: any) => y.title)])));
}
