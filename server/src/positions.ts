/**
 * Places in a text, shared by the Dockerfile model, the rules and the fixes. A leaf module: it
 * imports nothing, so whatever needs a position can import it without a cycle.
 */

/** Zero-based, like LSP: `character` counts UTF-16 code units. */
export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

/** An edit of one file's text, by offsets into the text the rule was given. */
export interface TextEdit { start: number; end: number; newText: string }
