// Removes what a person cannot see but a model or a terminal obeys from a server's text: control characters, ANSI escapes, invisible and bidirectional Unicode.

/** What kind of hidden content was removed, for the person reviewing the tool and the audit record. */
export type HiddenKind = 'control' | 'ansi-escape' | 'invisible' | 'bidi' | 'tag' | 'line-separator';

export interface CleanedText {
  text: string;
  /** Each kind found at least once, in the order of HIDDEN_KINDS; empty when the text was already clean. */
  removed: HiddenKind[];
}

const HIDDEN_KINDS: readonly HiddenKind[] = ['ansi-escape', 'control', 'invisible', 'bidi', 'tag', 'line-separator'];

/**
 * ANSI/ECMA-48 sequences, 7-bit and 8-bit: CSI (colours, cursor moves that overwrite what was shown), the string
 * commands OSC/DCS/SOS/PM/APC up to their terminator (OSC 8 hides a link target, OSC 52 writes the clipboard), and any
 * other escape with its intermediates. An unterminated sequence loses at least its introducer, so what is left is inert.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is what this module is for
const ANSI_SEQUENCE = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[\s\S]*?(?:\x07|\x1b\\|\x9c)|\x1b[ -/]*[0-~]/g;
/** C0 and C1 controls and DEL; tab and newline are ordinary text. A CR before LF is handled apart (see below). */
// eslint-disable-next-line no-control-regex -- as above
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
/** Zero-width space, joiners and marks, word joiner and invisible operators, Arabic letter mark, Mongolian vowel separator, BOM. */
const INVISIBLE = /[\u200b-\u200d\u2060-\u2064\u061c\u180e\ufeff]/g;
/** LRM/RLM, the embeddings and overrides (LRE…RLO), the isolates (LRI…PDI): they reorder what a person reads. */
const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** Unicode tag characters: invisible ASCII look-alikes, the classic carrier of hidden instructions. */
const TAG = /[\u{e0000}-\u{e007f}]/gu;
/** Line and paragraph separators: many renderers show nothing for them; they become plain newlines. */
const LINE_SEPARATOR = /[\u2028\u2029]/g;

/** The text without hidden content, and which kinds were removed. A CRLF line end becomes LF and is not counted. */
export function cleanText(text: string): CleanedText {
  const found = new Set<HiddenKind>();
  const drop =
    (kind: HiddenKind, replacement = '') =>
    () => {
      found.add(kind);
      return replacement;
    };
  const cleaned = text
    .replace(/\r\n/g, '\n')
    .replace(ANSI_SEQUENCE, drop('ansi-escape'))
    .replace(CONTROL, drop('control'))
    .replace(INVISIBLE, drop('invisible'))
    .replace(BIDI, drop('bidi'))
    .replace(TAG, drop('tag'))
    .replace(LINE_SEPARATOR, drop('line-separator', '\n'));
  return { text: cleaned, removed: HIDDEN_KINDS.filter((kind) => found.has(kind)) };
}

/** True when cleanText would remove something (a CRLF alone does not count). */
export function hasHiddenContent(text: string): boolean {
  return cleanText(text).removed.length > 0;
}

/**
 * The text with every hidden character shown as a visible marker such as ⟨U+202E⟩, for a person reviewing a tool:
 * safe to print on a terminal (no escape survives) and it shows exactly what the server tried to hide.
 */
export function revealHidden(text: string): string {
  const marker = (character: string) => `⟨U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`;
  return text
    .replace(/\r\n/g, '\n')
    .replace(CONTROL, marker)
    .replace(INVISIBLE, marker)
    .replace(BIDI, marker)
    .replace(TAG, marker)
    .replace(LINE_SEPARATOR, marker);
}
