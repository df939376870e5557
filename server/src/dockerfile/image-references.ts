/**
 * Image references as a FROM line names them (`python:3.12-slim@sha256:…`): the repository, the
 * tag and the digest, where each sits in the reference, and the repository as Docker normalises
 * it (`python` and `docker.io/python` are both `docker.io/library/python`).
 */

export interface ImageReference {
  /** The repository as written (after expansion), e.g. `python` or `docker.io/library/python`. */
  name: string;
  tag?: string;
  /** Index of the tag's first character in the expanded reference (meaningful only with a tag). */
  tagStart: number;
  /** Index of the `@` before the digest, when there is one. */
  digestAt?: number;
}

/** The parts of an expanded reference; undefined when it is empty or holds blanks. */
export function parseImageReference(ref: string): ImageReference | undefined {
  if (ref === '' || /\s/.test(ref)) return undefined;
  const at = ref.indexOf('@');
  const nameAndTag = at === -1 ? ref : ref.slice(0, at);
  const colon = nameAndTag.lastIndexOf(':');
  const hasTag = colon > nameAndTag.lastIndexOf('/');
  return {
    name: hasTag ? nameAndTag.slice(0, colon) : nameAndTag,
    tag: hasTag ? nameAndTag.slice(colon + 1) : undefined,
    tagStart: colon + 1,
    digestAt: at === -1 ? undefined : at,
  };
}

/**
 * Docker's own normalisation of a repository name, registry first: `python` and `docker.io/python`
 * are `docker.io/library/python`; `index.docker.io` is `docker.io`; a first part with a `.` or
 * a `:`, or `localhost`, is a registry.
 */
export function normalizedRepository(name: string): string {
  const parts = name.split('/');
  const first = parts[0];
  const hasDomain = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let domain = hasDomain ? first.toLowerCase() : 'docker.io';
  if (domain === 'index.docker.io') domain = 'docker.io';
  const path = hasDomain ? parts.slice(1) : parts;
  const repository = domain === 'docker.io' && path.length === 1 ? ['library', ...path] : path;
  return `${domain}/${repository.join('/')}`;
}
