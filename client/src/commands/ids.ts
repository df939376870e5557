/** The commands the client contributes (package.json `contributes.commands` lists the same ids). */
export const COMMANDS = {
  optimizeAll: 'dockopt.optimizeAll',
  fixAllInFile: 'dockopt.fixAllInFile',
  restartServer: 'dockopt.restartServer',
  showOutput: 'dockopt.showOutput',
  build: 'dockopt.build',
  rebuild: 'dockopt.rebuild',
  buildAll: 'dockopt.buildAll',
  compareBuilds: 'dockopt.compareBuilds',
  cancelBuild: 'dockopt.cancelBuild',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

export const COMMAND_IDS: readonly CommandId[] = Object.values(COMMANDS);

/** The server's fix-all code action kind (CodeActionKind.SourceFixAll + '.dockopt'). */
export const FIX_ALL_KIND = 'source.fixAll.dockopt';

/** Languages dockopt checks; the language status item and fix-all apply to these. */
export const DOCKER_LANGUAGES: readonly string[] = ['dockerfile', 'dockerignore'];
