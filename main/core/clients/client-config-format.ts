// What editing a client's config file takes, per format: its parser (the client's own rules), setting and removing one entry in the text, and the entry alone for a preview.
import type { EntryLocation } from './client-config-entry.ts';

export interface ClientConfigFormat {
  /** The file's value read as the client reads it; a file it would reject throws CLIENT_FILE_MALFORMED. */
  parse(text: string, path: string): Record<string, unknown>;
  /** The text with the entry added or replaced; every other byte stays where the format allows it. */
  withEntry(text: string | null, at: EntryLocation, entry: Record<string, unknown>): string;
  /** The text without the entry. */
  withoutEntry(text: string, at: EntryLocation): string;
  /** The entry alone, as it is written into the file. */
  renderEntry(at: EntryLocation, entry: Record<string, unknown>): string;
}
