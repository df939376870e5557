/**
 * "Optimize All" asks the server once per workspace folder (each folder has its own
 * `files.exclude` and `dockopt.exclude`), then merges the answers into one result.
 * Nested folders see the same files twice: a file is taken from the first folder that
 * reports it, so no edit is ever applied twice. Service names that occur in more than
 * one folder are prefixed with the folder's name, so the preview can tell them apart.
 */
import type { FileFix, WorkspaceFixesResult } from '../../../shared/src/protocol';

export interface FolderResult {
  folderName: string;
  result: WorkspaceFixesResult;
}

export function emptyResult(): WorkspaceFixesResult {
  return { files: [], services: [], contextBytesSaved: 0, remainingFindings: 0 };
}

export function mergeFolderResults(results: readonly FolderResult[]): WorkspaceFixesResult {
  const clashing = clashingServiceNames(results);
  const merged = emptyResult();
  const seenFiles = new Set<string>();
  const seenServices = new Set<string>();
  for (const { folderName, result } of results) {
    const name = (service: string) => (clashing.has(service) ? `${folderName}/${service}` : service);
    for (const file of result.files) {
      if (seenFiles.has(file.uri)) continue;
      seenFiles.add(file.uri);
      merged.files.push(renameFile(file, name));
    }
    for (const service of result.services) {
      const key = `${service.dockerfileUri}\0${service.service}`;
      if (seenServices.has(key)) continue;
      seenServices.add(key);
      merged.services.push({ ...service, service: name(service.service) });
    }
    merged.contextBytesSaved += finiteOrZero(result.contextBytesSaved);
    merged.remainingFindings += finiteOrZero(result.remainingFindings);
  }
  return merged;
}

/** Names used by services of more than one folder (a nested folder's repeats do not count). */
function clashingServiceNames(results: readonly FolderResult[]): Set<string> {
  const folderOf = new Map<string, string>();
  const dockerfilesOf = new Map<string, Set<string>>();
  const clashing = new Set<string>();
  for (const { folderName, result } of results) {
    for (const service of result.services) {
      const dockerfiles = dockerfilesOf.get(service.service) ?? new Set<string>();
      const first = folderOf.get(service.service);
      if (first !== undefined && first !== folderName && !dockerfiles.has(service.dockerfileUri)) {
        clashing.add(service.service);
      }
      if (first === undefined) folderOf.set(service.service, folderName);
      dockerfiles.add(service.dockerfileUri);
      dockerfilesOf.set(service.service, dockerfiles);
    }
  }
  return clashing;
}

function renameFile(file: FileFix, name: (service: string) => string): FileFix {
  return { ...file, edits: file.edits.map((edit) => ({ ...edit, service: name(edit.service) })) };
}

function finiteOrZero(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}
