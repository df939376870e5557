/**
 * `dockopt/builds` and `dockopt/allBuilds`: how the workspace's Dockerfiles are built (service,
 * context, target), which the client's build commands, code lenses and BuildKit view ask for.
 */
import { URI } from 'vscode-uri';
import { ALL_BUILDS_REQUEST, BUILDS_REQUEST, type ServiceBuildInfo } from '../../../shared/src/protocol';
import type { BuildContext } from '../workspace/build-context';
import type { Session } from './session';

const buildInfo = (b: BuildContext): ServiceBuildInfo => ({
  service: b.service, dockerfile: b.dockerfilePath, contextDir: b.contextDir, target: b.target, composeFile: b.composeFile, source: b.source,
});

export function registerBuildQueries(session: Session): void {
  const { connection, workspace } = session;
  connection.onRequest(BUILDS_REQUEST, (params) => workspace.buildsFor(URI.parse(params.uri).fsPath).map(buildInfo));
  connection.onRequest(ALL_BUILDS_REQUEST, (params) => {
    const folders = params?.folders?.map((uri) => URI.parse(uri).fsPath) ?? session.roots;
    const inFolders = (file: string) => folders.some((f) => URI.file(file).toString().startsWith(URI.file(f).toString().replace(/\/?$/, '/')));
    return workspace.dockerfiles().filter(inFolders).sort().flatMap((file) => workspace.buildsFor(file).map(buildInfo));
  });
}
