/** A Dockerfile word without the matching quotes around it (`"a b.txt"` → `a b.txt`, `'x'` → `x`). */
export function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) {
    return value.slice(1, -1);
  }
  return value;
}
