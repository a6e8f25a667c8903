// How an audit record maps to a row of the records table, derived from the field table: the column lists and the conversion both ways.
import { AUDIT_FIELD_NAMES, AUDIT_FIELDS, CANONICAL_FIELDS, canonicalTextOfCells, type AuditFieldName, type AuditRecord } from './audit-record.ts';

type SqlValue = string | number | null;

const columnOf = (name: AuditFieldName): string => AUDIT_FIELDS[name].column;

/** Every field, one named parameter each (`@jsonrpcId` fills `jsonrpc_id`); toRow supplies the parameters. */
export const INSERT_RECORD_SQL = `INSERT INTO records (${AUDIT_FIELD_NAMES.map(columnOf).join(', ')}) VALUES (${AUDIT_FIELD_NAMES.map((name) => `@${name}`).join(', ')})`;

/** The column list for `SELECT ... FROM records` whose rows fromRow reads. */
export const RECORD_COLUMNS = AUDIT_FIELD_NAMES.map(columnOf).join(', ');

/** The insert's parameters: absent optional fields become NULL. */
export function toRow(record: AuditRecord): Record<AuditFieldName, SqlValue> {
  const row = {} as Record<AuditFieldName, SqlValue>;
  for (const name of AUDIT_FIELD_NAMES) row[name] = (record[name] as SqlValue | undefined) ?? null;
  return row;
}

// Fields always in a record come first, then the optional ones present, each in table order: the key order exports
// (JSONL, syslog, OTLP, `audit export`) have always had, so their lines stay the same.
const ALWAYS_PRESENT = AUDIT_FIELD_NAMES.filter((name) => AUDIT_FIELDS[name].presence !== 'optional');
const OPTIONAL = AUDIT_FIELD_NAMES.filter((name) => AUDIT_FIELDS[name].presence === 'optional');

/** A row read by column name; a NULL optional column is an absent field (no key), a NULL nullable one stays null. */
export function fromRow(row: Record<string, unknown>): AuditRecord {
  const record: Record<string, unknown> = {};
  for (const name of ALWAYS_PRESENT) record[name] = row[columnOf(name)];
  for (const name of OPTIONAL) {
    const value = row[columnOf(name)];
    if (value !== null && value !== undefined) record[name] = value;
  }
  return record as AuditRecord;
}

/**
 * What verify reads, as raw rows (arrays) so a million records verify without building a million records: the
 * hashed columns in canonical order, then the link.
 */
export const CHAIN_COLUMNS = [...CANONICAL_FIELDS.map(columnOf), AUDIT_FIELDS.prevHash.column, AUDIT_FIELDS.hash.column].join(', ');

const SEQ_CELL = CANONICAL_FIELDS.indexOf('seq');
const PREV_HASH_CELL = CANONICAL_FIELDS.length;
const HASH_CELL = CANONICAL_FIELDS.length + 1;

export interface ChainLink {
  seq: number;
  prevHash: string;
  hash: string;
  /** The canonical text of the record as stored, to check against its hash. */
  canonicalText: string;
}

/** One raw row selected with CHAIN_COLUMNS. */
export function chainLinkOf(row: readonly unknown[]): ChainLink {
  return {
    seq: row[SEQ_CELL] as number,
    prevHash: row[PREV_HASH_CELL] as string,
    hash: row[HASH_CELL] as string,
    canonicalText: canonicalTextOfCells(row),
  };
}
