import { rule as r1 } from './server/src/rules/pip-cache-mount';
import { rule as r2 } from './server/src/rules/pip-no-cache-dir';
import { rule as r3 } from './server/src/rules/npm-cache-mount';
import { fixOnce } from './test/helpers/rule-tester';
import { parseDockerfile, readEnv } from './server/src/dockerfile/model';
import { parseRunScript } from './server/src/dockerfile/shell';
const seeds = [
 'FROM python:3.12\nRUN pip install --no-cache-dir -r r.txt \\\n    --no-cache-dir\nCOPY . .\n',
 'FROM python:3.12\nENV PIP_NO_CACHE_DIR=1 A=2\nRUN --mount=type=cache,target=/root/.cache/pip PIP_NO_CACHE_DIR=1 pip install --no-cache-dir x && npm ci\n',
 'FROM python:3.12\nRUN ["pip", "install", \\\n  "--no-cache-dir", \\\n  "x"]\nRUN <<EOF\npip install \\\n --no-cache-dir\nEOF\n',
 '# escape=`\r\nFROM node\r\nUSER node\r\nRUN npm ci `\r\n  --no-audit\r\n',
 'FROM python:3.12\r\nENV A=1 \\\r\n    PIP_NO_CACHE_DIR=1 \\\r\n    B=2\r\nRUN --mount=type=cache,target=/root/.cache/pip pip install \\\r\n    --no-cache-dir \\\r\n    # c\r\n    x --no-cache-dir\r\n',
 'FROM python:3.12\nRUN useradd -u 5 app\nUSER app\nRUN ["sh", "-c", "pip install --no-cache-dir x"] \n RUN PIP_NO_CACHE_DIR=1 \\\n  sudo -u app pip install y --no-cache-dir\n',
];
let seed = 7;
const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
const alphabet = [' ', '\\', '\n', '\r\n', '"', "'", '[', ']', ',', '`', '#', '<<EOF', 'EOF', '--no-cache-dir', 'pip install', '&&', ';', 'RUN ', 'ENV PIP_NO_CACHE_DIR=1', '\t'];
const SWITCH = (v: string) => v === '--no-cache-dir' || v.startsWith('--no-cache-dir=') || /^PIP_NO_CACHE_DIR=./.test(v) || v.startsWith('--mount=') || v === '--prefer-offline';
function shape(t: string) {
  const m = parseDockerfile(t);
  return JSON.stringify(m.instructions.map(i => {
    if (i.keyword === 'RUN') {
      const s = parseRunScript(m, i.ast);
      return ['RUN', s.form, s.commands.map(c => [...c.assignments, ...c.words].map(w => w.value).filter(v => !SWITCH(v)))];
    }
    if (i.keyword === 'ENV') return ['ENV', readEnv(i.ast).filter(([k]) => k !== 'PIP_NO_CACHE_DIR')];
    return [i.keyword, i.ast.getArguments().map(a => a.getValue())];
  }).filter(x => !(x[0] === 'ENV' && (x[1] as any[]).length === 0)));
}
let problems = 0, changed = 0;
for (let n = 0; n < 20000; n++) {
  let t = seeds[n % seeds.length];
  const k = 1 + Math.floor(rnd() * 4);
  for (let j = 0; j < k; j++) {
    const pos = Math.floor(rnd() * (t.length + 1));
    if (rnd() < 0.5) t = t.slice(0, pos) + alphabet[Math.floor(rnd() * alphabet.length)] + t.slice(pos);
    else t = t.slice(0, pos) + t.slice(pos + 1 + Math.floor(rnd() * 3));
  }
  for (const r of [r1, r2, r3]) {
    const once = fixOnce(r, t);
    if (once === t) continue;
    changed++;
    if (shape(once) !== shape(t)) { problems++; if (problems < 6) console.log('SHAPE', r.meta.id, JSON.stringify(t), '\n =>', JSON.stringify(once), '\n', shape(t), '\n', shape(once)); }
  }
}
console.log('changed', changed, 'problems', problems);
