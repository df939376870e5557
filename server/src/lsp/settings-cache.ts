/**
 * Settings per resource, asked of the client once and cached until the client says they
 * changed (vscode-eslint: "settings must never be stored in globals on the server side").
 */
import { resolveSettings, DEFAULT_SETTINGS, type ResolvedSettings } from '../settings';

export type ConfigurationReader = (scopeUri: string) => Promise<unknown>;

export class SettingsCache {
  private readonly byUri = new Map<string, Promise<ResolvedSettings>>();
  private readonly resolved = new Map<string, ResolvedSettings>();

  /** `read` is undefined when the client cannot answer workspace/configuration: defaults then. */
  constructor(private readonly read: ConfigurationReader | undefined) {}

  get(uri: string): Promise<ResolvedSettings> {
    let pending = this.byUri.get(uri);
    if (!pending) {
      pending = this.read
        ? this.read(uri).then(resolveSettings, () => DEFAULT_SETTINGS)
        : Promise.resolve(DEFAULT_SETTINGS);
      void pending.then((s) => this.resolved.set(uri, s));
      this.byUri.set(uri, pending);
    }
    return pending;
  }

  /** The settings already known for `uri`, without waiting (defaults until the first answer). */
  peek(uri: string): ResolvedSettings {
    return this.resolved.get(uri) ?? DEFAULT_SETTINGS;
  }

  clear(): void {
    this.byUri.clear();
    this.resolved.clear();
  }
}
