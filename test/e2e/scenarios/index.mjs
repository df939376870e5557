// The scenarios in the order they run. `window: 'trusted'` ones share one trusted window (each
// starts from what the previous left, as a user's session would); the others open their own.
import { buildScenario } from './build.mjs';
import { diagnosticsScenario } from './diagnostics.mjs';
import { optimizeAllScenario } from './optimize-all.mjs';
import { quickFixScenario } from './quick-fix.mjs';
import { rebuildChangedScenario } from './rebuild-changed.mjs';
import { restrictedScenario } from './restricted.mjs';
import { restrictedTreeScenario } from './restricted-tree.mjs';

export const SCENARIOS = [diagnosticsScenario, quickFixScenario, optimizeAllScenario, buildScenario, rebuildChangedScenario, restrictedScenario, restrictedTreeScenario];
